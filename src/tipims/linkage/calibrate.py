"""Re-estimate the model's prior m probabilities on a large synthetic set and write priors.json.

    python -m tipims.linkage.calibrate [--people 20000]

The m probabilities (how often a true match shows each level: typing errors, missing second surnames,
swapped dates) transfer between datasets; u probabilities (chance agreement) depend on each file's
names and are estimated on every run. Starting from these priors lets small files link well.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

PRIORS = Path(__file__).with_name("priors.json")


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

    rows = synthetic.generate(args.people, seed=7).drop(columns=["true_id"])
    linker = Linker(DuckDBAPI().register(prepare(rows)), model.settings(priors=False), log_level=None)
    engine.train(linker, print)
    trained = linker.misc.save_model_to_json()
    priors = {
        comparison["output_column_name"]: [
            level.get("m_probability") for level in comparison["comparison_levels"]
        ]
        for comparison in trained["comparisons"]
    }
    PRIORS.write_text(
        json.dumps({"model_version": model.MODEL_VERSION, "people": args.people, "m": priors}, indent=1)
    )
    print(f"wrote {PRIORS}")


if __name__ == "__main__":
    main()
