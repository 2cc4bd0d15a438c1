"""The annual report at national size: loads 200,000 victims (with their protection cases, services,
placements and referrals), 100,000 criminal cases (complaints, defendants, charges, judgments), one
million border crossings and a few thousand monitoring visits into a fresh database, links a tenth of
the victims across two institutions (so that the estimate of hidden victims has an overlap to work
on), then times the public PDF report for one reporting year (April to March), step by step, and
each module's statistics on their own.

Target: the PDF for a year in under 30 s on 2 cores. The victims and cases come from the generators
of benchmarks/protection.py and benchmarks/justice.py; the crossings are written here with
bulk_create (a pool of travellers, fixed references). SQLite always, in TIPIMS_VAR_DIR (default
/tmp/report-var); PostgreSQL too with --database-url. Prints and saves benchmarks/results/report.json.

    TIPIMS_VAR_DIR=/tmp/report-var .venv/bin/python benchmarks/report.py [--scale 0.05]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import child_env, run_child  # benchmarks/_harness.py: scripts run from this folder

sys.path.insert(0, str(Path(__file__).parent))

RESULTS = Path(__file__).parent / "results" / "report.json"
TARGET_PDF_S = 30.0
FULL = {"victims": 200_000, "cases": 100_000, "crossings": 1_000_000, "travellers": 50_000, "visits": 5_000}
START, END = "2015-04-01", "2016-03-31"


def _load_crossings(crossings: int, travellers: int) -> float:
    import datetime
    import random

    from django.db import transaction
    from django.utils import timezone

    from tipims.accounts import services as account_services
    from tipims.border.models import Crossing, CrossingPoint
    from tipims.people.models import PersonRecord

    rng = random.Random(1004)
    dgm = account_services.institution_create(
        actor=None, code="dgm-bench", name="DGM benchmark", short_name="DGM", org_type="ImmigrationService"
    )
    points = list(CrossingPoint.objects.all())
    started = time.perf_counter()
    with transaction.atomic():
        people = []
        for first in range(0, travellers, 5000):
            people += PersonRecord.objects.bulk_create(
                PersonRecord(
                    institution=dgm, surname1="López", sex=rng.choice(["Feminine", "Masculine"]),
                    citizenships=[rng.choice(["GT", "GT", "HN", "SV", "NI", "MX"])],
                )
                for _ in range(min(5000, travellers - first))
            )  # fmt: skip
        origin = datetime.datetime(2003, 1, 1, tzinfo=timezone.get_current_timezone())
        batch = 20_000
        for first in range(0, crossings, batch):
            size = min(batch, crossings - first)
            Crossing.objects.bulk_create(
                Crossing(
                    reference=f"X-B{first + i:08d}", institution=dgm, person=rng.choice(people),
                    direction=rng.choice(["in", "out"]), point=rng.choice(points),
                    crossed_at=origin + datetime.timedelta(minutes=rng.randint(0, 8600 * 1440)),
                    is_minor=rng.random() < 0.08,
                    inspection="secondary" if rng.random() < 0.02 else "clear",
                )
                for i in range(size)
            )  # fmt: skip
    return round(time.perf_counter() - started, 1)


def _load_visits(visits: int) -> None:
    import datetime
    import random

    from tipims.accounts import services as account_services
    from tipims.core.models import Municipality
    from tipims.monitoring.models import Establishment, MonitoringVisit

    rng = random.Random(77)
    ngo = account_services.institution_create(
        actor=None, code="ecpat-bench", name="ECPAT benchmark", short_name="ECPAT", org_type="NGO"
    )
    municipalities = list(Municipality.objects.select_related("department"))
    places = Establishment.objects.bulk_create(
        Establishment(institution=ngo, name=f"Bar {i}", kind="bar", municipality=m, department=m.department)
        for i, m in enumerate(rng.choice(municipalities) for _ in range(max(1, visits // 10)))
    )
    MonitoringVisit.objects.bulk_create(
        MonitoringVisit(
            institution=ngo, establishment=rng.choice(places),
            visited_on=datetime.date(2003, 1, 1) + datetime.timedelta(days=rng.randint(0, 8600)),
            minors_confirmed=(n := rng.choice([0, 0, 1, 2, 3])), minors_suspected=0, adults=rng.randint(0, 9),
            minors_by_nationality={"HN": n} if n else {},
        )
        for _ in range(visits)
    )  # fmt: skip


def _link_a_tenth() -> int:
    """Resolve a tenth of the SBS victims with an NGO victim of the same year: one human, two lists."""
    from tipims.linkage.models import PersonResolution, ResolvedPerson
    from tipims.protection.models import Victim

    rows = Victim.objects.order_by("identified_on").values_list("person_id", "institution__code")
    sbs = [p for p, code in rows if code == "sbs-bench"][::10]
    ngo = [p for p, code in rows if code == "ngo-bench"][::10]
    pairs = list(zip(sbs, ngo, strict=False))
    people = ResolvedPerson.objects.bulk_create(ResolvedPerson() for _ in pairs)
    PersonResolution.objects.bulk_create(
        PersonResolution(record_id=record, person=person)
        for person, pair in zip(people, pairs, strict=True)
        for record in pair
    )
    return len(pairs)


def _measure(start, end, rounds: int) -> dict:
    import datetime

    from django.utils import translation

    from tipims.core import stats_registry
    from tipims.reporting import render
    from tipims.reporting.content import build_report

    first, last = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    modules = {}
    for module in stats_registry.modules():
        began = time.perf_counter()
        stats_registry.compute(module, first, last)
        modules[module] = round(time.perf_counter() - began, 2)
        print(f"  tipims stats {module:12} {modules[module]:6.2f} s")
    runs = []
    for attempt in range(rounds):
        steps: list[tuple[float, str]] = []
        began = time.perf_counter()
        with translation.override("es"):
            report = build_report(
                first,
                last,
                public=True,
                progress=lambda p, s, steps=steps, began=began: steps.append(
                    (time.perf_counter() - began, str(s))
                ),
            )
            built = time.perf_counter() - began
            pdf = render.pdf(report)
        total = time.perf_counter() - began
        timeline = [
            {"step": label, "seconds": round((steps[i + 1][0] if i + 1 < len(steps) else built) - at, 2)}
            for i, (at, label) in enumerate(steps)
        ]
        runs.append({"total_s": round(total, 2), "build_s": round(built, 2), "pdf_render_s": round(total - built, 2),
                     "pdf_bytes": len(pdf),
                     "steps": timeline})  # fmt: skip
        print(
            f"  run {attempt + 1}: PDF report in {total:.1f} s (figures {built:.1f} s, PDF {total - built:.1f} s)"
        )
        for row in timeline:
            print(f"      {row['seconds']:6.2f} s  {row['step']}")
    return {
        "module_statistics_s": modules,
        "runs": runs,
        "pdf_seconds_worst": max(r["total_s"] for r in runs),
    }


def child(args) -> None:
    import django

    django.setup()
    import justice as justice_bench
    import protection as protection_bench
    from django.db import connection

    from tipims.reporting import services

    if args.measure_only:  # the database of an earlier run, kept in TIPIMS_VAR_DIR
        from tipims.border.models import Crossing
        from tipims.justice.models import CriminalCase
        from tipims.protection.models import Victim

        sizes = {"victims": Victim.objects.count(), "cases": CriminalCase.objects.count()}
        sizes["crossings"] = Crossing.objects.count()
        result = {
            "backend": connection.vendor,
            "sizes": sizes,
            "load_seconds": None,
            **_measure(START, END, args.runs),
        }
        Path(args.result_file).write_text(json.dumps(result))
        return
    sizes = {key: max(1, round(value * args.scale)) for key, value in FULL.items()}
    began = time.perf_counter()
    protection_bench._load(sizes["victims"])
    print(f"  loaded {sizes['victims']} victims ({time.perf_counter() - began:.0f} s)")
    justice_bench._load(sizes["cases"])
    print(f"  loaded {sizes['cases']} criminal cases ({time.perf_counter() - began:.0f} s)")
    _load_crossings(sizes["crossings"], sizes["travellers"])
    print(f"  loaded {sizes['crossings']} crossings ({time.perf_counter() - began:.0f} s)")
    _load_visits(sizes["visits"])
    linked = _link_a_tenth()
    services.population_figure_set(
        actor=None, year=2015, value=16_000_000, source="benchmark", illustrative=True
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    load_seconds = round(time.perf_counter() - began, 1)
    print(f"  loaded everything, {linked} victims linked across two institutions, in {load_seconds} s")
    measured = _measure(START, END, args.runs)
    result = {"backend": connection.vendor, "sizes": sizes, "load_seconds": load_seconds, **measured}
    Path(args.result_file).write_text(json.dumps(result))


def _run(backend: str, database_url: str, args, var_dir: Path) -> dict:
    arguments = ["--scale", str(args.scale), "--runs", str(args.runs)]
    return run_child(
        __file__, backend, database_url, var_dir, arguments, result_file=var_dir / f"{backend}.json"
    )


def _save(results: dict, load_at_start: list) -> None:
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["load_average_at_start"] = load_at_start
    results["target_pdf_s"] = TARGET_PDF_S
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    for backend in ("sqlite", "postgresql"):
        if backend in results:
            result = results[backend]
            print(
                f"{backend}: {result['sizes']}; PDF report for {START} to {END}: worst of {len(result['runs'])} "
                f"{result['pdf_seconds_worst']} s (target {TARGET_PDF_S} s)"
            )
    print(f"load average at start {load_at_start}, at end {results['load_average_at_end']}; saved {RESULTS}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1 = national size; 0.05 = a twentieth.")
    parser.add_argument("--runs", type=int, default=2, help="How many times the PDF report is built.")
    parser.add_argument("--database-url", help="A PostgreSQL database to drop, fill and measure too.")
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="Measure the database an earlier run left in TIPIMS_VAR_DIR.",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if args.measure_only:
        var_dir = Path(os.environ["TIPIMS_VAR_DIR"])
        env = child_env(f"sqlite:///{var_dir / 'bench.sqlite3'}", var_dir)
        load_at_start = [round(x, 2) for x in os.getloadavg()]
        command = [sys.executable, __file__, "--child", "--measure-only", "--runs", str(args.runs)]
        subprocess.run([*command, "--result-file", str(var_dir / "sqlite.json")], env=env, check=True)
        results = {"sqlite": json.loads((var_dir / "sqlite.json").read_text())}
        _save(results, load_at_start)
        return
    var_dir = Path(os.environ.get("TIPIMS_VAR_DIR") or Path(tempfile.gettempdir()) / "report-var")
    if var_dir.exists():
        shutil.rmtree(var_dir)  # a throwaway database, created fresh every run
    var_dir.mkdir(parents=True)
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    results = {"sqlite": _run("sqlite", f"sqlite:///{var_dir / 'bench.sqlite3'}", args, var_dir)}
    if args.database_url:
        results["postgresql"] = _run("postgresql", args.database_url, args, var_dir)
    _save(results, load_at_start)


if __name__ == "__main__":
    main()
