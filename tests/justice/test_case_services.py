import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent
from tipims.justice import services
from tipims.justice.models import (
    Appeal,
    Charge,
    Complaint,
    CriminalCase,
    Defendant,
    Judgment,
    LegalProvision,
    Measure,
    PhaseEvent,
)
from tipims.people import services as people_services

pytestmark = pytest.mark.django_db
D = datetime.date


def _counts():
    return tuple(
        model.objects.count()
        for model in (
            Complaint,
            CriminalCase,
            PhaseEvent,
            Defendant,
            Measure,
            Charge,
            Judgment,
            Appeal,
            LegalProvision,
            AuditEvent,
        )
    )


def _refused(field, call, **kwargs):
    """The service refuses, naming ``field``, and nothing at all is saved."""
    before = _counts()
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert field in error.value.error_dict, error.value
    assert _counts() == before
    return error.value


def test_the_seeded_provisions_are_those_the_cable_states():
    trafficking = LegalProvision.objects.get(code="cp-194")
    assert (trafficking.min_years, trafficking.max_years) == (Decimal(1), Decimal(3))
    assert (trafficking.min_fine_gtq, trafficking.max_fine_gtq) == (Decimal(2500), Decimal(15000))
    raised = trafficking.sentence_range(["victim_under_12"])
    assert raised["max_years"] == Decimal("5.00") and raised["max_fine_gtq"] == Decimal("25000.00")
    assert trafficking.sentence_range(["victim_under_12", "for_profit"]) == raised  # raised once
    contracting = LegalProvision.objects.get(code="lm-107")
    assert contracting.sentence_range(["public_official"])["max_years"] == Decimal("6.67")
    assert LegalProvision.objects.get(code="lm-105").max_years == 6
    assert LegalProvision.objects.get(code="cp-173").min_years == 2
    assert LegalProvision.objects.filter(offence="aggravated_pimping").exists()


def test_the_narrative_of_a_complaint_is_encrypted_at_rest(complaint):
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM justice_complaint WHERE id = %s", [complaint.pk])
        stored = cursor.fetchone()[0]
    assert "Sinaloa" not in stored and stored.startswith("gAAAA")
    assert "Sinaloa" in Complaint.objects.get(pk=complaint.pk).narrative


def test_opening_a_case_takes_its_complaint_out_of_the_triage_queue(case, complaint):
    complaint.refresh_from_db()
    assert complaint.status == "case_opened" and complaint.case == case
    assert list(case.phase_events.values_list("phase", flat=True)) == ["complaint"]
    event = AuditEvent.objects.filter(object_type="justice.criminalcase").latest("seq")
    assert "victims" in event.fields and "Sinaloa" not in str(event.fields)


def test_a_duplicate_case_number_in_the_same_office_is_refused(owner, case):
    _refused(
        "number",
        services.criminal_case_open,
        actor=owner,
        number="9023-03",
        offence_date=D(2004, 1, 1),
        opened_on=D(2004, 1, 5),
    )


def test_another_office_may_use_the_same_case_number(case, user_with_role):
    other_office = user_with_role(Role.PROSECUTOR, "escuintla")
    other = services.criminal_case_open(
        actor=other_office, number="9023-03", offence_date=D(2004, 1, 1), opened_on=D(2004, 1, 5)
    )
    assert other.number == case.number and other.institution != case.institution


def test_a_malformed_case_number_is_refused(owner):
    _refused(
        "number",
        services.criminal_case_open,
        actor=owner,
        number="nine thousand",
        offence_date=D(2004, 1, 1),
        opened_on=D(2004, 1, 5),
    )


def test_an_offence_after_its_complaint_is_refused(owner, user_with_role):
    late = services.complaint_create(actor=owner, channel="walk_in", received_on=D(2004, 1, 10))
    _refused(
        "offence_date",
        services.criminal_case_open,
        actor=owner,
        number="10395-03",
        offence_date=D(2004, 1, 20),
        opened_on=D(2004, 1, 25),
        complaints=[late],
    )
    assert Complaint.objects.get(pk=late.pk).status == "open"


def test_phases_move_forward_with_dates_in_order(owner, case):
    services.criminal_case_advance(actor=owner, case=case, phase="investigation", date=D(2004, 2, 20))
    _refused(
        "phase", services.criminal_case_advance, actor=owner, case=case, phase="complaint", date=D(2004, 3, 1)
    )
    _refused(
        "date",
        services.criminal_case_advance,
        actor=owner,
        case=case,
        phase="preparatory",
        date=D(2004, 2, 19),
    )
    services.criminal_case_advance(actor=owner, case=case, phase="preparatory", date=D(2004, 3, 1))
    case.refresh_from_db()
    assert (case.phase, case.phase_since) == ("preparatory", D(2004, 3, 1))


