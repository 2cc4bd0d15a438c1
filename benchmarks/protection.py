"""Protection at scale: loads N victims (default 200,000) with their person records, protection cases,
services, shelters, placements and referrals into a fresh database, then measures

- the caseworker's case list and victim list (pages and API) and a victim's page: median and 95th
  percentile over --rounds;
- `tipims stats protection` for one year.

SQLite always (a temporary file); PostgreSQL too when --database-url names a database it may drop and
fill (for example postgres://postgres@127.0.0.1:5432/tipims_bench_p). Prints and saves
benchmarks/results/protection.json. The rows are written with bulk_create, not the services: this
measures reads, and loading 200,000 audited victims one by one would take hours.

    .venv/bin/python benchmarks/protection.py --victims 200000 [--database-url postgres://...]

The databases are ANALYZEd after loading, as a database in use would be. Loading takes longest (about
ten minutes per backend at 200,000 on a busy machine): ``--sqlite-folder DIR`` keeps the SQLite file in
DIR and ``--reuse`` measures what an earlier run loaded there and in --database-url again. Each figure
comes with the CPU time the request used in this process (SQLite runs in-process, so for it that
includes the query), and the load average is recorded: on a shared machine the wall clock also counts
waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from _harness import run_child  # benchmarks/_harness.py: scripts run from this folder

RESULTS = Path(__file__).parent / "results" / "protection.json"
TARGET_PAGE_P95_MS = 150
TARGET_STATS_S = 2.0


def _load(victims: int) -> dict:
    """Bulk-load the synthetic rows (the caller has migrated an empty database)."""
    import datetime
    import random

    from django.db import transaction

    from tipims.accounts import services as account_services
    from tipims.accounts.roles import Role
    from tipims.people.models import PersonRecord
    from tipims.protection.models import (
        Placement,
        ProtectionCase,
        Referral,
        ServiceDelivery,
        Shelter,
        Victim,
    )

    rng = random.Random(2004)
    sbs = account_services.institution_create(
        actor=None,
        code="sbs-bench",
        name="SBS benchmark",
        short_name="SBS",
        org_type="CentralGovernmentOrganisation",
    )
    ngo = account_services.institution_create(
        actor=None, code="ngo-bench", name="NGO benchmark", short_name="NGO", org_type="NGO"
    )
    caseworker = account_services.user_create(
        actor=None, username="caseworker", institution=sbs, roles=[Role.CASEWORKER], password=None
    )
    shelters = [
        Shelter.objects.create(
            institution=owner, name=f"Hogar {i}", capacity_female_minor=200, capacity_male_minor=100
        )
        for i, owner in enumerate([sbs, sbs, sbs, ngo, ngo])
    ]
    nationalities = ["GT"] * 5 + ["HN", "HN", "SV", "SV", "NI", "BZ", "CR"]
    exploitation = ["SexualExploitation"] * 6 + ["ForcedLabour", "ChildLabour", "ForcedBegging"]
    start = time.perf_counter()
    batch = 5000
    with transaction.atomic():
        for first in range(0, victims, batch):
            size = min(batch, victims - first)
            owners = [sbs if rng.random() < 0.5 else ngo for _ in range(size)]
            days = [
                datetime.date(2003, 1, 1) + datetime.timedelta(days=rng.randint(0, 8600)) for _ in range(size)
            ]
            sexes = [rng.choice(["Feminine", "Feminine", "Masculine"]) for _ in range(size)]
            countries = [rng.choice(nationalities) for _ in range(size)]
            people = PersonRecord.objects.bulk_create(
                PersonRecord(
                    institution=owner, given_names="Ana", surname1="Pérez", sex=sex, citizenships=[country],
                    birth_date_precision="estimated", estimated_age=rng.randint(11, 30), age_estimated_on=day,
                )
                for owner, sex, country, day in zip(owners, sexes, countries, days, strict=True)
            )  # fmt: skip
            created = Victim.objects.bulk_create(
                Victim(
                    person=person, institution=person.institution, identified_on=day,
                    age_group="minor" if person.estimated_age < 18 else "adult", sex=person.sex,
                    nationality=person.citizenships[0], trafficking_status="ActualVictimOfTrafficking",
                    exploitation_types=[main], main_exploitation=main,
                )
                for person, day, main in zip(
                    people, days, (rng.choice(exploitation) for _ in range(size)), strict=False
                )
            )  # fmt: skip
            cases = ProtectionCase.objects.bulk_create(
                ProtectionCase(
                    victim=v, institution=v.institution, caseworker=caseworker if v.institution == sbs else None,
                    opened_on=v.identified_on, status=rng.choice(["Active", "Active", "FollowUp", "Closed"]),
                    closure_reason="x",
                )
                for v in created
            )  # fmt: skip
            ServiceDelivery.objects.bulk_create(
                ServiceDelivery(case=c, service_type=rng.choice(["medical", "psychological", "legal"]),
                                delivered_on=c.opened_on, provider="Centro de salud")
                for c in cases
            )  # fmt: skip
            Placement.objects.bulk_create(
                Placement(
                    victim=v, shelter=rng.choice(shelters), institution=v.institution, group="female_minor",
                    court="Juzgado", court_reference="J-1", court_order_date=v.identified_on, start=v.identified_on,
                    end=None if rng.random() < 0.05 else v.identified_on + datetime.timedelta(days=60),
                )
                for v in created
                if rng.random() < 0.3
            )  # fmt: skip
            Referral.objects.bulk_create(
                Referral(
                    victim=v, institution=v.institution, to_institution=sbs if v.institution == ngo else ngo,
                    reason="AdditionalServicesRequired", legal_basis="court_order", legal_basis_reference="J-2",
                    status=rng.choice(["pending", "accepted", "declined"]),
                )
                for v in created
                if rng.random() < 0.05
            )  # fmt: skip
    own = list(Victim.objects.filter(institution=sbs).values_list("reference", flat=True)[:2000])
    return {"caseworker": caseworker.pk, "own": own, "load_seconds": round(time.perf_counter() - start, 1)}


def _summary(timings: list[float], cpu: list[float]) -> dict:
    """Wall-clock figures (the target) and the CPU the request used in this process: on a machine
    shared with other work the wall clock also counts the time spent waiting for a core."""
    timings, cpu = sorted(timings), sorted(cpu)
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 1),
    }


def _time(client, url: str, rounds: int) -> dict:
    client.get(url)  # warm up
    timings, cpu = [], []
    for _ in range(rounds):
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return _summary(timings, cpu)


def _measure(rounds: int, caseworker_id: int, own: list[str]) -> dict:
    import random

    from django.core.management import call_command
    from django.test import Client

    from tipims.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(pk=caseworker_id))
    urls = [
        "/protection/cases/",
        "/protection/cases/?status=Active&mine=1",
        "/protection/cases/?page=40",
        "/protection/",
        "/protection/?age_group=minor&status=ActualVictimOfTrafficking",
        "/api/protection/victims/?limit=50",
        "/api/protection/cases/?status=FollowUp&limit=50",
    ]
    pages = {}
    for url in urls:
        pages[url] = _time(client, url, rounds)
        print(
            f"  {url:62} median {pages[url]['median_ms']:7.1f} ms  p95 {pages[url]['p95_ms']:7.1f} ms"
            f"  (cpu p95 {pages[url]['cpu_p95_ms']:6.1f} ms)"
        )
    rng = random.Random(7)
    timings, cpu = [], []
    for reference in rng.sample(own, min(rounds, len(own))):
        started, used = time.perf_counter(), time.process_time()
        response = client.get(f"/protection/victims/{reference}/")
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        assert response.status_code == 200
    victim_page = _summary(timings, cpu)
    pages["/protection/victims/<reference>/ (different victims)"] = victim_page
    print(f"  {'a victim page (a different victim each time)':62} median {victim_page['median_ms']:7.1f} ms  "
          f"p95 {victim_page['p95_ms']:7.1f} ms  (cpu p95 {victim_page['cpu_p95_ms']:6.1f} ms)")  # fmt: skip
    stats_runs = []
    for _ in range(3):
        started = time.perf_counter()
        with open(os.devnull, "w") as sink:
            call_command("stats", "protection", "--from", "2015-01-01", "--to", "2015-12-31", stdout=sink)
        stats_runs.append(time.perf_counter() - started)
    stats_seconds = round(max(stats_runs), 3)
    print(f"  tipims stats protection (one year): worst of 3 {stats_seconds:.3f} s")
    print(f"  load average (1, 5, 15 min) at the end: {os.getloadavg()} on {os.cpu_count()} CPUs")
    return {
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "pages": pages,
        "page_p95_ms_worst": max(v["p95_ms"] for v in pages.values()),
        "stats_year_seconds_worst": stats_seconds,
        "targets": {"page_p95_ms": TARGET_PAGE_P95_MS, "stats_year_s": TARGET_STATS_S},
    }


def _loaded() -> dict:
    """What _load returns, read back from a database it filled before (``--sqlite-folder``)."""
    from tipims.accounts.models import User
    from tipims.protection.models import Victim

    caseworker = User.objects.get(username="caseworker")
    own = Victim.objects.filter(institution=caseworker.institution).values_list("reference", flat=True)
    return {"caseworker": caseworker.pk, "own": list(own[:2000]), "load_seconds": None}


def child(args) -> None:
    import django

    django.setup()
    from django.db import connection

    if args.measure_only:
        loaded = _loaded()
        print(f"  measuring the {args.victims} victims loaded earlier")
    else:
        loaded = _load(args.victims)
        print(f"  loaded {args.victims} victims in {loaded['load_seconds']} s")
    # A database in use has planner statistics (PostgreSQL's autovacuum, SQLite's PRAGMA optimize); one
    # filled a moment ago in a single transaction has none and would be measured with blind plans.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    measured = _measure(args.rounds, loaded["caseworker"], loaded["own"])
    result = {
        "backend": connection.vendor,
        "victims": args.victims,
        "load_seconds": loaded["load_seconds"],
        **measured,
    }
    Path(args.result_file).write_text(json.dumps(result))


def _run(backend: str, database_url: str, args, folder: Path, *, measure_only: bool = False) -> dict:
    arguments = ["--victims", str(args.victims), "--rounds", str(args.rounds)]
    arguments += ["--measure-only"] if measure_only else []
    return run_child(
        __file__,
        backend,
        database_url,
        folder / "var",
        arguments,
        result_file=folder / f"{backend}.json",
        fresh=not measure_only,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--victims", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database-url", help="A PostgreSQL database to drop, fill and measure too.")
    parser.add_argument(
        "--sqlite-folder",
        help="Keep the SQLite database in this folder; with --reuse, measure what an earlier run loaded there.",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Measure the databases an earlier run loaded (the SQLite file in --sqlite-folder and the "
        "PostgreSQL database of --database-url) again, after migrating them, without reloading.",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    folder = Path(args.sqlite_folder or tempfile.mkdtemp(prefix="tipims-bench-protection-"))
    reuse = args.reuse and bool(args.sqlite_folder) and (folder / "var" / "bench.sqlite3").exists()
    results = {
        "sqlite": _run(
            "sqlite", f"sqlite:///{folder / 'var' / 'bench.sqlite3'}", args, folder, measure_only=reuse
        )
    }
    if args.database_url:
        results["postgresql"] = _run("postgresql", args.database_url, args, folder, measure_only=args.reuse)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    for backend, result in results.items():
        print(
            f"{backend}: {result['victims']} victims; page p95 worst {result['page_p95_ms_worst']} ms "
            f"(target {TARGET_PAGE_P95_MS}); stats for a year {result['stats_year_seconds_worst']} s "
            f"(target {TARGET_STATS_S})"
        )
    print(f"saved {RESULTS}")


if __name__ == "__main__":
    main()
