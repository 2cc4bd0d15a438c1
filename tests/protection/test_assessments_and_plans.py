"""HTCDS assessments (individual, household, community risk and vulnerability) and support plans with
objectives, action plan, planned and actual end dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import client_for
from tests.protection.conftest import TODAY
from tipims.protection import services
from tipims.protection.models import Assessment, SupportPlan

OPENED = TODAY - datetime.timedelta(days=20)


@pytest.fixture
def case(caseworker, girl):
    return services.protection_case_open(actor=caseworker, victim=girl, opened_on=OPENED)


def test_assessments_repeat_during_a_case_and_keep_their_history(caseworker, case):
    services.assessment_record(
        actor=caseworker,
        case=case,
        level="household",
        assessed_on=OPENED,
        risk_level="high",
        factors=["violence_abuse", "family_involved"],
        notes="La tía la entregó al reclutador.",
    )
    services.assessment_record(
        actor=caseworker, case=case, level="household", assessed_on=TODAY, risk_level="medium"
    )
    assert list(case.assessments.values_list("assessed_on", "risk_level")) == [
        (TODAY, "medium"),
        (OPENED, "high"),
    ]
    assert Assessment.objects.get(risk_level="high").factors == ["family_involved", "violence_abuse"]


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("level", {"level": "national"}),
        ("risk_level", {"risk_level": "extreme"}),
        ("factors", {"factors": ["law_enforcement_access"]}),  # a community factor on an individual one
        ("assessed_on", {"assessed_on": OPENED - datetime.timedelta(days=1)}),
        ("assessed_on", {"assessed_on": TODAY + datetime.timedelta(days=1)}),
    ],
)
def test_a_bad_assessment_is_refused_naming_the_field_and_nothing_is_saved(caseworker, case, field, values):
    arguments = {"level": "individual", "assessed_on": TODAY, "risk_level": "low", **values}
    with pytest.raises(ValidationError) as error:
        services.assessment_record(actor=caseworker, case=case, **arguments)
    assert field in error.value.message_dict
    assert not Assessment.objects.exists()


def test_the_case_page_records_an_assessment_and_hides_its_notes_from_the_analyst(caseworker, analyst, case):
    client = client_for(caseworker)
    client.post(
        f"/protection/cases/{case.reference}/assessments/",
        {
            "level": "individual",
            "assessed_on": TODAY,
            "risk_level": "high",
            "factors": ["age", "migration_status"],
            "notes": "Sin documentos; 15 años.",
        },
    )
    assert Assessment.objects.get().factors == ["age", "migration_status"]
    own = client.get(f"/protection/cases/{case.reference}/").content.decode()
    assert own.count('data-testid="assessment"') == 1 and "Sin documentos" in own
    pseudonymised = client_for(analyst).get(f"/protection/cases/{case.reference}/").content.decode()
    assert pseudonymised.count('data-testid="assessment"') == 1 and "Sin documentos" not in pseudonymised
    api = client_for(analyst).get(f"/api/protection/cases/{case.reference}/").json()
    assert api["assessments"] == [
        {
            "level": "individual",
            "assessed_on": TODAY.isoformat(),
            "risk_level": "high",
            "factors": ["age", "migration_status"],
        }
    ]


def test_a_support_plan_has_objectives_an_action_plan_and_ends_on_a_date(caseworker, case):
    plan = services.support_plan_add(
        actor=caseworker,
        case=case,
        plan_type="SexualExploitationRehabilitation",
        objectives="Recuperación emocional",
        action_plan="Terapia semanal; escuela en el albergue",
        planned_end=TODAY + datetime.timedelta(days=180),
    )
    client = client_for(caseworker)
    client.post(f"/protection/cases/{case.reference}/plans/{plan.pk}/end/", {"actual_end": TODAY})
    plan.refresh_from_db()
    assert plan.actual_end == TODAY
    body = client.get(f"/api/protection/cases/{case.reference}/").json()
    assert body["support_plans"] == [
        {
            "spl_Type": "SexualExploitationRehabilitation",
            "spl_Objectives": "Recuperación emocional",
            "spl_ActionPlan": "Terapia semanal; escuela en el albergue",
            "spl_PlannedEndDate": (TODAY + datetime.timedelta(days=180)).isoformat(),
            "spl_ActualEndDate": TODAY.isoformat(),
        }
    ]


def test_a_plan_cannot_end_twice_or_before_the_case_opened(caseworker, case):
    plan = services.support_plan_add(actor=caseworker, case=case, plan_type="Education")
    with pytest.raises(ValidationError) as error:
        services.support_plan_end(actor=caseworker, plan=plan, actual_end=OPENED - datetime.timedelta(days=1))
    assert "actual_end" in error.value.message_dict
    assert SupportPlan.objects.get().actual_end is None
    services.support_plan_end(actor=caseworker, plan=plan, actual_end=TODAY)
    with pytest.raises(ValidationError) as error:
        services.support_plan_end(actor=caseworker, plan=plan, actual_end=TODAY)
    assert "actual_end" in error.value.message_dict


def test_every_htcds_support_plan_type_and_service_kind_is_offered(caseworker, case):
    from tipims.core import vocabularies

    assert vocabularies.codes("spl_Type") == {
        "Education",
        "Financial",
        "Health",
        "LabourExploitationRehabilitation",
        "Legal",
        "Livelihood",
        "RightsBasedTraining",
        "SexualExploitationRehabilitation",
        "SocialCare",
    }
    assert {"medical", "psychological", "legal", "shelter", "education", "livelihood"} <= vocabularies.codes(
        "service_type"
    )
