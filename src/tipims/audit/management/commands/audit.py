"""`tipims audit verify`: check the hash chain of the audit trail."""

from django.core.management.base import BaseCommand, CommandError

from tipims.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Audit trail tools. 'verify' checks every event's hash and link; exits 1 naming the first bad event."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify}")
        verify = sub.add_parser("verify", help="Check the hash chain; exit 0 when intact, 1 otherwise.")
        verify.add_argument(
            "--expect-head", metavar="HASH", help="Also require this head hash (recorded elsewhere)."
        )

    def handle(self, *args, subcommand: str, expect_head: str | None = None, **options):
        result = verify_chain(progress=lambda n: self.stderr.write(f"  {n} events checked…"))
        if not result.ok:
            where = f"event #{result.bad_seq}" + (f" (row id {result.bad_id})" if result.bad_id else "")
            raise CommandError(f"audit chain broken at {where}: {result.reason}", returncode=1)
        if expect_head and expect_head != result.head_hash:
            raise CommandError(
                f"audit chain is consistent but its head {result.head_hash} "
                f"is not the expected {expect_head}: "
                "events were removed from its end or the trail was replaced",
                returncode=1,
            )
        self.stdout.write(f"audit chain intact: {result.events} events, head {result.head_hash}")
