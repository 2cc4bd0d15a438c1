"""`tipims export` and `tipims import` as an operator runs them."""

from __future__ import annotations

import importlib
import json

import pytest
from django.core.management import CommandError, call_command

from tests.exchange.conftest import record_victim
from tipims.protection.models import Victim

# Django runs the `import` command of the app listed first; border's is listed before exchange until the
# coordinator removes it, so the tests call exchange's command object directly.
ExchangeImport = importlib.import_module("tipims.exchange.management.commands.import").Command


def test_export_then_dry_run_then_import_htcds(caseworker, tmp_path, capsys):
    record_victim(caseworker)
    call_command("export", "htcds", "--output", str(tmp_path / "out"), "--as", "caseworker")
    Victim.objects.all().delete()
    from tipims.exchange.models import ExternalKey
    from tipims.people.models import PersonRecord

    PersonRecord.objects.all().delete()
    ExternalKey.objects.all().delete()

    call_command(ExchangeImport(), "htcds", str(tmp_path / "out"), "--as", "caseworker", "--dry-run")
    assert Victim.objects.count() == 0
    call_command(
        ExchangeImport(), "htcds", str(tmp_path / "out" / "htcds.xlsx"), "--as", "caseworker",
        "--report", str(tmp_path / "report.json"),
    )  # fmt: skip
    assert Victim.objects.count() == 1
    assert json.loads((tmp_path / "report.json").read_text())["applied"] is True
    assert "rows checked" in capsys.readouterr().err  # the command shows its progress


def test_a_bad_file_exits_with_an_error_and_writes_nothing(caseworker, tmp_path):
    path = tmp_path / "htcds_persons.csv"
    path.write_text("prs_ID,prs_Gender\nP-1,Robot\n")
    with pytest.raises(CommandError, match="1 errors"):
        call_command(ExchangeImport(), "htcds", str(path), "--as", "caseworker")


def test_the_exchange_import_command_also_loads_crossings(tmp_path, user_with_role):
    from tipims.accounts.roles import Role
    from tipims.border.models import Crossing

    officer = user_with_role(Role.BORDER_OFFICER)
    path = tmp_path / "crossings.csv"
    path.write_text(
        "given_names,surname1,sex,direction,crossed_at,point\nAna,López,Feminine,in,2025-01-01T10:00,el-carmen\n"
    )
    call_command(ExchangeImport(), "crossings", str(path), "--as", officer.username, "--no-screen")
    assert Crossing.objects.get().point.code == "el-carmen"


def test_export_dhis2_and_ctdc_for_an_analyst(caseworker, analyst, tmp_path):
    record_victim(caseworker)
    call_command(
        "export",
        "dhis2",
        "--output",
        str(tmp_path),
        "--as",
        "analyst",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
    )
    call_command("export", "ctdc", "--output", str(tmp_path), "--as", "analyst")
    assert json.loads((tmp_path / "dhis2_dataValueSets.json").read_text())["dataValues"]
    assert (tmp_path / "ctdc_victims.csv").read_text().splitlines()[1].startswith("#")
