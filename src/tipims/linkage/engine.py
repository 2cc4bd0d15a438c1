"""Running the linkage model on a table of person rows: train, predict pairs, cluster.

DuckDB on one machine by default; Apache Spark with ``engine="spark"`` (pyspark must be installed)
for regions that pool tens of millions of records. The model settings are the same on both.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from splink import Linker, block_on

from tipims.linkage import clustering, model
from tipims.linkage.prepare import prepare

ENGINES = ("duckdb", "spark")
# Links are added by falling probability and refused where they would join contradicting groups
# (clustering.py). The default is the threshold that gave the best cluster F1 when the model was
# calibrated (python -m tipims.linkage.calibrate, on a synthetic set other than the benchmark's).
DEFAULT_THRESHOLD = model.calibrated("threshold", 0.5)
# Pairs these rules bring together are almost surely matches; how many of all matches they find
# (their recall, measured at calibration) sets the share of matching pairs in a file.
MATCH_RULE_COLUMNS = (("document",), ("given", "surname1", "dob"))
MATCH_RULES = [block_on(*columns) for columns in MATCH_RULE_COLUMNS]


class EngineUnavailable(RuntimeError):
    pass


@dataclass
class LinkResult:
    clusters: pd.DataFrame  # record_id, cluster_id, match_probability
    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability (above the prediction threshold)
    model_json: dict


def _db_api(engine: str):
    if engine == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    if engine == "spark":
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise EngineUnavailable("the spark engine needs pyspark (pip install pyspark) and Java") from None
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location

        spark = (
            SparkSession.builder.master("local[2]")
            .appName("tipims-linkage")
            .config("spark.ui.enabled", "false")
            .config("spark.jars", similarity_jar_location())  # Splink's string-similarity functions
            .getOrCreate()
        )
        # Splink breaks long query lineages with checkpoints, which need a directory.
        spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="tipims-spark-"))
        return SparkAPI(spark_session=spark)
    raise EngineUnavailable(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")


def train(linker: Linker, progress: Callable[[str], None], *, expectation_maximisation: bool = True) -> None:
    """Estimate the model on the file itself: the share of matches and the chance agreement (u) always;
    the m probabilities by EM only when asked (otherwise the calibrated priors stand)."""
    progress("estimating the share of matching pairs")
    linker.training.estimate_probability_two_random_records_match(
        MATCH_RULES, recall=model.calibrated("match_rules_recall", 0.7)
    )
    progress("estimating u probabilities from random pairs")
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=2004)
    if not expectation_maximisation:
        return
    for label, rule in (
        ("surname", block_on("surname1")),
        ("date of birth", block_on("dob")),
        ("given name and year", block_on("given_first", "birth_year")),
    ):
        progress(f"estimating m probabilities (EM, blocked on {label})")
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except ValueError as error:
            # On small files EM can drive a level's m probability to underflow; the other blocked
            # sessions still estimate that comparison, so this session is skipped, not fatal.
            progress(f"skipped: {error}")


def link(
    rows: pd.DataFrame,
    *,
    engine: str = "duckdb",
    threshold: float = DEFAULT_THRESHOLD,
    trained_model: dict | Path | None = None,
    retrain: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> LinkResult:
    """Group rows that are the same person. ``threshold`` is the match probability that joins two
    records into one cluster."""
    prepared = prepare(rows)
    db_api = _db_api(engine)
    table = db_api.register(prepared)
    logging.getLogger("splink").setLevel(logging.ERROR)
    settings = trained_model if trained_model is not None else model.settings(priors=not retrain)
    if isinstance(settings, Path):
        settings = json.loads(settings.read_text())
    if engine == "spark":
        settings = _for_spark(settings)
    linker = Linker(table, settings, log_level=None)
    if trained_model is None:
        train(linker, progress, expectation_maximisation=retrain)
    progress("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=min(0.5, threshold))
    model_json = linker.misc.save_model_to_json()
    scored = predictions.as_pandas_dataframe()
    pairs = scored[["unique_id_l", "unique_id_r", "match_probability"]].copy()
    pairs["explanation"] = explanations(scored, model_json)
    progress("clustering")
    assignment = cluster_pairs(prepared, pairs, threshold)
    members = pd.DataFrame({"unique_id": list(assignment), "cluster_id": list(assignment.values())})
    return LinkResult(clusters=_with_probabilities(members, pairs), pairs=pairs, model_json=model_json)


def cluster_pairs(prepared: pd.DataFrame, pairs: pd.DataFrame, threshold: float) -> dict:
    """record id -> cluster id: the scored pairs at or above ``threshold`` joined by falling score,
    without joining records whose documents or dates of birth contradict (clustering.py)."""
    return clustering.cluster(
        prepared["unique_id"],
        zip(pairs["match_probability"], pairs["unique_id_l"], pairs["unique_id_r"], strict=True),
        threshold=threshold,
        documents={
            record: document
            for record, document in zip(prepared["unique_id"], prepared["document"], strict=True)
            if isinstance(document, str)  # missing values may arrive as None or NaN
        },
        dates_of_birth={
            record: date if isinstance(date, str) else str(year)
            for record, date, year in zip(
                prepared["unique_id"], prepared["dob"], prepared["birth_year"], strict=True
            )
            if isinstance(date, str) or not pd.isna(year)
        },
    )


def _for_spark(settings) -> dict:
    """The model's levels and blocking rules are written in DuckDB's SQL: translate them with sqlglot,
    as Splink does, except the Jaro-Winkler function, which Splink's Spark jar names jaro_winkler.
    Serves both a model created here and a saved (trained) one."""
    import sqlglot

    def spark_sql(sql: str) -> str:
        if sql.strip().upper() == "ELSE":
            return sql
        translated = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
        # sqlglot leaves these two as DuckDB names them: Splink's Spark jar and Spark's own.
        return translated.replace("JAROWINKLER_SIMILARITY(", "jaro_winkler(").replace(
            "LIST_INTERSECT(", "ARRAY_INTERSECT("
        )

    if isinstance(settings, dict):
        settings = json.loads(json.dumps(settings))  # a copy: the caller's model stays DuckDB's
    else:
        settings = settings.create_settings_dict("duckdb")
    if settings.get("sql_dialect", "duckdb") != "duckdb":
        return settings
    settings["sql_dialect"] = "spark"
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = spark_sql(level["sql_condition"])
    for rule in settings.get("blocking_rules_to_generate_predictions", []):
        rule["blocking_rule"] = spark_sql(rule["blocking_rule"])
        rule["sql_dialect"] = "spark"
    return settings


def link_new(
    rows: pd.DataFrame,
    new_ids: set[str],
    trained_model: dict,
    *,
    engine: str = "duckdb",
    threshold: float = 0.5,
) -> pd.DataFrame:
    """Score only the pairs that involve a new record, with a model already trained on the register:
    the same blocking rules, restricted so that the cost grows with the new records, not the register.
    Returns unique_id_l, unique_id_r, match_probability, explanation."""
    prepared = prepare(rows)
    prepared["is_new"] = prepared["unique_id"].isin(new_ids).astype(int)
    settings = dict(trained_model)
    settings["blocking_rules_to_generate_predictions"] = [
        {
            "blocking_rule": f"({_rule_sql(rule)}) AND (l.is_new = 1 OR r.is_new = 1)",
            "sql_dialect": "duckdb",
        }
        for rule in model.BLOCKING_RULES + model.ADDRESS_BLOCKING_RULES
    ]
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = Linker(_db_api(engine).register(prepared), settings, log_level=None)
    scored = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    pairs = scored[["unique_id_l", "unique_id_r", "match_probability"]].copy()
    pairs["explanation"] = explanations(scored, trained_model)
    return pairs


def _rule_sql(rule) -> str:
    return rule if isinstance(rule, str) else rule.get_blocking_rule("duckdb").blocking_rule_sql


def level_labels(model_json: dict) -> dict[str, dict[int, str]]:
    """For each comparison, its gamma value -> the level's label (null level -1, else level 0)."""
    labels = {}
    for comparison in model_json["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [level for level in levels if not level.get("is_null_level")]
        mapping = {
            len(non_null) - 1 - i: level.get("label_for_charts", "") for i, level in enumerate(non_null)
        }
        mapping[-1] = next(
            (level.get("label_for_charts", "") for level in levels if level.get("is_null_level")), ""
        )
        labels[comparison["output_column_name"]] = mapping
    return labels


def explanations(scored: pd.DataFrame, model_json: dict) -> list[list[str]]:
    """Per pair, the label of the level each comparison reached: what a reviewer reads."""
    labels = level_labels(model_json)
    columns = [(name, f"gamma_{name}") for name in labels if f"gamma_{name}" in scored.columns]
    return [
        [
            labels[name].get(int(gamma), "")
            for name, gamma in zip((n for n, _ in columns), values, strict=True)
        ]
        for values in scored[[column for _, column in columns]].itertuples(index=False)
    ]


def _with_probabilities(members: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Each record's probability of belonging to its cluster: its strongest link inside the cluster."""
    cluster_of = dict(zip(members["unique_id"], members["cluster_id"], strict=True))
    inside = pairs[
        [
            cluster_of.get(left) == cluster_of.get(right)
            for left, right in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)
        ]
    ]
    strongest = (
        pd.concat(
            [
                inside[["unique_id_l", "match_probability"]].rename(columns={"unique_id_l": "unique_id"}),
                inside[["unique_id_r", "match_probability"]].rename(columns={"unique_id_r": "unique_id"}),
            ]
        )
        .groupby("unique_id")["match_probability"]
        .max()
    )
    out = members.rename(columns={"unique_id": "record_id"})
    out["match_probability"] = out["record_id"].map(strongest).round(4)
    return out.sort_values(["cluster_id", "record_id"]).reset_index(drop=True)
