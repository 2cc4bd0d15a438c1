"""Linkage of person records with Hispanic names: the same person across institutions, one cluster."""

import itertools

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from tipims.linkage import engine, synthetic
from tipims.linkage.prepare import InputError, prepare


def pairs_of(groups) -> set[tuple[str, str]]:
    return {pair for members in groups for pair in itertools.combinations(sorted(members), 2)}


@pytest.fixture(scope="module")
def linked():
    rows = synthetic.generate(400, seed=11)
    result = engine.link(rows.drop(columns=["true_id"]))
    return rows, result


def test_it_finds_most_duplicates_and_few_false_matches(linked):
    rows, result = linked
    merged = result.clusters.merge(rows[["record_id", "true_id"]], on="record_id")
    predicted = pairs_of(merged.groupby("cluster_id")["record_id"].apply(list))
    true = pairs_of(merged.groupby("true_id")["record_id"].apply(list))
    precision = len(predicted & true) / len(predicted)
    recall = len(predicted & true) / len(true)
    assert precision >= 0.95, precision
    assert recall >= 0.9, recall


def test_every_record_gets_exactly_one_cluster(linked):
    rows, result = linked
    assert sorted(result.clusters["record_id"]) == sorted(rows["record_id"])


def test_swapped_surnames_missing_second_surname_and_swapped_day_and_month_still_link():
    rows = pd.DataFrame(
        [
            ("a", "María José", "Xicará", "Pérez", "F", "2009-03-07", "GT", ""),
            ("b", "Maria Jose", "Perez", "Xicara", "F", "2009-07-03", "GT", ""),
            ("c", "María", "Xicará", "", "F", "2009", "GT", ""),
            ("d", "Kevin", "Caal", "Pop", "M", "1990-01-01", "HN", "X1"),
        ]
        * 1,
        columns=[
            "record_id",
            "given_names",
            "surname1",
            "surname2",
            "sex",
            "date_of_birth",
            "nationality",
            "document_number",
        ],
    )
    filler = synthetic.generate(150, seed=3).drop(columns=["true_id"])
    result = engine.link(pd.concat([rows, filler], ignore_index=True), threshold=0.5)
    cluster = dict(zip(result.clusters["record_id"], result.clusters["cluster_id"], strict=True))
    assert cluster["a"] == cluster["b"] == cluster["c"]
    assert cluster["d"] != cluster["a"]


def test_a_malformed_file_names_the_line_and_column():
    rows = pd.DataFrame(
        [("1", "Ana", "Paiz", "", "F", "2009-13-40", "GT", "")],
        columns=[
            "record_id",
            "given_names",
            "surname1",
            "surname2",
            "sex",
            "date_of_birth",
            "nationality",
            "document_number",
        ],
    )
    with pytest.raises(InputError, match="line 2, column 'date_of_birth'"):
        prepare(rows)
    with pytest.raises(InputError, match="lacks the column"):
        prepare(rows.drop(columns=["surname2"]))


def test_the_command_writes_clusters_and_a_reusable_model(tmp_path):
    source = tmp_path / "people.csv"
    synthetic.generate(200, seed=5).drop(columns=["true_id"]).to_csv(source, index=False)
    out, saved = tmp_path / "clusters.csv", tmp_path / "model.json"
    call_command("link", "--input", str(source), "--output", str(out), "--save-model", str(saved))
    first = pd.read_csv(out)
    assert list(first.columns) == ["record_id", "cluster_id", "match_probability"]
    again = tmp_path / "again.csv"
    call_command("link", "--input", str(source), "--output", str(again), "--model", str(saved))
    assert pd.read_csv(again).equals(first)


def test_a_bad_input_leaves_no_output_file(tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("record_id,given_names\n1,Ana\n")
    out = tmp_path / "clusters.csv"
    with pytest.raises(CommandError, match="lacks the column"):
        call_command("link", "--input", str(source), "--output", str(out))
    assert not out.exists() and not (tmp_path / "clusters.csv.part").exists()
