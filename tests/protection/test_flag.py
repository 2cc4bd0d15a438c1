"""A border officer or police investigator flags a possible victim and keeps only a receipt."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import client_for
from tipims.people.models import PersonRecord
from tipims.protection import services
from tipims.protection.models import Referral, Victim

FLAGGED = {
    "given_names": "Dulce",
    "surname1": "Cutzal",
    "sex": "Feminine",
    "birth_date_precision": "estimated",
    "estimated_age": 14,
    "citizenships": ["SV"],
}


@pytest.fixture
def flagged(border_officer, sbs):
    return services.victim_flag(
        actor=border_officer,
        person_values=FLAGGED,
        observations="Travelling with an adult who holds her documents.",
        exploitation_types=["SexualExploitation"],
    )


def test_a_flag_creates_a_possible_victim_and_a_referral_to_the_protection_institution(flagged, sbs):
    victim = flagged.victim
    assert victim.trafficking_status == "PossibleVictimOfTrafficking" and victim.flagged
    assert victim.status_decided_by == "NonPoliceGovernmentalOrganization"
    assert victim.is_minor
    assert victim.institution == sbs and victim.person.institution == sbs
    assert flagged.to_institution == sbs and flagged.status == "pending"
    assert flagged.legal_basis == "protection_mandate"


def test_after_flagging_the_border_officer_sees_a_receipt_and_no_identity(flagged, border_officer):
    client = client_for(border_officer)
    receipt = client.get(f"/protection/receipts/{flagged.reference}/")
    assert receipt.status_code == 200
    assert flagged.reference.encode() in receipt.content
    assert b"Dulce" not in receipt.content and b"Cutzal" not in receipt.content
    assert client.get(f"/protection/victims/{flagged.victim.reference}/").status_code == 404
    assert client.get(f"/people/{flagged.victim.person.reference}/").status_code == 404
    assert client.get(f"/api/people/{flagged.victim.person.reference}/").status_code in (401, 404)


def test_a_police_investigator_who_flags_does_not_keep_the_identity_either(investigator, sbs):
    referral = services.victim_flag(actor=investigator, person_values=FLAGGED)
    assert referral.victim.status_decided_by == "Police"
    client = client_for(investigator)
    assert client.get(f"/people/{referral.victim.person.reference}/").status_code == 404
    assert client.get(f"/protection/victims/{referral.victim.reference}/").status_code == 404
    assert client.get(f"/protection/receipts/{referral.reference}/").status_code == 200


def test_the_protection_caseworker_receives_the_flag_with_the_identity(flagged, caseworker):
    page = client_for(caseworker).get(f"/protection/victims/{flagged.victim.reference}/")
    assert page.status_code == 200 and b"Dulce" in page.content
    referrals = client_for(caseworker).get("/protection/referrals/")
    assert flagged.reference.encode() in referrals.content


def test_flagging_through_the_page_redirects_to_the_receipt(border_officer, sbs):
    response = client_for(border_officer).post(
        "/protection/flag/",
        {
            "given_names": "Wendy",
            "surname1": "Pop",
            "sex": "Feminine",
            "estimated_age": "16",
            "citizenship": "GT",
        },
    )
    referral = Referral.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/protection/receipts/{referral.reference}/"
    )


def test_a_caseworker_or_prosecutor_cannot_flag(caseworker, owner):
    for user in (caseworker, owner):
        with pytest.raises(PermissionDenied):
            services.victim_flag(actor=user, person_values=FLAGGED)
    assert not Victim.objects.exists() and not PersonRecord.objects.exists()


def test_without_the_competent_institution_the_flag_is_refused_and_nothing_saved(border_officer, settings):
    settings.TIPIMS_PROTECTION_FLAG_INSTITUTION = "nowhere"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.victim_flag(actor=border_officer, person_values=FLAGGED)
    assert "to_institution" in error.value.message_dict
    assert not PersonRecord.objects.exists()
