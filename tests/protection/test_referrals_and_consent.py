"""An identity is shared only with consent or a legal basis, and sharing stops when either ends."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import client_for
from tests.protection.conftest import TODAY
from tipims.accounts import policy
from tipims.accounts.policy import FieldGroup
from tipims.protection import selectors, services
from tipims.protection.models import Referral


def consent_to_share(caseworker, victim, institution):
    return services.consent_record(
        actor=caseworker, victim=victim, purpose="sharing", shared_with=institution, given_on=TODAY
    )


def refer(caseworker, victim, institution, **extra):
    return services.referral_create(
        actor=caseworker,
        victim=victim,
        to_institution=institution,
        reason="AdditionalServicesRequired",
        **extra,
    )


def test_a_referral_without_consent_or_legal_basis_is_refused_and_nothing_saved(caseworker, girl, ngo):
    with pytest.raises(ValidationError) as error:
        refer(caseworker, girl, ngo)
    assert "consent" in error.value.message_dict
    assert "CASA-ALIANZA" in str(error.value) or "consent" in str(error.value)
    assert not Referral.objects.exists()


def test_consent_to_share_with_another_institution_does_not_cover_this_one(caseworker, girl, ngo, police):
    consent_to_share(caseworker, girl, police)
    with pytest.raises(ValidationError):
        refer(caseworker, girl, ngo)


def test_the_receiving_caseworker_sees_exactly_what_was_referred(
    caseworker, girl, woman, ngo, ngo_caseworker
):
    consent_to_share(caseworker, girl, ngo)
    refer(caseworker, girl, ngo)
    client = client_for(ngo_caseworker)
    page = client.get(f"/protection/victims/{girl.reference}/")
    assert page.status_code == 200 and b"Yesenia" in page.content
    assert client.get(f"/protection/victims/{woman.reference}/").status_code == 404
    assert list(selectors.victims_for_user(ngo_caseworker)) == [girl]
    assert FieldGroup.IDENTITY in policy.field_groups(ngo_caseworker, girl.person)
    services.protection_case_open(actor=caseworker, victim=girl, opened_on=TODAY)
    assert not selectors.cases_for_user(ngo_caseworker).exists()  # the referrer's case was not referred


def test_withdrawing_consent_stops_sharing_at_once(caseworker, girl, ngo, ngo_caseworker):
    consent = consent_to_share(caseworker, girl, ngo)
    referral = refer(caseworker, girl, ngo)
    services.referral_decide(actor=ngo_caseworker, referral=referral, accept=True)
    assert client_for(ngo_caseworker).get(f"/protection/victims/{girl.reference}/").status_code == 200
    services.consent_withdraw(actor=caseworker, consent=consent)
    assert client_for(ngo_caseworker).get(f"/protection/victims/{girl.reference}/").status_code == 404
    assert client_for(ngo_caseworker).get(f"/people/{girl.person.reference}/").status_code == 404


def test_a_declined_referral_stops_sharing(caseworker, girl, ngo, ngo_caseworker):
    consent_to_share(caseworker, girl, ngo)
    referral = refer(caseworker, girl, ngo)
    services.referral_decide(actor=ngo_caseworker, referral=referral, accept=False)
    assert client_for(ngo_caseworker).get(f"/protection/victims/{girl.reference}/").status_code == 404


def test_only_the_receiving_institution_decides_and_only_once(caseworker, girl, ngo, ngo_caseworker):
    consent_to_share(caseworker, girl, ngo)
    referral = refer(caseworker, girl, ngo)
    with pytest.raises(PermissionDenied):
        services.referral_decide(actor=caseworker, referral=referral, accept=True)
    services.referral_decide(actor=ngo_caseworker, referral=referral, accept=True)
    with pytest.raises(ValidationError):
        services.referral_decide(actor=ngo_caseworker, referral=referral, accept=False)


def test_a_court_order_is_a_legal_basis_for_a_child_without_consent(caseworker, girl, ngo, ngo_caseworker):
    with pytest.raises(ValidationError) as error:
        refer(caseworker, girl, ngo, legal_basis="court_order")
    assert "legal_basis_reference" in error.value.message_dict
    refer(caseworker, girl, ngo, legal_basis="court_order", legal_basis_reference="JNA-2026-114")
    assert client_for(ngo_caseworker).get(f"/protection/victims/{girl.reference}/").status_code == 200


def test_consent_for_sharing_names_the_institution_and_cannot_predate_identification(caseworker, girl):
    with pytest.raises(ValidationError) as error:
        services.consent_record(actor=caseworker, victim=girl, purpose="sharing", given_on=TODAY)
    assert "shared_with" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.consent_record(
            actor=caseworker,
            victim=girl,
            purpose="services",
            given_on=girl.identified_on - datetime.timedelta(days=1),
        )
    assert "given_on" in error.value.message_dict


def test_a_consent_is_withdrawn_once(caseworker, girl):
    consent = services.consent_record(actor=caseworker, victim=girl, purpose="statistics", given_on=TODAY)
    services.consent_withdraw(actor=caseworker, consent=consent)
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=caseworker, consent=consent)
