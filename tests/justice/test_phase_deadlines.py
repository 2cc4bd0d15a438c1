"""Phase deadlines ship with defaults that an installation changes with TIPIMS_PHASE_DEADLINES."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from tipims.justice import data, selectors


def test_an_installation_shortens_a_phase_deadline(case, settings):
    shipped = selectors.deadline_of(case)
    settings.TIPIMS_PHASE_DEADLINES = {case.phase: 5}
    assert selectors.deadline_of(case) == case.phase_since + datetime.timedelta(days=5) != shipped


def test_zero_removes_a_phase_deadline(case, settings):
    settings.TIPIMS_PHASE_DEADLINES = {case.phase: 0}
    assert selectors.deadline_of(case) is None


@pytest.mark.parametrize("override", [{"no-such-phase": 10}, {"investigation": -3}, {"investigation": "x"}])
def test_a_wrong_override_stops_start_up_naming_the_setting(override, settings, db):
    settings.TIPIMS_PHASE_DEADLINES = override
    with pytest.raises(ImproperlyConfigured, match="TIPIMS_PHASE_DEADLINES"):
        data.validate()
