"""`tipims estimate --csv OVERLAPS.csv --method main|bhs-aic|csv-pvalue|bic [--json]`."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tipims.statistics import mse
from tipims.statistics.capture_csv import read_capture_csv


class Command(BaseCommand):
    help = (
        "Multiple systems estimation from a capture-history CSV (one 0/1 column per list and 'count'): "
        "the estimated total with profile-likelihood and BCa bootstrap intervals, the chosen model and warnings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True, type=Path, help="The capture-history table.")
        parser.add_argument("--method", choices=mse.METHODS, default="bic")
        parser.add_argument("--confidence", type=float, default=0.95)
        parser.add_argument("--resamples", type=int, default=500, help="Bootstrap resamples (0 to skip).")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args, **options):
        if not 0.5 <= options["confidence"] < 1:
            raise CommandError("--confidence must be at least 0.5 and below 1")
        if options["resamples"] < 0:
            raise CommandError("--resamples cannot be negative")
        try:
            table = read_capture_csv(options["csv"])
            result = mse.estimate(
                table, options["method"], confidence=options["confidence"], resamples=options["resamples"]
            )
        except mse.EstimationError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2))
            return
        level = f"{result.confidence:.0%}"
        self.stdout.write(f"lists: {', '.join(result.lists)}; observed: {result.observed}")
        self.stdout.write(f"method: {result.method}; model: {result.model}")
        self.stdout.write(f"estimated total: {result.total:.4f} (unseen {result.unseen:.4f})")
        if result.interval:
            self.stdout.write(
                f"{level} profile-likelihood interval: {result.interval[0]:.1f} to {result.interval[1]:.1f}"
            )
        if result.bootstrap_interval:
            low, high = result.bootstrap_interval
            self.stdout.write(f"{level} BCa bootstrap interval: {low:.1f} to {high:.1f}")
        for warning in result.warnings:
            self.stdout.write(f"warning: {warning}")
