"""`tipims stats MODULE --from DATE --to DATE --format json|csv`: the figures of one module."""

import csv
import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from tipims.core import stats_registry


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Print a module's statistics for a period as JSON or CSV (figure, category, value)."

    def add_arguments(self, parser):
        parser.add_argument("module", help="One of the modules that register statistics.")
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, module: str, start: str, end: str, format: str, **options):
        if module not in stats_registry.modules():
            known = ", ".join(stats_registry.modules()) or "none yet"
            raise CommandError(f"no statistics for {module!r}; known: {known}")
        first, last = _date(start), _date(end)
        if last < first:
            raise CommandError("--to is before --from")
        figures = stats_registry.compute(module, first, last)
        if format == "json":
            period = {"from": first.isoformat(), "to": last.isoformat()}
            payload = {"module": module, **period, "figures": figures}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
            return
        writer = csv.writer(self.stdout)
        writer.writerow(["figure", "category", "value"])
        writer.writerows(stats_registry.as_rows(figures))
