"""`tipims import crossings FILE.csv|FILE.parquet --as USERNAME`: load a border system's export.

Not a management command of its own: exchange's `tipims import` serves every kind of file and hands
the crossings kind to this one (two `import` commands would hide each other).
"""

import csv
import time

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from tipims.accounts.models import User
from tipims.border.imports import COLUMNS, ImportFailed, import_crossings

KINDS = {"crossings": import_crossings}


class Command(BaseCommand):
    help = (
        "Import records in bulk: all rows are validated and either all are loaded, in one transaction, "
        "or none, with an error per line and field. Kinds: crossings (columns: " + ", ".join(COLUMNS) + ")."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help="What the file holds.")
        parser.add_argument("file", help="A CSV file (UTF-8, header row) or a Parquet file.")
        parser.add_argument(
            "--as", dest="username", required=True, help="The user (and institution) recording them."
        )
        parser.add_argument("--no-screen", action="store_true", help="Do not screen against the watchlist.")
        parser.add_argument("--errors", help="Also write the errors to this CSV file (line, field, message).")

    def handle(self, *args, kind, file, username, no_screen, errors, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        started = time.perf_counter()
        try:
            result = KINDS[kind](
                file,
                actor=user,
                screen=not no_screen,
                progress=lambda rows: self.stderr.write(f"  {rows} rows checked", ending="\r"),
            )
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        except ImportFailed as failure:
            report = failure.result
            for error in report.errors:
                self.stderr.write(str(error))
            if report.error_count > len(report.errors):
                self.stderr.write(f"... and {report.error_count - len(report.errors)} more errors")
            if errors:
                with open(errors, "w", encoding="utf-8", newline="") as handle:
                    writer = csv.writer(handle)
                    writer.writerow(["line", "field", "message"])
                    writer.writerows((e.line, e.field, e.message) for e in report.errors)
            raise CommandError(
                f"{report.error_count} errors in {report.rows} rows: nothing was loaded."
            ) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{result.loaded} {kind} loaded in {elapsed:.1f} s; {result.alerts} screening alerts."
        )
