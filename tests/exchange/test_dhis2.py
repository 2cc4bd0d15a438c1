"""Indicators for DHIS2: dataValueSets with sex, age group and form-of-exploitation disaggregations."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.exchange.conftest import record_victim
from tipims.accounts.roles import Role
from tipims.exchange import dhis2


def test_every_category_option_combination_has_one_code():
    combos = dhis2.mapping()["categoryOptionCombos"]
    assert len(combos) == 27 and len({c["code"] for c in combos}) == 27


def test_victims_are_counted_by_month_and_category_option_combination(caseworker, user_with_role):
    record_victim(caseworker, given="A")
    record_victim(caseworker, given="B")
    record_victim(caseworker, given="C", exploitation_types=["ForcedLabour"], sex_exploitation_types=[])
    analyst = user_with_role(Role.ANALYST)

    document = dhis2.data_value_set(analyst, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31))

    values = {
        (v["dataElement"], v["period"], v["categoryOptionCombo"]): v["value"] for v in document["dataValues"]
    }
    assert values == {
        ("TIP_VICTIMS_IDENTIFIED", "202405", "TIP_FEMALE_MINOR_SEXUAL"): "2",
        ("TIP_VICTIMS_IDENTIFIED", "202405", "TIP_FEMALE_MINOR_LABOUR"): "1",
    }
    assert document["orgUnit"] == "GT"


def test_a_period_outside_the_records_gives_no_values(caseworker, user_with_role):
    record_victim(caseworker)
    document = dhis2.data_value_set(
        user_with_role(Role.COORDINATOR), start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31)
    )
    assert document["dataValues"] == []


def test_only_the_statistics_roles_export_indicators(caseworker):
    with pytest.raises(PermissionDenied):
        dhis2.data_value_set(caseworker, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31))
