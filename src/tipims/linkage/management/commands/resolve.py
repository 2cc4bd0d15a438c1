"""`tipims resolve [--new]`: link the person records in the database and recompute resolved persons."""

from django.core.management.base import BaseCommand

from tipims.linkage.services import linkage_run, linkage_run_new


class Command(BaseCommand):
    help = "Link every person record (machine suggestions are added, never replacing human decisions) and recompute the resolved persons."

    def add_arguments(self, parser):
        parser.add_argument(
            "--new",
            action="store_true",
            help="Link only records no run has resolved yet, with the model the last full run trained.",
        )

    def handle(self, *args, new: bool, **options):
        run = linkage_run_new if new else linkage_run
        result = run(progress=lambda message: self.stderr.write(f"  {message}…"))
        self.stdout.write(
            f"{result.records} person records, {result.suggestions} new machine suggestions, {result.persons} unique persons"
        )
