"""The identification screening: the standard indicators observed in the interview are recorded with the
victim context and shown on her page; a value outside the list is refused and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import client_for
from tests.protection.conftest import TODAY, WOMAN, identify
from tipims.people.models import PersonRecord
from tipims.protection.models import Victim


def test_the_indicators_observed_are_kept_with_the_victim_and_shown(caseworker):
    victim = identify(caseworker, screening_indicators=["documents_held", "debt", "documents_held"])
    assert victim.screening_indicators == ["debt", "documents_held"]
    page = client_for(caseworker).get(f"/protection/victims/{victim.reference}/").content.decode()
    assert 'data-testid="screening-indicators"' in page
    body = client_for(caseworker).get(f"/api/protection/victims/{victim.reference}/").json()
    assert body["screening_indicators"] == ["debt", "documents_held"]


def test_an_unknown_indicator_is_refused_and_nothing_is_saved(caseworker):
    with pytest.raises(ValidationError) as error:
        identify(caseworker, WOMAN, screening_indicators=["looks_sad"])
    assert "screening_indicators" in error.value.message_dict
    assert not Victim.objects.exists() and not PersonRecord.objects.exists()


def test_the_identification_page_offers_the_screening_and_saves_it(caseworker):
    response = client_for(caseworker).post(
        "/protection/victims/new/",
        {
            "person-given_names": "Sonia",
            "person-surname1": "Ajú",
            "person-sex": "Feminine",
            "person-birth_date_precision": "estimated",
            "person-estimated_age": "16",
            "person-citizenships": ["NI"],
            "victim-identified_on": TODAY,
            "victim-trafficking_status": "PossibleVictimOfTrafficking",
            "victim-screening_indicators": ["minor_in_bar_or_sex_trade", "isolated"],
        },
    )
    victim = Victim.objects.get()
    assert response.status_code == 302 and victim.screening_indicators == [
        "isolated",
        "minor_in_bar_or_sex_trade",
    ]
    assert victim.is_minor
