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

import numpy as np
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
    candidates: int | None = None  # pairs scored (the blocking rules' pairs), where the engine counts them


def _db_api(engine: str):
    if engine == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        connection = duckdb.connect()
        # DuckDB draws a progress bar on long queries, which would land in `tipims link`'s output.
        connection.execute("SET enable_progress_bar = false")
        # What does not fit in memory spills to the system's temporary folder, not to a ".tmp" in
        # whatever folder the command was started from.
        connection.execute("SET temp_directory = ?", [str(Path(tempfile.gettempdir()) / "tipims-duckdb")])
        return DuckDBAPI(connection=connection)
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


def train(
    linker: Linker,
    progress: Callable[[str], None],
    *,
    expectation_maximisation: bool = True,
    match_rules_recall: float | None = None,
) -> None:
    """Estimate the model on the file itself: the share of matches and the chance agreement (u) always;
    the m probabilities by EM only when asked (otherwise the calibrated priors stand).
    ``match_rules_recall`` overrides the calibrated recall of MATCH_RULES (calibration measures it)."""
    progress("estimating the share of matching pairs")
    if match_rules_recall is None:
        match_rules_recall = model.calibrated("match_rules_recall", 0.7)
    linker.training.estimate_probability_two_random_records_match(MATCH_RULES, recall=match_rules_recall)
    progress("estimating u probabilities from random pairs")
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=2004)
    if not expectation_maximisation:
        return
    # Each session holds some comparisons fixed and estimates the others; the rules are narrow enough
    # for a million records (one surname alone would pair billions).
    for label, rule in (
        ("surname, given name and year", block_on("surname1", "given_first", "birth_year")),
        ("date of birth and surname initial", block_on("dob", "substr(surname1, 1, 1)")),
        ("document", block_on("document")),
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
    table = _register(db_api, prepared)
    logging.getLogger("splink").setLevel(logging.ERROR)
    settings = trained_model if trained_model is not None else model.settings(priors=not retrain)
    if isinstance(settings, Path):
        settings = json.loads(settings.read_text())
    if engine == "spark":
        settings = _for_spark(settings)
    linker = Linker(table, settings, log_level=None)
    if trained_model is None:
        train(linker, progress, expectation_maximisation=retrain)
    model_json = linker.misc.save_model_to_json()
    candidates = None
    if engine == "duckdb":
        progress("finding candidate pairs")
        rules = model_json["blocking_rules_to_generate_predictions"]
        candidates = _block(linker, db_api, table.physical_name, rules)
    progress("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=min(0.5, threshold))
    scored = _scored(predictions, model_json)
    pairs = scored[["unique_id_l", "unique_id_r", "match_probability"]].copy()
    pairs["explanation"] = explanations(scored, model_json)
    progress("clustering")
    assignment = cluster_pairs(prepared, pairs, threshold)
    members = pd.DataFrame(
        {
            "unique_id": prepared["unique_id"],
            "cluster_id": [assignment[r] for r in prepared["unique_id"].tolist()],
        }
    )
    return LinkResult(
        clusters=_with_probabilities(members, pairs),
        pairs=pairs,
        model_json=model_json,
        candidates=candidates,
    )


def _register(db_api, prepared: pd.DataFrame):
    """The prepared records as the linker's input. On DuckDB they are copied once into a table: Splink
    would otherwise read the pandas frame (Python strings) again in every query, once per blocking
    rule among them."""
    from splink import DuckDBAPI

    if not isinstance(db_api, DuckDBAPI):
        return db_api.register(prepared)
    return db_api.register(_load(db_api.duckdb_con, prepared))


def _load(connection, prepared: pd.DataFrame) -> str:
    connection.register("tipims_prepared_frame", prepared)
    connection.execute("CREATE TABLE tipims_records AS SELECT * FROM tipims_prepared_frame")
    connection.unregister("tipims_prepared_frame")
    return "tipims_records"


def _blocked_pairs(connection, table: str, rules: list[dict], *, only_new: bool = False) -> str | None:
    """The candidate pairs on DuckDB, made here rather than by Splink: the pairs Splink would make
    (each rule over l.unique_id < r.unique_id; the first rule that finds a pair is its match key), but
    each rule runs on its own and the pairs are deduplicated once. Splink excludes from each rule the
    pairs of all the rules before it, evaluating every earlier rule on every candidate of a later one,
    which at a million records costs more than the scoring. With ``only_new``, only pairs with a new
    record (``is_new``) are made, each rule joined from the new records' side, so that the cost
    follows the new records rather than the register. None where Splink must block (exploding rules)."""
    if any(rule.get("arrays_to_explode") for rule in rules):
        return None
    # The rules are the model's own SQL (model.py or a saved model), not user input.
    selects = [
        f"SELECT {number} AS match_key, l.unique_id AS join_key_l, r.unique_id AS join_key_r "  # noqa: S608
        f"FROM {table} AS l JOIN {table} AS r ON ({rule['blocking_rule']}){new} "
        "WHERE l.unique_id < r.unique_id"
        for number, rule in enumerate(rules)
        for new in ((" AND l.is_new = 1", " AND r.is_new = 1") if only_new else ("",))
    ]
    union = " UNION ALL ".join(selects)
    connection.execute(
        "CREATE TABLE tipims_blocked_pairs AS SELECT join_key_l, join_key_r, "  # noqa: S608
        f"CAST(min(match_key) AS VARCHAR) AS match_key FROM ({union}) GROUP BY join_key_l, join_key_r"
    )
    return "tipims_blocked_pairs"


def _block(linker: Linker, db_api, table: str, rules: list[dict], *, only_new: bool = False) -> int | None:
    """Make the candidate pairs (``_blocked_pairs``) for the linker's predict() to score; their number."""
    blocked = _blocked_pairs(db_api.duckdb_con, table, rules, only_new=only_new)
    if blocked is None:
        return None
    linker.table_management.register_blocked_pairs_for_predict(db_api.register(blocked))
    return db_api.duckdb_con.execute(f"SELECT count(*) FROM {blocked}").fetchall()[0][0]  # noqa: S608


def candidate_pairs(prepared: pd.DataFrame, rules: list[dict] | None = None) -> pd.DataFrame:
    """unique_id_l, unique_id_r, match_key: the pairs the DuckDB engine scores for these prepared
    records with these blocking rules (by default the model's), for measuring blocking."""
    import duckdb

    if rules is None:
        rules = model.settings().create_settings_dict("duckdb")["blocking_rules_to_generate_predictions"]
    connection = duckdb.connect()
    blocked = _blocked_pairs(connection, _load(connection, prepared), rules)
    if blocked is None:
        raise ValueError("exploding blocking rules are made by Splink, not here")
    return connection.execute(
        f"SELECT join_key_l AS unique_id_l, join_key_r AS unique_id_r, match_key FROM {blocked}"  # noqa: S608
    ).df()


def _scored(predictions, model_json: dict) -> pd.DataFrame:
    """The scored pairs with only the columns used here (ids, probability, levels reached), ordered so
    that pairs of equal probability are clustered in the same order on every run."""
    columns = ["unique_id_l", "unique_id_r", "match_probability"]
    gammas = [f"gamma_{name}" for name in level_labels(model_json)]
    if hasattr(predictions, "as_duckdbpyrelation"):
        relation = predictions.as_duckdbpyrelation()
        present = [column for column in gammas if column in relation.columns]
        return (
            relation.select(*columns, *present).order("match_probability DESC, unique_id_l, unique_id_r").df()
        )
    scored = predictions.as_pandas_dataframe()
    present = [column for column in gammas if column in scored.columns]
    return (
        scored[columns + present]
        .sort_values(["match_probability", "unique_id_l", "unique_id_r"], ascending=[False, True, True])
        .reset_index(drop=True)
    )


def cluster_pairs(prepared: pd.DataFrame, pairs: pd.DataFrame, threshold: float) -> dict:
    """record id -> cluster id: the scored pairs at or above ``threshold`` joined by falling score,
    without joining records whose documents or dates of birth contradict (clustering.py).

    Only the records with a link at or above the threshold go through the (Python) clustering; every
    other record is a person alone, named by its own id as the clustering names its groups."""
    linked = pairs[pairs["match_probability"] >= threshold]
    left, right = linked["unique_id_l"].tolist(), linked["unique_id_r"].tolist()
    involved = list(dict.fromkeys(left + right))
    records = prepared.loc[
        prepared["unique_id"].isin(involved), ["unique_id", "document", "dob", "birth_year"]
    ]
    years = records["birth_year"].astype(object).where(records["birth_year"].notna(), None).tolist()
    ids = prepared["unique_id"].tolist()
    assignment = dict(zip(ids, map(str, ids), strict=True))
    assignment.update(
        clustering.cluster(
            involved,
            zip(linked["match_probability"].tolist(), left, right, strict=True),
            threshold=threshold,
            documents={
                record: document
                for record, document in zip(records["unique_id"], records["document"], strict=True)
                if isinstance(document, str)  # missing values may arrive as None or NaN
            },
            # A full date where there is one, else the year alone (an estimated age).
            dates_of_birth={
                record: date if isinstance(date, str) else str(year)
                for record, date, year in zip(records["unique_id"], records["dob"], years, strict=True)
                if isinstance(date, str) or year is not None
            },
        )
    )
    return assignment


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
    rules = [_rule_sql(rule) for rule in model.BLOCKING_RULES + model.ADDRESS_BLOCKING_RULES]
    settings["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": f"({rule}) AND (l.is_new = 1 OR r.is_new = 1)", "sql_dialect": "duckdb"}
        for rule in rules
    ]
    logging.getLogger("splink").setLevel(logging.ERROR)
    db_api = _db_api(engine)
    table = _register(db_api, prepared)
    linker = Linker(table, settings, log_level=None)
    if engine == "duckdb":
        blocking = [{"blocking_rule": rule, "sql_dialect": "duckdb"} for rule in rules]
        _block(linker, db_api, table.physical_name, blocking, only_new=True)
    scored = _scored(linker.inference.predict(threshold_match_probability=threshold), trained_model)
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
    """Per pair, the label of the level each comparison reached: what a reviewer reads. The pairs share
    a few hundred combinations of levels, so each combination is labelled once."""
    labels = level_labels(model_json)
    columns = [(name, f"gamma_{name}") for name in labels if f"gamma_{name}" in scored.columns]
    if scored.empty or not columns:
        return [[] for _ in range(len(scored))]
    gammas = scored[[column for _, column in columns]].astype(int)
    combination = gammas.groupby(list(gammas.columns), sort=False).ngroup().to_numpy()
    texts = [
        [labels[name].get(gamma, "") for (name, _), gamma in zip(columns, values, strict=True)]
        for values in gammas.drop_duplicates().itertuples(index=False)
    ]
    return [list(texts[number]) for number in combination]


def _with_probabilities(members: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Each record's probability of belonging to its cluster: its strongest link inside the cluster.
    Worked on record numbers (positions in ``members``) with numpy: a million records in Python loops
    take seconds."""
    records = pd.Index(members["unique_id"])
    left, right = records.get_indexer(pairs["unique_id_l"]), records.get_indexer(pairs["unique_id_r"])
    cluster = pd.factorize(members["cluster_id"])[0]
    inside = (left >= 0) & (right >= 0) & (cluster[left] == cluster[right])
    strongest = np.full(len(records), np.nan)
    probability = pairs["match_probability"].to_numpy(dtype=float)[inside]
    np.fmax.at(strongest, left[inside], probability)
    np.fmax.at(strongest, right[inside], probability)
    out = members.rename(columns={"unique_id": "record_id"})
    out["match_probability"] = np.round(strongest, 4)
    order = np.lexsort((out["record_id"].to_numpy().astype(str), out["cluster_id"].to_numpy().astype(str)))
    return out.iloc[order].reset_index(drop=True)
