"""The same model on Apache Spark (pyspark in local mode) gives the same clusters as on DuckDB."""

import pytest

from tipims.linkage import engine, synthetic


@pytest.fixture(scope="module")
def trained():
    rows = synthetic.generate(120, seed=21).drop(columns=["true_id"])
    return rows, engine.link(rows)


def test_spark_links_a_file_into_the_same_clusters_as_duckdb_with_the_same_model(trained):
    rows, on_duckdb = trained
    on_spark = engine.link(rows, engine="spark", trained_model=on_duckdb.model_json)

    def groups(clusters):
        return sorted(sorted(members) for members in clusters.groupby("cluster_id")["record_id"].apply(list))

    assert len(on_spark.pairs) == len(on_duckdb.pairs)
    assert groups(on_spark.clusters) == groups(on_duckdb.clusters)


def test_an_unknown_engine_is_refused_by_name():
    with pytest.raises(engine.EngineUnavailable, match="unknown engine"):
        engine.link(synthetic.generate(5, seed=1).drop(columns=["true_id"]), engine="hadoop")
