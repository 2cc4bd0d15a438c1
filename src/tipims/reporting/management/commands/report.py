"""`tipims report --from DATE --to DATE --format html|pdf|docx --output FILE [--public]`."""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from tipims.reporting import services


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Write the annual report for a period (questionnaire sections, UNODC and SDG 16.2.2 tables, "
        "TVPA criteria) as HTML, PDF or DOCX. --public applies disclosure control to every table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--format", choices=["html", "pdf", "docx"], required=True)
        parser.add_argument("--output", required=True, help="The file to write (replaced only on success).")
        parser.add_argument(
            "--public", action="store_true", help="The public version: small cells suppressed, no names."
        )
        parser.add_argument("--language", choices=["es", "en"], default="es")

    def handle(
        self, *args, start: str, end: str, format: str, output: str, public: bool, language: str, **options
    ):
        first, last = _date(start), _date(end)
        with translation.override(language):
            try:
                path = services.report_write_file(
                    actor=None, start=first, end=last, fmt=format, output=Path(output), public=public
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        kind = "public" if public else "internal"
        self.stdout.write(f"wrote the {kind} report for {first} to {last}: {path}")
