import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from tipims.core import stats_registry


@pytest.fixture
def counting_module():
    def figures(start: datetime.date, end: datetime.date):
        return {"days": (end - start).days + 1, "by_month": {"2025-01": 31, "2025-02": 28}}

    stats_registry.register("calendar", figures)
    yield
    stats_registry._registry.pop("calendar")


def test_it_prints_json_and_csv(counting_module, capsys):
    call_command("stats", "calendar", "--from", "2025-01-01", "--to", "2025-02-28")
    body = json.loads(capsys.readouterr().out)
    assert body["figures"]["days"] == 59 and body["from"] == "2025-01-01"
    call_command("stats", "calendar", "--from", "2025-01-01", "--to", "2025-02-28", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "figure,category,value" and "by_month,2025-02,28" in lines and "days,,59" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["calendar", "--from", "2025-03-01", "--to", "2025-01-01"], "before"),
        (["calendar", "--from", "2025-13-01", "--to", "2025-12-31"], "not a date"),
        (["nowhere", "--from", "2025-01-01", "--to", "2025-12-31"], "no statistics"),
    ],
)
def test_bad_arguments_get_a_clear_message(counting_module, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("stats", *args)