def test_a_case_stays_overdue_when_a_phase_outlasts_its_deadline(owner, case):
    from tipims.justice.selectors import is_overdue

    services.criminal_case_advance(actor=owner, case=case, phase="investigation", date=D(2004, 2, 20))
    case.refresh_from_db()
    assert is_overdue(case, today=D(2004, 3, 1)) is False
    assert is_overdue(case, today=D(2005, 3, 1)) is True
    services.criminal_case_dispose(actor=owner, case=case, disposition="archived", date=D(2004, 6, 1))
    case.refresh_from_db()
    assert case.phase == "closed" and is_overdue(case, today=D(2010, 1, 1)) is False


def test_a_defendant_must_be_a_person_of_the_office(owner, case, outsider):
    stranger = people_services.person_record_create(
        actor=outsider, values={"given_names": "Otto", "sex": "Masculine"}
    )
    _refused("person", services.defendant_add, actor=owner, case=case, person=stranger)


def test_an_official_defendant_needs_an_institution(owner, case, accused):
    _refused(
        "official_institution",
        services.defendant_add,
        actor=owner,
        case=case,
        person=accused,
        is_public_official=True,
    )


def test_bail_needs_an_amount_and_cannot_precede_the_arrest(owner, defendant):
    services.measure_record(
        actor=owner, defendant=defendant, kind="arrest", date=D(2004, 2, 18), place="Cuilapa"
    )
    _refused(
        "bail_gtq",
        services.measure_record,
        actor=owner,
        defendant=defendant,
        kind="bail",
        date=D(2004, 2, 26),
    )
    _refused(
        "date",
        services.measure_record,
        actor=owner,
        defendant=defendant,
        kind="bail",
        date=D(2004, 2, 17),
        bail_gtq="5000",
    )
    bail = services.measure_record(
        actor=owner, defendant=defendant, kind="bail", date=D(2004, 2, 26), bail_gtq="5000"
    )
    assert bail.bail_gtq == Decimal("5000.00")


def test_an_arrest_needs_its_place(owner, defendant):
    _refused(
        "place", services.measure_record, actor=owner, defendant=defendant, kind="arrest", date=D(2004, 2, 18)
    )


def test_a_charge_under_a_provision_not_yet_in_force_is_refused(owner, defendant, trafficking):
    reform = services.legal_provision_add_reform(
        actor=None, code="cp-194", effective_from=D(2009, 4, 1), min_years=8, max_years=18
    )
    error = _refused(
        "provision",
        services.charge_file,
        actor=owner,
        defendant=defendant,
        provision=reform,
        filed_on=D(2004, 3, 1),
    )
    assert "2004-02-01" in str(error)
    # ... and the older version, superseded for later offences, is refused for an offence after the reform
    late = services.criminal_case_open(
        actor=owner, number="55-10", offence_date=D(2010, 5, 1), opened_on=D(2010, 5, 3)
    )
    someone = services.defendant_add(actor=owner, case=late, person=defendant.person)
    _refused(
        "provision",
        services.charge_file,
        actor=owner,
        defendant=someone,
        provision=trafficking,
        filed_on=D(2010, 6, 1),
    )
    assert services.charge_file(actor=owner, defendant=someone, provision=reform, filed_on=D(2010, 6, 1))


def test_only_an_administrator_adds_a_reform(owner):
    with pytest.raises(PermissionDenied):
        services.legal_provision_add_reform(actor=owner, code="cp-194", effective_from=D(2009, 4, 1))


def test_a_reform_must_take_effect_after_the_version_it_reforms():
    _refused(
        "effective_from",
        services.legal_provision_add_reform,
        actor=None,
        code="cp-194",
        effective_from=D(1970, 1, 1),
        min_years=1,
        max_years=2,
    )


def test_aggravating_factors_must_be_those_of_the_provision(owner, defendant, trafficking):
    _refused(
        "aggravating_factors",
        services.charge_file,
        actor=owner,
        defendant=defendant,
        provision=trafficking,
        filed_on=D(2004, 3, 1),
        aggravating_factors=["public_official"],
    )


def test_a_sentence_outside_the_range_is_refused_unless_a_reason_is_recorded(owner, charged):
    # for profit raises 1-3 years to 1.67-5 and the fine to 4,166.67-25,000
    _refused(
        "prison_years",
        services.judgment_record,
        actor=owner,
        charge=charged,
        verdict="conviction",
        date=D(2005, 1, 10),
        prison_years="6",
        fine_gtq="10000",
    )
    _refused(
        "fine_gtq",
        services.judgment_record,
        actor=owner,
        charge=charged,
        verdict="conviction",
        date=D(2005, 1, 10),
        prison_years="4",
        fine_gtq="1000",
    )
    judgment = services.judgment_record(
        actor=owner,
        charge=charged,
        verdict="conviction",
        date=D(2005, 1, 10),
        prison_years="6",
        fine_gtq="10000",
        departure_reason="Concurso real de delitos (art. 69 CP).",
    )
    assert judgment.prison_years == Decimal("6.00")


