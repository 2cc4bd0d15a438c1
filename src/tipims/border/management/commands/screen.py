"""`tipims screen --watchlist W.csv --crossings C.csv --output alerts.csv`: the screening engine offline."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tipims.border import indicators
from tipims.border.offline import OfflineInputError, screen_files


class Command(BaseCommand):
    help = (
        "Screen a CSV of crossings against a CSV watchlist with the same comparisons as live screening, "
        "and write the alerts as CSV (columns in the README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--watchlist", required=True, help="Watchlist CSV (entry_id, given_names, ...).")
        parser.add_argument(
            "--crossings", required=True, help="Crossings CSV (crossing_id, given_names, ...)."
        )
        parser.add_argument("--output", required=True, help="Where to write the alerts CSV.")
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="Score from which a pair is an alert (default from the rules file).",
        )

    def handle(self, *args, watchlist, crossings, output, threshold, **options):
        threshold = indicators.screening_threshold() if threshold is None else threshold
        if not 0 < threshold <= 1:
            raise CommandError("--threshold must be between 0 and 1")
        for name in (watchlist, crossings):
            if not Path(name).is_file():
                raise CommandError(f"{name}: no such file")
        try:
            entries, screened, alerts = screen_files(
                Path(watchlist), Path(crossings), Path(output), threshold=threshold
            )
        except OfflineInputError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{entries} watchlist entries, {screened} crossings screened, {alerts} alerts -> {output}"
        )
