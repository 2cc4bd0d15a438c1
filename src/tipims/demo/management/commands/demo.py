"""`tipims demo`: prepare the database and the synthetic demo data, print the logins, and serve."""

from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tipims.demo import border as border_demo
from tipims.demo import generator
from tipims.demo import justice as justice_demo
from tipims.demo import linkage as linkage_demo
from tipims.demo import monitoring as monitoring_demo
from tipims.demo import prevention as prevention_demo
from tipims.demo import protection as protection_demo
from tipims.reporting.demo import load_population


@dataclass(frozen=True)
class DemoSize:
    crossings: int
    watchlist: int
    bulk_victims: int  # beyond the 200 victims recorded one by one through the services


SIZES = {
    "full": DemoSize(
        crossings=border_demo.CROSSINGS,
        watchlist=border_demo.WATCHLIST_SIZE,
        bulk_victims=protection_demo.BULK_VICTIMS,
    ),
    "small": DemoSize(crossings=5_000, watchlist=300, bulk_victims=300),
}


class Command(BaseCommand):
    help = "Set up the demo (database, synthetic data, one user per role) and serve it. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Prepare everything, then exit.")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument(
            "--password", help="Password for every demo user (default: a new one each, printed)."
        )
        parser.add_argument(
            "--size",
            choices=sorted(SIZES),
            default="full",
            help="full (default): 4,000 victims and a year of 200,000 border crossings; small: 500 "
            "victims and 5,000 crossings, for tests and slow machines.",
        )

    def handle(self, *args, no_serve: bool, port: int, password: str | None, size: str, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "The demo never runs with TIPIMS_ENV=production: it creates users with known passwords."
            )
        if not 1 <= port <= 65535:
            raise CommandError("--port must be between 1 and 65535")
        if password is not None and len(password) < 12:
            raise CommandError("--password must be at least 12 characters long")
        settings.TIPIMS_DEMO = True
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("compiletranslations", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        institutions = generator.load_institutions()
        users = generator.load_users(institutions, password)
        by_name = {user.username: user for user, _ in users}
        created = generator.load_people(
            by_name,
            progress=lambda done, total: self.stdout.write(
                f"  synthetic people: {done}/{total}", ending="\r"
            ),
        )
        if created:
            self.stdout.write(f"  synthetic people: {created} created")
        victims = protection_demo.load_protection(
            by_name,
            institutions,
            progress=lambda done, total: self.stdout.write(
                f"  synthetic victims: {done}/{total}", ending="\r"
            ),
            bulk_victims=SIZES[size].bulk_victims,
        )
        if victims:
            self.stdout.write(f"  synthetic victims: {victims} created")
        complaints = justice_demo.load_justice(by_name)
        if complaints:
            self.stdout.write(f"  synthetic complaints and criminal cases: {complaints} complaints created")
        crossings = border_demo.load_border(
            by_name,
            crossings=SIZES[size].crossings,
            watchlist=SIZES[size].watchlist,
            progress=lambda done: self.stdout.write(
                f"  synthetic crossings: {done}/{SIZES[size].crossings} checked", ending="\r"
            ),
        )
        if crossings:
            self.stdout.write(f"  synthetic crossings: {crossings} created, screened against the watchlist")
        measures = protection_demo.load_protection_links(by_name)
        if measures:
            self.stdout.write(f"  witness protection measures: {measures} requested in criminal cases")
        visits = monitoring_demo.load_monitoring(by_name)
        if visits:
            self.stdout.write(f"  synthetic monitoring visits: {visits} created")
        activities = prevention_demo.load_prevention(by_name)
        if activities:
            self.stdout.write(
                f"  synthetic campaigns and trainings: {activities} created, with the action plan"
            )
        if load_population():
            self.stdout.write("  population figures for SDG 16.2.2: illustrative national estimates created")
        again = linkage_demo.load_linkage(
            institutions, progress=lambda message: self.stdout.write(f"  {message}…")
        )
        if again:
            self.stdout.write(
                f"  linkage: {again} victims recorded again by other institutions; victims and defendants linked"
            )
        self._print_logins(users)
        self.stdout.write(
            self.style.WARNING("Two-factor authentication is off in the demo; the data is synthetic.")
        )
        if no_serve:
            return
        self.stdout.write(f"Serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

    def _print_logins(self, users) -> None:
        rows = [(user.username, str(user.institution), password) for user, password in users]
        widths = [max(len(row[i]) for row in [("user", "institution", "password"), *rows]) for i in range(3)]
        line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        self.stdout.write(line)
        for row in [("user", "institution", "password"), *rows]:
            self.stdout.write(
                "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
            )
            if row[0] == "user":
                self.stdout.write(line)
        self.stdout.write(line)
