"""The public CTDC file: CTDC's variables, k = 11, the HXL row, and never an identity."""

from __future__ import annotations

import csv
import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.exchange.conftest import record_victim
from tipims.accounts.roles import Role
from tipims.exchange import ctdc


def read(path) -> tuple[list[str], list[str], list[dict]]:
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, hxl, body = rows[0], rows[1], rows[2:]
    return header, hxl, [dict(zip(header, row, strict=True)) for row in body]


@pytest.fixture
def victims(caseworker):
    """Twelve girls alike but for their ages, and one boy from Mexico exploited in forced labour."""
    for number in range(12):
        record_victim(
            caseworker, given=f"Niña {number}", identified_on=datetime.date(2024, 5, 2 + number % 3)
        )
    record_victim(
        caseworker,
        given="Único",
        exploitation_types=["ForcedLabour"],
        sex_exploitation_types=[],
        forced_labour_industry="A_AgricultureForestryAndFishing",
    )


def test_the_file_passes_the_k_anonymity_check_and_carries_the_hxl_row(victims, user_with_role, tmp_path):
    analyst = user_with_role(Role.ANALYST)
    (path,) = ctdc.export_ctdc(analyst, tmp_path)
    header, hxl, rows = read(path)
    assert header[:4] == ["yearOfRegistration", "Datasource", "gender", "ageBroad"]
    assert hxl[0] == "#date+year+registered" and all(tag.startswith("#") for tag in hxl)
    assert ctdc.check_k_anonymity(rows) == []
    assert len(rows) == 12  # the one forced-labour record cannot hide among eleven others: left out
    assert {row["ageBroad"] for row in rows} == {"9--17"}


def test_the_file_holds_no_name_and_no_date_of_birth(victims, user_with_role, tmp_path):
    (path,) = ctdc.export_ctdc(user_with_role(Role.COORDINATOR), tmp_path)
    text = path.read_text()
    assert "Niña" not in text and "2009" not in text


def test_a_suppressed_value_is_blank_and_named_in_the_flag_column(caseworker, user_with_role, tmp_path):
    """Six women aged 22 and five aged 25: neither age band has eleven, together they do."""
    for number in range(6):
        record_victim(caseworker, given=f"A{number}", born=datetime.date(2002, 1, 10))
    for number in range(5):
        record_victim(caseworker, given=f"B{number}", born=datetime.date(1999, 1, 10))
    (path,) = ctdc.export_ctdc(user_with_role(Role.ANALYST), tmp_path)
    _header, _hxl, rows = read(path)
    assert len(rows) == 11 and ctdc.check_k_anonymity(rows) == []
    assert {(row["ageBroad"], row["suppressed"], row["majorityStatus"]) for row in rows} == {
        ("", "ageBroad", "Adult")
    }


def test_the_check_finds_a_group_smaller_than_k():
    row = {name: "" for name in ctdc.VARIABLES}
    assert ctdc.check_k_anonymity([row] * 10, k=11) == [tuple(row.values())]
    assert ctdc.check_k_anonymity([row] * 11, k=11) == []


def test_ages_are_generalised_to_ctdcs_bands():
    assert [ctdc.age_band(a) for a in (0, 8, 9, 17, 18, 47, 48, 90, None)] == [
        "0--8", "0--8", "9--17", "9--17", "18--20", "39--47", "48+", "48+", "",
    ]  # fmt: skip


def test_a_caseworker_may_not_export_the_public_file(caseworker, victims, tmp_path):
    with pytest.raises(PermissionDenied):
        ctdc.export_ctdc(caseworker, tmp_path)
    assert not (tmp_path / "ctdc_victims.csv").exists()
