"""Multiple systems estimation, checked against a published case (the Korea data of SparseMSE)."""

import json

import pytest
from django.core.management import CommandError, call_command

from tipims.statistics import mse

KOREA = {"001": 41, "010": 5, "100": 5, "110": 54, "101": 6, "011": 0, "111": 12}


@pytest.fixture
def korea():
    return mse.CaptureTable.from_counts(["b", "c", "d"], KOREA)


def test_the_stepwise_search_with_threshold_0_02_reproduces_the_published_estimate(korea):
    result = mse.estimate(korea, "csv-pvalue", resamples=0)
    assert f"{result.total:.4f}" == "268.7778"
    assert result.interactions == (("b", "c"),)


def test_the_best_bic_model_reproduces_the_published_estimate(korea):
    result = mse.estimate(korea, "bic", resamples=0)
    assert f"{result.total:.4f}" == "157.1667"
    assert set(result.interactions) == {("b", "c"), ("c", "d")}


def test_models_whose_estimate_does_not_exist_are_never_chosen(korea):
    # b:c with b:d fits to an absurd unseen count because the MLE does not exist; saturated likewise.
    assert mse.fit_model(korea, ((0, 1), (0, 2))) is None
    assert mse.fit_model(korea, ((0, 1), (0, 2), (1, 2))) is None
    assert mse.fit_model(korea, ((0, 1), (1, 2))) is not None


def test_the_intervals_contain_the_estimate(korea):
    result = mse.estimate(korea, "main", resamples=200)
    low, high = result.interval
    assert low < result.total < high
    blow, bhigh = result.bootstrap_interval
    assert blow < result.total < bhigh


def test_independent_lists_recover_a_known_population():
    # 1,000 people, three independent lists with capture probabilities 0.3, 0.4, 0.5: expected cells.
    probabilities = (0.3, 0.4, 0.5)
    counts = {}
    for pattern in ("001", "010", "100", "011", "101", "110", "111"):
        p = 1.0
        for flag, q in zip(pattern, probabilities, strict=True):
            p *= q if flag == "1" else 1 - q
        counts[pattern] = round(1000 * p)
    result = mse.estimate(mse.CaptureTable.from_counts(["x", "y", "z"], counts), "main", resamples=0)
    assert abs(result.total - 1000) < 5


def test_a_table_without_overlap_has_no_estimate_and_says_so():
    table = mse.CaptureTable.from_counts(["a", "b"], {"10": 30, "01": 20, "11": 0})
    with pytest.raises(mse.EstimationError, match="does not exist"):
        mse.estimate(table, "main", resamples=0)


def test_the_command_prints_the_estimate_interval_and_model(tmp_path, capsys):
    path = tmp_path / "korea.csv"
    rows = ["b,c,d,count"] + [f"{p[0]},{p[1]},{p[2]},{n}" for p, n in KOREA.items()]
    path.write_text("\n".join(rows) + "\n")
    call_command("estimate", "--csv", str(path), "--method", "csv-pvalue", "--resamples", "100")
    out = capsys.readouterr().out
    assert "268.7778" in out and "b:c" in out and "profile-likelihood interval" in out
    call_command("estimate", "--csv", str(path), "--method", "bic", "--json", "--resamples", "0")
    body = json.loads(capsys.readouterr().out)
    assert body["estimate"] == 157.1667 and body["model"] == "b + c + d + b:c + c:d"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("b,c,d\n1,0,0\n", "'count' column"),
        ("b,count\n1,4\n", "2 to 8"),
        ("b,c,count\n1,0,-3\n0,1,2\n1,1,1\n", "cannot be negative"),
        ("b,c,count\n1,2,3\n", "use 0 or 1"),
        ("b,c,count\n1,0,x\n", "not a whole number"),
        ("b,c,count\n1,0,3\n1,0,4\n", "appears twice"),
        ("b,c,count\n0,0,9\n", "seen by no list"),
    ],
)
def test_a_malformed_table_gets_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("estimate", "--csv", str(path), "--resamples", "0")
