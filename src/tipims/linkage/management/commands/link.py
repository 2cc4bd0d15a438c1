"""`tipims link --input PEOPLE.csv --output CLUSTERS.csv [--engine duckdb|spark]`."""

import csv
import json
import os
from pathlib import Path

import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from tipims.linkage import engine, model
from tipims.linkage.prepare import INPUT_COLUMNS, InputError


class Command(BaseCommand):
    help = (
        "Group the rows of a CSV of person records that are the same person. Input columns: "
        + ", ".join(INPUT_COLUMNS)
        + " (any but record_id may be empty). Output: record_id, cluster_id, match_probability."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path)
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--engine", choices=engine.ENGINES, default="duckdb")
        parser.add_argument(
            "--threshold",
            type=float,
            default=engine.DEFAULT_THRESHOLD,
            help="Match probability that joins two records.",
        )
        parser.add_argument("--model", type=Path, help="A trained model (JSON) to use instead of training.")
        parser.add_argument(
            "--retrain",
            action="store_true",
            help="Estimate m probabilities by EM on this file instead of the calibrated priors.",
        )
        parser.add_argument("--save-model", type=Path, help="Write the trained model here (JSON, versioned).")

    def handle(self, *args, **options):
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold must be between 0 and 1")
        try:
            rows = pd.read_csv(options["input"], dtype=str, keep_default_na=False)
        except (OSError, pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
            raise CommandError(f"cannot read {options['input']}: {error}") from None
        trained = None
        if options["model"]:
            try:
                trained = json.loads(options["model"].read_text())
            except (OSError, ValueError) as error:
                raise CommandError(f"cannot read the model {options['model']}: {error}") from None
            version = trained.pop("tipims_model_version", None) if isinstance(trained, dict) else None
            if version != model.MODEL_VERSION:
                raise CommandError(
                    f"the model is version {version!r}; this TIPIMS links with {model.MODEL_VERSION!r}"
                )
        try:
            result = engine.link(
                rows,
                engine=options["engine"],
                threshold=options["threshold"],
                trained_model=trained,
                retrain=options["retrain"],
                progress=lambda message: self.stderr.write(f"  {message}…"),
            )
        except (InputError, engine.EngineUnavailable) as error:
            raise CommandError(str(error)) from None
        # Written beside the target and renamed: a failure never leaves a half-written file.
        output: Path = options["output"]
        temporary = output.with_name(output.name + ".part")
        result.clusters.to_csv(temporary, index=False, quoting=csv.QUOTE_MINIMAL)
        os.replace(temporary, output)
        if options["save_model"]:
            saved = {"tipims_model_version": model.MODEL_VERSION, **result.model_json}
            options["save_model"].write_text(json.dumps(saved, indent=1))
        people = result.clusters["cluster_id"].nunique()
        self.stdout.write(f"{len(result.clusters)} records, {people} persons; clusters written to {output}")
