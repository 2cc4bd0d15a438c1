"""`tipims resolve`: link every person record in the database and recompute resolved persons."""

from django.core.management.base import BaseCommand

from tipims.linkage.services import linkage_run


class Command(BaseCommand):
    help = "Link every person record (machine suggestions are added, never replacing human decisions) and recompute the resolved persons."

    def handle(self, *args, **options):
        result = linkage_run(progress=lambda message: self.stderr.write(f"  {message}…"))
        self.stdout.write(
            f"{result.records} person records, {result.suggestions} new machine suggestions, {result.persons} unique persons"
        )
