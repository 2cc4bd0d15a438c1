"""`tipims import KIND PATH --as USERNAME [--dry-run]`: partners' files, all or nothing.

This command also serves border's `crossings` kind (border/cli.py, border/imports.py), so one
`tipims import` knows every kind.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tipims.accounts.models import User
from tipims.exchange.framework import ImportTooLarge, progress_reported_to


def _htcds(path: Path, user, options):
    from tipims.exchange import htcds

    return htcds.import_htcds(path, actor=user, dry_run=options["dry_run"])


def _submissions(path: Path, user, options):
    from tipims.exchange import fieldforms

    key = Path(options["private_key"]).read_bytes() if options.get("private_key") else None
    return fieldforms.import_submissions(
        path.read_bytes(), path.name, actor=user, dry_run=options["dry_run"], private_key_pem=key
    )


def _pprl(path: Path, user, options):
    from tipims.exchange import pprl

    return pprl.import_encodings(
        path.read_bytes(),
        path.name,
        actor=user,
        partner=options.get("partner") or path.stem,
        dry_run=options["dry_run"],
    )


def _ftm(path: Path, user, options):
    from tipims.exchange import ftm

    if not options.get("partner"):
        raise CommandError("ftm needs --partner INSTITUTION_CODE (the source of the entries)")
    return ftm.import_ftm(
        path.read_bytes(), actor=user, partner_code=options["partner"], dry_run=options["dry_run"]
    )


KINDS = {"htcds": _htcds, "submissions": _submissions, "pprl": _pprl, "ftm": _ftm}


class Command(BaseCommand):
    help = (
        "Import a partner's file: every row is checked, then all rows are written in one transaction or "
        "none; --dry-run only reports. Kinds: htcds (a folder of htcds_<table>.csv, one CSV or an XLSX), "
        "submissions (a KoboToolbox or ODK Central export, CSV or JSON, of a TIPIMS or HTCDS form), pprl "
        "(a partner's Bloom-filter encodings), ftm (FollowTheMoney entities as pending watchlist entries; "
        "--partner CODE), crossings (border/imports.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*sorted(KINDS), "crossings"])
        parser.add_argument("path", help="The file (or, for htcds, a folder).")
        parser.add_argument(
            "--as", dest="username", required=True, help="The user (and institution) recording."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument(
            "--private-key", help="PEM file of the form's RSA private key (encrypted ODK forms)."
        )
        parser.add_argument(
            "--partner", help="pprl: the partner's name; ftm: the partner institution's code."
        )
        parser.add_argument("--report", help="Also write the report to this JSON file.")
        parser.add_argument("--no-screen", action="store_true", help="crossings: do not screen.")
        parser.add_argument("--errors", help="crossings: write errors to this CSV.")

    def handle(self, *args, kind, path, username, report=None, **options):
        if kind == "crossings":  # border's importer
            from tipims.border import cli as border_cli

            command = border_cli.Command(stdout=self.stdout, stderr=self.stderr)
            return command.handle(
                kind=kind,
                file=path,
                username=username,
                no_screen=options["no_screen"],
                errors=options["errors"],
            )
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        source = Path(path)
        if not source.exists():
            raise CommandError(f"{path}: no such file")

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"  {done}/{total} rows checked", ending="\n" if done == total else "\r")

        try:
            with progress_reported_to(progress):
                result = KINDS[kind](source, user, options)
        except ImportTooLarge as error:
            raise CommandError(str(error)) from None
        if report:
            Path(report).write_text(
                json.dumps(result.as_dict(), indent=2, ensure_ascii=False), encoding="utf-8"
            )
        for error in result.errors:
            self.stderr.write(str(error))
        created = (
            ", ".join(f"{number} {name}" for name, number in sorted(result.created.items())) or "nothing"
        )
        if not result.ok:
            raise CommandError(f"{result.error_count} errors in {result.rows} rows: nothing was written.")
        verb = "would be written (dry run)" if result.dry_run else "written"
        self.stdout.write(f"{result.rows} rows checked; {created} {verb}.")