def test_a_sentence_within_the_aggravated_range_is_accepted(owner, charged):
    judgment = services.judgment_record(
        actor=owner,
        charge=charged,
        verdict="conviction",
        date=D(2005, 1, 10),
        prison_years="5",
        fine_gtq="25000",
    )
    assert judgment.departure_reason == ""


def test_a_judgment_before_the_arrest_is_refused(owner, defendant, trafficking):
    services.measure_record(
        actor=owner, defendant=defendant, kind="arrest", date=D(2004, 6, 1), place="Escuintla"
    )
    charge = services.charge_file(
        actor=owner, defendant=defendant, provision=trafficking, filed_on=D(2004, 3, 1)
    )
    _refused(
        "date",
        services.judgment_record,
        actor=owner,
        charge=charge,
        verdict="acquittal",
        date=D(2004, 5, 1),
    )


def test_an_acquittal_carries_no_sentence(owner, charged):
    _refused(
        "verdict",
        services.judgment_record,
        actor=owner,
        charge=charged,
        verdict="acquittal",
        date=D(2005, 1, 10),
        prison_years="2",
    )


def test_an_appeal_cannot_precede_its_judgment_and_a_decision_needs_a_date(owner, charged):
    judgment = services.judgment_record(
        actor=owner,
        charge=charged,
        verdict="conviction",
        date=D(2005, 1, 10),
        prison_years="3",
        fine_gtq="5000",
    )
    _refused(
        "filed_on",
        services.appeal_record,
        actor=owner,
        judgment=judgment,
        filed_by="defence",
        filed_on=D(2005, 1, 1),
    )
    _refused(
        "decided_on",
        services.appeal_record,
        actor=owner,
        judgment=judgment,
        filed_by="defence",
        filed_on=D(2005, 1, 20),
        outcome="upheld",
    )
    services.appeal_record(actor=owner, judgment=judgment, filed_by="defence", filed_on=D(2005, 1, 20))
    with pytest.raises(ValidationError):
        services.judgment_make_final(actor=owner, judgment=judgment)


def test_a_colleague_may_work_on_the_case_but_another_institution_may_not(colleague, outsider, case):
    services.criminal_case_advance(actor=colleague, case=case, phase="investigation", date=D(2004, 2, 20))
    with pytest.raises(PermissionDenied):
        services.criminal_case_advance(actor=outsider, case=case, phase="preparatory", date=D(2004, 3, 1))


def test_triage_refers_or_closes_with_a_reason(owner, police):
    complaint = services.complaint_create(actor=owner, channel="ngo", received_on=D(2004, 2, 10))
    _refused(
        "reason",
        services.complaint_triage,
        actor=owner,
        complaint=complaint,
        decision="closed",
        reason=" ",
        on=D(2004, 2, 11),
    )
    _refused(
        "referred_to",
        services.complaint_triage,
        actor=owner,
        complaint=complaint,
        decision="referred",
        reason="Competencia de la PNC",
        on=D(2004, 2, 11),
    )
    services.complaint_triage(
        actor=owner,
        complaint=complaint,
        decision="referred",
        reason="Competencia de la PNC",
        referred_to=police,
        on=D(2004, 2, 11),
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.referred_to) == ("referred", police)


def test_a_municipality_must_be_in_its_department(owner):
    from tipims.core.models import Department, Municipality

    escuintla = Department.objects.get(name="Escuintla")
    cuilapa = Municipality.objects.get(name="Cuilapa")
    _refused(
        "municipality",
        services.complaint_create,
        actor=owner,
        channel="hotline",
        received_on=D(2004, 2, 10),
        department=escuintla,
        municipality=cuilapa,
    )


def test_a_later_complaint_joins_an_open_case_but_not_one_received_before_the_offence(owner, case):
    later = services.complaint_create(actor=owner, channel="ngo", received_on=D(2004, 3, 1))
    services.criminal_case_link_complaint(actor=owner, case=case, complaint=later)
    assert Complaint.objects.get(pk=later.pk).case == case
    earlier = services.complaint_create(actor=owner, channel="ngo", received_on=D(2004, 1, 20))
    _refused("offence_date", services.criminal_case_link_complaint, actor=owner, case=case, complaint=earlier)
