"""Calibrate the model on large synthetic sets and write priors.json.

    python -m tipims.linkage.calibrate [--people 20000]

Three figures are measured, all on seed 7 (the benchmark, benchmarks/linkage.py, uses seed 99):

- the prior m probabilities, by EM on records with addresses: how often a true match shows each level
  (typing errors, missing second surnames, swapped dates) transfers between files; u probabilities
  (chance agreement) depend on each file's names and are estimated on every run;
- the recall of the rules that estimate the share of matching pairs in a file (engine.MATCH_RULES):
  without it that share, and every match probability with it, would be off by the rules' misses;
- the threshold with the best cluster F1 on records without addresses, the usual case: the default
  of ``tipims link``.
"""

from __future__ import annotations

import argparse
import json
import os

THRESHOLDS = [round(0.05 * step, 2) for step in range(1, 20)]


def _rules_recall(rows, engine) -> float:
    """Share of the true pairs that the exact-match rules of engine.MATCH_RULES bring together."""
    from tipims.linkage import synthetic
    from tipims.linkage.prepare import prepare

    prepared = prepare(rows.drop(columns=["true_id"])).set_index("unique_id")
    columns = engine.MATCH_RULE_COLUMNS
    values = {column: prepared[column].to_dict() for column in {c for cs in columns for c in cs}}

    def together(a, b) -> bool:
        return any(
            all(values[c][a] is not None and values[c][a] == values[c][b] for c in cs) for cs in columns
        )

    pairs = synthetic.true_pairs(rows)
    return sum(1 for a, b in pairs if together(a, b)) / max(1, len(pairs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tipims.settings")
    import django

    django.setup()
    from splink import DuckDBAPI, Linker

    from tipims.linkage import engine, model, synthetic
    from tipims.linkage.prepare import prepare

    rows = synthetic.generate(args.people, seed=7, addresses=True)
    recall = _rules_recall(rows, engine)
    print(f"recall of the match rules: {recall:.4f}")
    settings = model.settings(priors=False)
    linker = Linker(DuckDBAPI().register(prepare(rows.drop(columns=["true_id"]))), settings, log_level=None)
    engine.train(linker, print, match_rules_recall=recall)
    trained = linker.misc.save_model_to_json()
    calibration = {
        "model_version": model.MODEL_VERSION,
        "people": args.people,
        "match_rules_recall": round(recall, 4),
        "m": {
            comparison["output_column_name"]: [
                level.get("m_probability") for level in comparison["comparison_levels"]
            ]
            for comparison in trained["comparisons"]
        },
    }
    model.PRIORS.write_text(json.dumps(calibration, indent=1))
    model._calibration.cache_clear()

    plain = synthetic.generate(args.people, seed=7)
    records = plain.drop(columns=["true_id"])
    result = engine.link(records, threshold=min(THRESHOLDS))
    prepared = prepare(records)
    best = max(
        THRESHOLDS,
        key=lambda threshold: synthetic.scores(
            plain,
            _frame(engine.cluster_pairs(prepared, result.pairs, threshold)),
        )["cluster_f1"],
    )
    calibration["threshold"] = best
    model.PRIORS.write_text(json.dumps(calibration, indent=1))
    print(f"threshold with the best cluster F1: {best}")
    print(f"wrote {model.PRIORS}")


def _frame(assignment: dict):
    import pandas as pd

    return pd.DataFrame({"record_id": list(assignment), "cluster_id": list(assignment.values())})


if __name__ == "__main__":
    main()
