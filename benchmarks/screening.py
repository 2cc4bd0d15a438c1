"""Watchlist screening: speed and quality against a generated watchlist, with a brute-force baseline.

Measures, in one run:
- single screening of one crossing against the blocked index: median and 99th percentile (ms), in
  wall-clock time and in CPU time of the process (which other processes loading the machine do not
  inflate);
- bulk screening rate (crossings per second) on 1 process and on 2 processes;
- recall on generated name variants of watchlisted people (typing errors, swapped or missing
  surnames, accents dropped, particles added, day and month swapped) and precision over variants
  plus people who are not on the watchlist;
- the baseline: rapidfuzz's brute-force comparison of the full name with EVERY entry
  (``process.extract`` with ``token_sort_ratio``), its median latency, recall and precision.

Run: ``.venv/bin/python benchmarks/screening.py [--entries 100000] [--queries 2000]``. Prints and
saves benchmarks/results/screening.json. Needs no database.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rapidfuzz import fuzz, process

from tipims.border.screening import WatchlistIndex
from tipims.core.matching import Name, Person
from tipims.core.normalise import strip_accents

THRESHOLD = 0.85
ONSETS = "Al Ba Ca Ce Chi Do Es Fi Ga Gu He Ja Lo Ma Me Mo Na Or Pa Pe Qui Ra Re Sa So Ta To Va Ve Xi Ya Za".split()
MIDDLES = "ra li n nt ld rr gu st c m".split()
SURNAME_ENDS = "ez es as ano ena ado illo ón al ero ía uz ar ino".split()
GIVEN_ENDS = "a o ela ina ardo ián io ia elo ana".split()


def pools(rng: random.Random) -> tuple[list[str], list[str]]:
    surnames = [o + m + e for o in ONSETS for m in MIDDLES for e in SURNAME_ENDS]
    given = [o + m + e for o in ONSETS for m in MIDDLES for e in GIVEN_ENDS]
    rng.shuffle(surnames)
    rng.shuffle(given)
    return surnames, given


def random_person(rng, surnames, given) -> dict:
    return {
        "given": rng.choice(given) + (" " + rng.choice(given) if rng.random() < 0.4 else ""),
        "s1": rng.choice(surnames),
        "s2": rng.choice(surnames),
        "born": datetime.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
    }


def as_person(p: dict) -> Person:
    return Person((Name.of(p["given"], p["s1"], p["s2"]),), p["born"])


def typo(rng, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "swap", "double", "replace"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourlnst") + word[i + 1 :]


def variant(rng, p: dict) -> dict:
    """One or two of the ways a name is written differently at a border post."""
    v = dict(p)
    for change in rng.sample(
        ["typo_given", "typo_s1", "typo_s2", "swap", "missing", "accents", "particle", "daymonth"],
        rng.choice((1, 2)),
    ):
        if change == "typo_given":
            v["given"] = typo(rng, v["given"])
        elif change == "typo_s1":
            v["s1"] = typo(rng, v["s1"])
        elif change == "typo_s2" and v["s2"]:
            v["s2"] = typo(rng, v["s2"])
        elif change == "swap" and v["s2"]:
            v["s1"], v["s2"] = v["s2"], v["s1"]
        elif change == "missing":
            v["s2"] = ""
        elif change == "accents":
            v = {k: strip_accents(x).upper() if isinstance(x, str) else x for k, x in v.items()}
        elif change == "particle":
            v["s1"] = "de " + v["s1"]
        elif change == "daymonth" and v["born"].day <= 12:
            v["born"] = v["born"].replace(month=v["born"].day, day=v["born"].month)
    return v


def full_name(p: dict) -> str:
    return f"{p['given']} {p['s1']} {p['s2']}".lower()


_INDEX: WatchlistIndex | None = None


def _screen_chunk(people: list[Person]) -> int:
    return sum(len(hits) for hits in _INDEX.screen_many(people, THRESHOLD))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--baseline-queries", type=int, default=200)
    parser.add_argument(
        "--bulk", type=int, default=20_000, help="Crossings screened in bulk (1%% watchlisted, as at a post)."
    )
    args = parser.parse_args()
    rng = random.Random(2004)
    surnames, given = pools(rng)
    entries = {i: random_person(rng, surnames, given) for i in range(args.entries)}

    started = time.perf_counter()
    index = WatchlistIndex((i, as_person(p)) for i, p in entries.items())
    build_seconds = time.perf_counter() - started
    gc.freeze()  # as screening.active_index does after building: the index is never garbage

    targets = rng.sample(range(args.entries), args.queries // 2)
    positives = [(t, variant(rng, entries[t])) for t in targets]
    negatives = [(None, random_person(rng, surnames, given)) for _ in range(args.queries - len(positives))]
    queries = positives + negatives
    rng.shuffle(queries)

    load_before = os.getloadavg()
    latencies, cpu_latencies, found, true_hits, all_hits = [], [], 0, 0, 0
    for target, query in queries:
        person = as_person(query)
        start, cpu_start = time.perf_counter(), time.process_time()
        hits = index.screen(person, THRESHOLD)
        latencies.append((time.perf_counter() - start) * 1000)
        cpu_latencies.append((time.process_time() - cpu_start) * 1000)
        keys = {hit.key for hit in hits}
        all_hits += len(keys)
        if target is not None:
            found += target in keys
            true_hits += target in keys
    latencies.sort()
    cpu_latencies.sort()
    recall = found / len(positives)
    precision = true_hits / all_hits if all_hits else 1.0

    # Bulk: a day's crossings at a busy post, distinct travellers, about 1% of them watchlisted. Enough of
    # them that starting the worker processes does not dominate the rate.
    people = [
        as_person(variant(rng, entries[rng.randrange(args.entries)]))
        if rng.random() < 0.01
        else as_person(random_person(rng, surnames, given))
        for _ in range(args.bulk)
    ]
    start = time.perf_counter()
    index.screen_many(people, THRESHOLD)
    rate_1 = len(people) / (time.perf_counter() - start)
    global _INDEX
    _INDEX = index
    chunks = [people[i::2] for i in range(2)]
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        start = time.perf_counter()
        pool.map(_screen_chunk, chunks)
        rate_2 = len(people) / (time.perf_counter() - start)

    # Baseline: every query compared with every entry's full name by rapidfuzz (C, vectorised).
    choices = [full_name(p) for p in entries.values()]
    sample = queries[: args.baseline_queries]
    base_latencies, base_found, base_true, base_all = [], 0, 0, 0
    base_positives = 0
    for target, query in sample:
        start = time.perf_counter()
        results = process.extract(
            strip_accents(full_name(query)).replace("de ", ""),
            choices,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=85,
            limit=20,
        )
        base_latencies.append((time.perf_counter() - start) * 1000)
        keys = {position for _, _, position in results}
        base_all += len(keys)
        if target is not None:
            base_positives += 1
            base_found += target in keys
            base_true += target in keys
    base_latencies.sort()

    def percentile(values, q):
        return round(values[min(len(values) - 1, int(q * len(values)))], 3)

    report = {
        "entries": args.entries,
        "queries": len(queries),
        "threshold": THRESHOLD,
        "index_build_seconds": round(build_seconds, 2),
        "single_ms_median": round(statistics.median(latencies), 3),
        "single_ms_p99": percentile(latencies, 0.99),
        "single_cpu_ms_median": round(statistics.median(cpu_latencies), 3),
        "single_cpu_ms_p99": percentile(cpu_latencies, 0.99),
        "bulk_crossings": args.bulk,
        "bulk_per_second_1_process": round(rate_1),
        "bulk_per_second_2_processes": round(rate_2),
        "recall_on_variants": round(recall, 4),
        "precision": round(precision, 4),
        "baseline": {
            "method": "rapidfuzz process.extract, token_sort_ratio >= 85, full name vs every entry",
            "queries": len(sample),
            "single_ms_median": round(statistics.median(base_latencies), 3),
            "single_ms_p99": percentile(base_latencies, 0.99),
            "recall_on_variants": round(base_found / base_positives, 4) if base_positives else None,
            "precision": round(base_true / base_all, 4) if base_all else 1.0,
        },
        "load_average_before_and_after": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        "python": sys.version.split()[0],
        "cpus": multiprocessing.cpu_count(),
    }
    print(json.dumps(report, indent=2))
    out = Path(__file__).resolve().parent / "results" / "screening.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
