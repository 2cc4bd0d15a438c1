"""Justice at scale: loads N criminal cases (default 100,000) with their complaints, defendants,
charges and judgments into a fresh database, then measures

- the prosecutor's filtered case list (page and API): median and 95th percentile over --rounds;
- `tipims stats justice` for one year.

SQLite always (a temporary file); PostgreSQL too when --database-url names a database it may drop and
fill (for example postgres://postgres@127.0.0.1:5432/tipims_justice_bench). The lists page without a
COUNT over every case (justice/paging.py); the load average is recorded beside the figures. Prints and saves
benchmarks/results/justice.json. The rows are written with bulk_create, not the services: this
measures reads, and loading 100,000 audited cases one by one would take hours.

    .venv/bin/python benchmarks/justice.py --cases 100000 [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _harness import run_child  # benchmarks/_harness.py: scripts run from this folder

RESULTS = Path(__file__).parent / "results" / "justice.json"
TARGET_LIST_P95_MS = 150
TARGET_STATS_S = 2.0


def _load(cases: int) -> dict:
    """Bulk-load the synthetic rows (the caller has migrated an empty database)."""
    import datetime
    import random

    from django.db import transaction

    from tipims.accounts import services as account_services
    from tipims.accounts.roles import Role
    from tipims.core.models import Department
    from tipims.justice.models import (
        PHASES,
        Charge,
        Complaint,
        CriminalCase,
        Defendant,
        Judgment,
        LegalProvision,
    )
    from tipims.people.models import PersonRecord

    rng = random.Random(2004)
    office = account_services.institution_create(
        actor=None, code="mp-bench", name="MP benchmark", short_name="MP", org_type="LegalService"
    )
    other = account_services.institution_create(
        actor=None, code="mp-other", name="MP other office", short_name="MP2", org_type="LegalService"
    )
    prosecutor = account_services.user_create(
        actor=None, username="prosecutor", institution=office, roles=[Role.PROSECUTOR], password=None
    )
    departments = list(Department.objects.all())
    provisions = list(LegalProvision.objects.all())
    start = time.perf_counter()
    batch = 5000
    with transaction.atomic():
        for first in range(0, cases, batch):
            size = min(batch, cases - first)
            owners = [office if rng.random() < 0.5 else other for _ in range(size)]
            rows = []
            for index in range(size):
                opened = datetime.date(2003, 1, 1) + datetime.timedelta(days=rng.randint(0, 8600))
                phase = rng.choice(PHASES)
                rows.append(
                    CriminalCase(
                        institution=owners[index],
                        number=f"{first + index}-{opened.year % 100:02d}",
                        offence_date=opened - datetime.timedelta(days=rng.randint(1, 60)),
                        opened_on=opened,
                        phase=phase,
                        phase_since=opened + datetime.timedelta(days=rng.randint(0, 400)),
                        department=rng.choice(departments),
                        district="Escuintla",
                        exploitation_types=["SexualExploitation"],
                    )
                )
            created = CriminalCase.objects.bulk_create(rows)
            Complaint.objects.bulk_create(
                Complaint(
                    institution=c.institution,
                    channel="hotline",
                    received_on=c.opened_on,
                    department=c.department,
                    status="case_opened",
                    case=c,
                )
                for c in created
            )
            people = PersonRecord.objects.bulk_create(
                PersonRecord(
                    institution=c.institution,
                    surname1="Pérez",
                    sex=rng.choice(["Masculine", "Masculine", "Feminine"]),
                    citizenships=[rng.choice(["GT", "GT", "SV", "HN", "NI"])],
                )
                for c in created
            )
            defendants = Defendant.objects.bulk_create(
                Defendant(case=c, person=p, roles=["Exploiter"]) for c, p in zip(created, people, strict=True)
            )
            charged = [(c, d) for c, d in zip(created, defendants, strict=True) if rng.random() < 0.6]
            charges = Charge.objects.bulk_create(
                Charge(
                    defendant=d,
                    provision=rng.choice(provisions),
                    offence_date=c.offence_date,
                    filed_on=c.opened_on + datetime.timedelta(days=rng.randint(10, 200)),
                )
                for c, d in charged
            )
            Judgment.objects.bulk_create(
                Judgment(
                    charge=charge,
                    verdict="conviction" if rng.random() < 0.7 else "acquittal",
                    date=charge.filed_on + datetime.timedelta(days=rng.randint(100, 600)),
                )
                for charge in charges
                if rng.random() < 0.5
            )
    from django.db import connection

    with connection.cursor() as cursor:
        # Fresh planner statistics; on PostgreSQL also the visibility map that autovacuum sets after
        # bulk inserts, without which no index-only scan is possible.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"prosecutor": prosecutor.pk, "load_seconds": round(time.perf_counter() - start, 1)}


def _measure(rounds: int, prosecutor_id: int) -> dict:
    from django.core.management import call_command
    from django.test import Client

    from tipims.accounts.models import User
    from tipims.core.models import Department

    client = Client()
    client.force_login(User.objects.get(pk=prosecutor_id))
    escuintla = Department.objects.get(name="Escuintla").pk
    urls = [
        "/justice/cases/",
        f"/justice/cases/?phase=investigation&department={escuintla}&year=2015",
        "/justice/cases/?overdue=on",
        "/justice/cases/?offence=aggravated_pimping&page=3",
        f"/api/justice/cases/?phase=trial&department={escuintla}&limit=50",
    ]
    lists = {}
    for url in urls:
        client.get(url)  # warm up
        timings, cpu = [], []
        for _ in range(rounds):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            # This process's CPU: on a shared machine the wall time also counts waiting for a core.
            # (On SQLite it includes the database's work; on PostgreSQL the server's is not in it.)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        lists[url] = {
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
            "cpu_median_ms": round(statistics.median(cpu), 1),
        }
        print(
            f"  {url:70} median {lists[url]['median_ms']:7.1f} ms  p95 {lists[url]['p95_ms']:7.1f} ms"
            f"  (cpu median {lists[url]['cpu_median_ms']:6.1f} ms)"
        )
    stats_runs = []
    for _ in range(3):
        start = time.perf_counter()
        with open(os.devnull, "w") as sink:
            call_command("stats", "justice", "--from", "2015-01-01", "--to", "2015-12-31", stdout=sink)
        stats_runs.append(time.perf_counter() - start)
    stats_seconds = round(max(stats_runs), 3)
    print(f"  tipims stats justice (one year): worst of 3 {stats_seconds:.3f} s")
    return {
        "lists": lists,
        "list_p95_ms_worst": max(v["p95_ms"] for v in lists.values()),
        "stats_year_seconds_worst": stats_seconds,
        "targets": {"list_p95_ms": TARGET_LIST_P95_MS, "stats_year_s": TARGET_STATS_S},
    }


def _import_every_route(attempts: int = 12) -> None:
    """Import the whole URLconf before the long load, not at the first request after it: in a checkout
    others are editing, a module caught half-written fails here in seconds (and is retried)."""
    from django.urls import clear_url_caches, get_resolver

    for attempt in range(attempts):
        try:
            get_resolver().url_patterns  # noqa: B018 (imports every view module)
            return
        except ImportError as error:
            if attempt == attempts - 1:
                raise
            print(f"  the code does not import yet ({error}); retrying in 10 s")
            clear_url_caches()
            for name in [m for m in sys.modules if m.startswith("tipims.") and m.endswith(("urls", "views"))]:
                sys.modules.pop(name, None)
            time.sleep(10)


def child(args) -> None:
    import django

    django.setup()
    from django.db import connection

    _import_every_route()
    loaded = _load(args.cases)
    print(f"  loaded {args.cases} cases in {loaded['load_seconds']} s")
    load_before = os.getloadavg()  # the machine is shared: the figures mean little without the load
    measured = _measure(args.rounds, loaded["prosecutor"])
    load_after = os.getloadavg()
    print(f"  load average (1, 5, 15 min) before {load_before}, after {load_after}")
    result = {
        "backend": connection.vendor,
        "cases": args.cases,
        "load_seconds": loaded["load_seconds"],
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        **measured,
    }
    Path(args.result_file).write_text(json.dumps(result))


def _run(backend: str, database_url: str, args, folder: Path) -> dict:
    arguments = ["--cases", str(args.cases), "--rounds", str(args.rounds)]
    return run_child(
        __file__, backend, database_url, folder / "var", arguments, result_file=folder / f"{backend}.json"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database-url", help="A PostgreSQL database to drop, fill and measure too.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    folder = Path(tempfile.mkdtemp(prefix="tipims-bench-justice-"))
    results = {"sqlite": _run("sqlite", f"sqlite:///{folder / 'var' / 'bench.sqlite3'}", args, folder)}
    if args.database_url:
        results["postgresql"] = _run("postgresql", args.database_url, args, folder)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    for backend, result in results.items():
        print(
            f"{backend}: {result['cases']} cases; list p95 worst {result['list_p95_ms_worst']} ms "
            f"(target {TARGET_LIST_P95_MS}); stats for a year {result['stats_year_seconds_worst']} s "
            f"(target {TARGET_STATS_S})"
        )
    print(f"saved {RESULTS}")


if __name__ == "__main__":
    main()
