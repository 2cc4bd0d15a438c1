"""Demo population figures for SDG 16.2.2: rounded national estimates, clearly illustrative.

They are of the right order of magnitude for Guatemala (about 18 million people, a little over half
women, about four in ten under 18) but are NOT official figures: each is stored with
``illustrative=True`` and a source that says so, and the report prints a note beside the indicator.
The coordinator replaces them with the national statistics institute's projections.
"""

from tipims.reporting import services
from tipims.reporting.models import PopulationFigure

SOURCE = "Illustrative demonstration estimate (rounded; not an official INE projection)"
TOTALS = {2023: 17_600_000, 2024: 17_850_000, 2025: 18_100_000, 2026: 18_350_000}


def load_population() -> int:
    """Seed the national figures once; returns how many were created (0 when they exist)."""
    if PopulationFigure.objects.exists():
        return 0
    created = 0
    for year, total in TOTALS.items():
        cells = {
            ("", ""): total,
            ("Feminine", ""): round(total * 0.51, -3),
            ("Masculine", ""): round(total * 0.49, -3),
            ("", "minor"): round(total * 0.40, -3),
            ("", "adult"): round(total * 0.60, -3),
        }
        for (sex, age_group), value in cells.items():
            services.population_figure_set(
                actor=None,
                year=year,
                value=int(value),
                source=SOURCE,
                sex=sex,
                age_group=age_group,
                illustrative=True,
            )
            created += 1
    return created
