"""A victim who also appears as a defendant or a deportee is flagged to her caseworker, and to no one
else: victims must not be punished for acts committed as a consequence of being trafficked."""

import datetime

import pytest
from django.utils import timezone, translation

from tests.conftest import client_for, make_institution, make_user
from tests.protection.conftest import GIRL, TODAY, identify
from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent
from tipims.border import services as border_services
from tipims.justice import services as justice_services
from tipims.linkage.models import Decision
from tipims.linkage.services import judgement_record
from tipims.people import services as people_services
from tipims.people.services import DocumentInput
from tipims.protection import non_punishment, services

PASSPORT = DocumentInput(document_type="PASSPORT", number="C0457781", issuing_country="HN")


@pytest.fixture
def her_case(caseworker, girl):
    return services.protection_case_open(
        actor=caseworker, victim=girl, opened_on=TODAY, caseworker=caseworker
    )


@pytest.fixture
def prosecutors_record_of_her(owner):
    """The prosecution office recorded the same girl separately, under a shortened name."""
    return people_services.person_record_create(
        actor=owner, values={"given_names": "Yesenia", "surname1": "Tzoc", "sex": "Feminine"}
    )


@pytest.fixture
def charged(owner, prosecutors_record_of_her):
    """She was charged with using false documents, an act she committed because she was trafficked."""
    case = justice_services.criminal_case_open(
        actor=owner,
        number="118-04",
        offence_date=TODAY - datetime.timedelta(days=70),
        opened_on=TODAY - datetime.timedelta(days=40),
    )
    justice_services.defendant_add(actor=owner, case=case, person=prosecutors_record_of_her)
    return case


def page_of(user, victim):
    return client_for(user).get(f"/protection/victims/{victim.reference}/").content.decode()


def test_nothing_is_flagged_while_no_record_links_her_to_the_defendant(caseworker, girl, her_case, charged):
    assert non_punishment.appearances(girl) == []
    assert 'data-testid="non-punishment"' not in page_of(caseworker, girl)


def test_once_linkage_joins_the_records_her_caseworker_sees_the_flag_with_the_message(
    caseworker, girl, her_case, charged, prosecutors_record_of_her, analyst
):
    judgement_record(
        actor=analyst, record_a=girl.person, record_b=prosecutors_record_of_her, decision=Decision.SAME
    )
    assert [(a.kind, a.detail) for a in non_punishment.appearances(girl)] == [("defendant", "118-04")]
    page = page_of(caseworker, girl)
    with translation.override("es"):  # the language the page is served in by default
        message = translation.gettext(
            "Victims must not be punished for acts committed as a consequence of being trafficked. "
            "Tell the prosecutor, the defence or the migration authority that this person is a victim."
        )
    assert 'data-testid="non-punishment"' in page and 'data-testid="appearance-defendant"' in page
    assert message in page and "118-04" in page


def test_a_defendant_on_her_own_person_record_is_flagged_directly(caseworker, sbs, girl, her_case):
    # The secretariat's own prosecutor-like record is not needed: the very record can be a defendant.
    prosecutor = make_user("sbs-prosecutor", sbs, Role.PROSECUTOR)
    case = justice_services.criminal_case_open(
        actor=prosecutor, number="7-04", offence_date=TODAY, opened_on=TODAY
    )
    justice_services.defendant_add(actor=prosecutor, case=case, person=girl.person)
    assert [a.kind for a in non_punishment.appearances(girl)] == ["defendant"]
    assert 'data-testid="appearance-defendant"' in page_of(caseworker, girl)


def test_a_deportation_recorded_under_the_same_passport_is_flagged(caseworker, her_case):
    victim = services.victim_identify_person(
        actor=caseworker,
        person_values={**GIRL, "given_names": "Marisol"},
        documents=[PASSPORT],
        values={
            "identified_on": TODAY - datetime.timedelta(days=5),
            "trafficking_status": "ActualVictimOfTrafficking",
        },
    )
    services.protection_case_open(actor=caseworker, victim=victim, opened_on=TODAY)
    officer = make_user("officer", make_institution("migracion", "ImmigrationService"), Role.BORDER_OFFICER)
    deportee = people_services.person_record_create(
        actor=officer, values={"given_names": "Marisol", "surname1": "Tzoc", "sex": "Feminine"}
    )
    border_services.crossing_create(
        actor=officer,
        person=deportee,
        point="tecun-uman",
        direction="in",
        crossed_at=timezone.now() - datetime.timedelta(days=20),
        document_type="PASSPORT",
        document_number="C0457781",
        deported=True,
        screen=False,
    )
    found = non_punishment.appearances(victim)
    assert [a.kind for a in found] == ["deportee"]
    assert 'data-testid="appearance-deportee"' in page_of(caseworker, victim)


def test_only_her_caseworker_sees_the_flag_and_seeing_it_is_audited(
    caseworker, sbs_colleague, analyst, girl, her_case, charged, prosecutors_record_of_her
):
    judgement_record(
        actor=analyst, record_a=girl.person, record_b=prosecutors_record_of_her, decision=Decision.SAME
    )
    assert 'data-testid="non-punishment"' not in page_of(sbs_colleague, girl)  # same institution, not hers
    assert 'data-testid="non-punishment"' not in page_of(analyst, girl)
    assert (
        client_for(sbs_colleague).get(f"/api/protection/victims/{girl.reference}/").json()["non_punishment"]
        is None
    )
    before = AuditEvent.objects.filter(action="view", object_type="protection.victim").count()
    body = client_for(caseworker).get(f"/api/protection/victims/{girl.reference}/").json()
    assert body["non_punishment"] == [
        {"kind": "defendant", "on": charged.opened_on.isoformat(), "detail": "118-04"}
    ]
    after = AuditEvent.objects.filter(action="view", object_type="protection.victim").count()
    assert after == before + 1


def test_a_victim_identified_twice_is_not_confused_with_another(caseworker, girl, her_case, owner):
    other = identify(caseworker, {**GIRL, "given_names": "Otra"})
    case = justice_services.criminal_case_open(
        actor=owner, number="9-04", offence_date=TODAY, opened_on=TODAY
    )
    accused = people_services.person_record_create(
        actor=owner, values={"given_names": "Rudy", "surname1": "Sagastume", "sex": "Masculine"}
    )
    justice_services.defendant_add(actor=owner, case=case, person=accused)
    assert non_punishment.appearances(girl) == [] and non_punishment.appearances(other) == []
