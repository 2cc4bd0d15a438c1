"""`tipims export htcds|ctdc|dhis2|pprl --output DIR --as USERNAME`: files for partners."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tipims.accounts.models import User


def _htcds(user, output: Path, options) -> list[Path]:
    from tipims.exchange import htcds

    return htcds.export_htcds(user, output)


def _ctdc(user, output: Path, options) -> list[Path]:
    from tipims.exchange import ctdc

    return ctdc.export_ctdc(user, output)


def _dhis2(user, output: Path, options) -> list[Path]:
    import datetime

    from tipims.exchange import dhis2

    try:
        start = datetime.date.fromisoformat(options["from"])
        end = datetime.date.fromisoformat(options["to"])
    except (TypeError, ValueError):
        raise CommandError("dhis2 needs --from and --to as YYYY-MM-DD") from None
    return dhis2.export_dhis2(user, output, start=start, end=end)


def _hxl(user, output: Path, options) -> list[Path]:
    from tipims.exchange import hxl

    return hxl.export_public_tables(user, output)


def _ftm(user, output: Path, options) -> list[Path]:
    from tipims.exchange import ftm

    return ftm.export_ftm(user, output)


def _pprl(user, output: Path, options) -> list[Path]:
    from tipims.exchange import pprl

    return [pprl.export_encodings(user, output)]


KINDS = {"htcds": _htcds, "ctdc": _ctdc, "hxl": _hxl, "dhis2": _dhis2, "ftm": _ftm, "pprl": _pprl}


class Command(BaseCommand):
    help = (
        "Export for partners: htcds (HTCDS 2.0 tables as CSV and XLSX, with identities: the user's "
        "institution's own records), ctdc (CTDC victim-level file, k-anonymised, with HXL), hxl (public aggregate tables "
        "after disclosure control, with HXL), dhis2 (dataValueSets JSON of the indicators "
        "by sex, age group and form of exploitation; --from, --to), ftm (trafficker networks as "
        "FollowTheMoney entities, JSON lines), pprl "
        "(Bloom-filter encodings of the user's persons under TIPIMS_PPRL_SECRET, no names)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--output", required=True, help="The folder to write into (created if missing).")
        parser.add_argument("--as", dest="username", required=True, help="The user whose access applies.")
        parser.add_argument("--from", dest="from", help="dhis2: first day (YYYY-MM-DD).")
        parser.add_argument("--to", dest="to", help="dhis2: last day (YYYY-MM-DD).")

    def handle(self, *args, kind, output, username, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        try:
            written = KINDS[kind](user, Path(output), options)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for path in written:
            self.stdout.write(str(path))
