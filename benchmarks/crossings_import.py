"""Bulk import of crossings (`tipims import crossings FILE.csv`) into a fresh SQLite database.

Generates a CSV of N synthetic crossings (every traveller different: the worst case, no person record
reused), then times the real command in a database of its own in a temporary folder (validation of
every row, person records with encrypted identity, crossings, one transaction, screening against an
empty watchlist unless --watchlist N creates N entries, the indicator rules). Reports wall time and the CPU time the command used (its own
and that of the process that reads the file), with the load average, since other processes on the
machine inflate wall time (the importer keeps two cores busy). Prints and saves
benchmarks/results/crossings_import.json with rows per second and the projection to one million rows.

Run: ``.venv/bin/python benchmarks/crossings_import.py [--rows 100000] [--watchlist 5000]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POINTS = ["el-carmen", "tecun-uman", "la-mesilla", "la-aurora", "pedro-de-alvarado", "agua-caliente"]
GIVEN = "María José Ana Juan Carlos Sofía Pedro Lucía Mario Wendy Kevin Dulce".split()
SURNAMES = "López García Pérez Hernández Tzoc Pop Caal Xicará Ajanel Orellana Barrios Cifuentes".split()


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(1)
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["given_names", "surname1", "surname2", "sex", "birth_date", "nationality", "document_type",
             "document_number", "direction", "crossed_at", "point", "deported"]
        )  # fmt: skip
        for i in range(rows):
            writer.writerow(
                [
                    rng.choice(GIVEN), rng.choice(SURNAMES), rng.choice(SURNAMES), rng.choice(("Feminine", "Masculine")),
                    f"{rng.randint(1950, 2015)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
                    rng.choice(("GT", "HN", "SV", "MX")), "PASSPORT", f"P{i:09}", rng.choice(("in", "out")),
                    (start + datetime.timedelta(seconds=rng.randint(0, 300 * 86400))).isoformat(),
                    rng.choice(POINTS), "no",
                ]
            )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--watchlist",
        type=int,
        default=0,
        help="Active watchlist entries to screen against (the demo's kind).",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tipims-import-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TIPIMS_"))}
    env.update(
        TIPIMS_VAR_DIR=str(folder / "var"), DATABASE_URL=f"sqlite:///{folder / 'var' / 'tipims.sqlite3'}"
    )
    (folder / "var").mkdir()
    tipims = str(Path(sys.executable).parent / "tipims")
    subprocess.run([tipims, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [
            tipims, "shell", "-c",
            "from tipims.accounts import services as s;"
            "i = s.institution_create(actor=None, code='dgm', name='DGM', short_name='DGM', org_type='ImmigrationService');"
            "s.user_create(actor=None, username='officer', institution=i, roles=['border_officer'])",
        ],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    if args.watchlist:
        subprocess.run(
            [
                tipims, "shell", "-c",
                "import random; from tipims.accounts import services as s; from tipims.demo.border import make_watchlist;"
                "i = s.institution_create(actor=None, code='pnc', name='PNC', short_name='PNC', org_type='LawEnforcement');"
                "u = s.user_create(actor=None, username='investigator', institution=i, roles=['investigator']);"
                f"make_watchlist(random.Random(1), u, {args.watchlist})",
            ],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
    path = folder / "crossings.csv"
    write_csv(path, args.rows)
    load_before = os.getloadavg()
    used_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [tipims, "import", "crossings", str(path), "--as", "officer"], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(folder)  # the database of a million rows is large: measured, it goes
    # CPU time of the command and its reading process, all threads: what other processes loading the
    # machine do not inflate. On two idle cores the wall time is well over half of it: the process
    # that writes does more than the one that reads.
    cpu_seconds = (used.ru_utime - used_before.ru_utime) + (used.ru_stime - used_before.ru_stime)
    if result.returncode != 0:
        sys.exit(result.stderr)
    report = {
        "rows": args.rows,
        "watchlist_entries": args.watchlist,
        "seconds_including_start_up": round(seconds, 2),
        "rows_per_second": round(args.rows / seconds),
        "projected_seconds_for_1m_rows": round(1_000_000 * seconds / args.rows, 1),
        "cpu_seconds_including_start_up": round(cpu_seconds, 2),
        "cpu_microseconds_per_row": round(1e6 * cpu_seconds / args.rows, 1),
        "command_output": result.stdout.strip(),
        "database": "SQLite",
        "load_average_before_and_after": [round(x, 2) for x in load_before]
        + [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(report, indent=2))
    out = Path(__file__).resolve().parent / "results" / "crossings_import.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
