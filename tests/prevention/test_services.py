"""Writes of prevention: valid input is saved and audited, bad input names the field and saves nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.prevention.conftest import campaign_values, training_values
from tipims.audit.models import AuditEvent
from tipims.prevention import services
from tipims.prevention.models import Campaign, Commitment, Decision, Evidence, ProgressUpdate, Training

TODAY = timezone.localdate()


def _events(record) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type=record._meta.label_lower, object_id=str(record.pk)).order_by(
            "seq"
        )
    )


def test_a_campaign_is_saved_with_its_departments_and_the_audit_names_its_fields(owner, ministry):
    campaign = services.campaign_create(actor=owner, values=campaign_values(), departments=["12", 13])
    assert campaign.institution == ministry
    assert sorted(d.code for d in campaign.departments.all()) == [12, 13]
    (event,) = _events(campaign)
    assert event.action == "create"
    assert {"title", "medium", "departments", "cost"} <= set(event.fields)


@pytest.mark.parametrize(
    ("changes", "departments", "field"),
    [
        ({"title": "  "}, [], "title"),
        ({"medium": "carrier_pigeon"}, [], "medium"),
        ({"audiences": []}, [], "audiences"),
        ({"audiences": ["martians"]}, [], "audiences"),
        ({"end": datetime.date(2025, 5, 1)}, [], "end"),
        ({"start": datetime.date(1975, 1, 1), "end": None}, [], "start"),
        ({"funding_source": ""}, [], "funding_source"),
        ({}, [99], "departments"),
    ],
)
def test_a_bad_campaign_names_the_field_and_saves_nothing(owner, changes, departments, field):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.campaign_create(actor=owner, values=campaign_values(**changes), departments=departments)
    assert field in error.value.message_dict
    assert Campaign.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_an_institution_records_only_its_own_campaigns_but_the_coordinator_records_for_any(
    owner, coordinator, police
):
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=owner, values=campaign_values(), institution=police)
    on_behalf = services.campaign_create(actor=coordinator, values=campaign_values(), institution=police)
    assert on_behalf.institution == police
    assert Campaign.objects.count() == 1


def test_the_auditor_and_the_analyst_record_no_campaign(user_with_role):
    from tipims.accounts.roles import Role

    for role in (Role.AUDITOR, Role.ANALYST, Role.ADMIN):
        with pytest.raises(PermissionDenied):
            services.campaign_create(actor=user_with_role(role), values=campaign_values())
    assert Campaign.objects.count() == 0


def test_a_campaign_update_records_only_what_changed(owner, campaign):
    services.campaign_update(actor=owner, campaign=campaign, changes={"reach": 9000, "title": campaign.title})
    events = _events(campaign)
    assert events[-1].action == "change" and events[-1].fields == ["reach"]
    campaign.refresh_from_db()
    assert campaign.reach == 9000


def test_a_training_keeps_its_people_by_sex_and_by_institution(owner):
    training = services.training_create(
        actor=owner,
        values=training_values(),
        by_institution=[services.TrainedRow("Juzgados de paz", 40), services.TrainedRow("Fiscalías", 11)],
    )
    assert training.people_trained == 51
    assert {r.institution_name: r.people for r in training.by_institution.all()} == {
        "Juzgados de paz": 40,
        "Fiscalías": 11,
    }
    assert "by_institution" in _events(training)[0].fields


@pytest.mark.parametrize(
    ("changes", "rows", "field"),
    [
        ({"audience": "astronauts"}, [], "audience"),
        ({"hours": 0}, [], "hours"),
        ({"women": 0, "men": 0, "other": 0}, [], "women"),
        ({}, [("Juzgados", 60)], "by_institution"),  # more than the 51 trained
        ({}, [("Juzgados", 10), ("Juzgados", 10)], "by_institution"),
        ({}, [("", 10)], "by_institution"),
        ({"end": datetime.date(2025, 8, 1)}, [], "end"),
    ],
)
def test_a_bad_training_names_the_field_and_saves_nothing(owner, changes, rows, field):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.training_create(
            actor=owner,
            values=training_values(**changes),
            by_institution=[services.TrainedRow(name, people) for name, people in rows],
        )
    assert field in error.value.message_dict
    assert Training.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_commitment_without_a_responsible_institution_is_refused_naming_the_field(coordinator):
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            actor=coordinator, text="Política nacional", institutions=[], due_date=datetime.date(2026, 8, 1)
        )
    assert list(error.value.message_dict) == ["institutions"]
    assert Commitment.objects.count() == 0


def test_only_the_coordinator_adds_commitments(owner, ministry):
    with pytest.raises(PermissionDenied):
        services.commitment_create(
            actor=owner, text="Política nacional", institutions=[ministry], due_date=datetime.date(2026, 8, 1)
        )
    assert Commitment.objects.count() == 0


def test_late_is_derived_from_the_due_date_and_never_stored(late_commitment):
    assert late_commitment.status == "in_progress"
    assert late_commitment.effective_status(TODAY) == "late"
    assert late_commitment.effective_status(datetime.date(2025, 8, 1)) == "in_progress"
    with pytest.raises(ValidationError) as error:
        services.commitment_update(
            actor=late_commitment.created_by, commitment=late_commitment, status="late"
        )
    assert "status" in error.value.message_dict


def test_progress_with_a_new_status_closes_a_late_commitment_and_is_audited(coordinator, late_commitment):
    update = services.progress_update_add(
        actor=coordinator, commitment=late_commitment, on=TODAY, text="Política aprobada", status="done"
    )
    late_commitment.refresh_from_db()
    assert update.author == coordinator
    assert late_commitment.effective_status(TODAY) == "done"
    assert late_commitment.status_changed_on == TODAY
    assert set(_events(late_commitment)[-1].fields) == {"updates", "status"}


def test_progress_in_the_future_or_without_text_is_refused(coordinator, late_commitment):
    for kwargs, field in (
        ({"on": TODAY + datetime.timedelta(days=2), "text": "x"}, "on"),
        ({"on": TODAY, "text": " "}, "text"),
    ):
        with pytest.raises(ValidationError) as error:
            services.progress_update_add(actor=coordinator, commitment=late_commitment, **kwargs)
        assert field in error.value.message_dict
    assert ProgressUpdate.objects.count() == 0


def test_evidence_must_name_a_record_that_exists(coordinator, late_commitment, campaign):
    evidence = services.evidence_add(
        actor=coordinator,
        commitment=late_commitment,
        app_label="prevention",
        model="campaign",
        reference=campaign.reference.lower(),
    )
    assert (evidence.app_label, evidence.model, evidence.reference) == (
        "prevention",
        "campaign",
        campaign.reference,
    )
    for app_label, model, reference, field in (
        ("prevention", "campaign", "G-ZZZZZZZZ", "reference"),
        ("prevention", "campaign", campaign.reference, "reference"),  # already linked
        ("nowhere", "thing", "X", "model"),
        ("core", "department", "1", "model"),  # departments have no reference to cite
    ):
        with pytest.raises(ValidationError) as error:
            services.evidence_add(
                actor=coordinator,
                commitment=late_commitment,
                app_label=app_label,
                model=model,
                reference=reference,
            )
        assert field in error.value.message_dict
    assert Evidence.objects.count() == 1


def test_a_decision_becomes_a_commitment_once_dated_by_its_meeting(coordinator, ministry, police):
    meeting = services.meeting_create(
        actor=coordinator,
        title="Reunión del Grupo Interinstitucional",
        held_on=datetime.date(2025, 5, 14),
        institutions_present=[ministry, police],
        decisions=["Capacitar a los puestos fronterizos", "", "Publicar estadísticas"],
    )
    assert meeting.decisions.count() == 2
    decision = meeting.decisions.first()
    commitment = services.commitment_from_decision(
        actor=coordinator, decision=decision, institutions=[police], due_date=datetime.date(2026, 2, 28)
    )
    assert commitment.text == "Capacitar a los puestos fronterizos"
    assert commitment.made_on == datetime.date(2025, 5, 14)
    assert Decision.objects.get(pk=decision.pk).commitment == commitment
    with pytest.raises(ValidationError) as error:
        services.commitment_from_decision(
            actor=coordinator, decision=decision, institutions=[police], due_date=datetime.date(2026, 2, 28)
        )
    assert "decision" in error.value.message_dict
    assert Commitment.objects.count() == 1


def test_a_decision_without_responsible_institution_stays_a_decision(coordinator, ministry):
    meeting = services.meeting_create(
        actor=coordinator,
        title="Reunión",
        held_on=datetime.date(2025, 5, 14),
        institutions_present=[ministry],
        decisions=["Publicar estadísticas"],
    )
    with pytest.raises(ValidationError) as error:
        services.commitment_from_decision(
            actor=coordinator,
            decision=meeting.decisions.get(),
            institutions=[],
            due_date=datetime.date(2026, 1, 1),
        )
    assert "institutions" in error.value.message_dict
    assert Commitment.objects.count() == 0
    assert meeting.decisions.get().commitment is None


def test_a_meeting_needs_the_institutions_present(coordinator):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=coordinator, title="Reunión", held_on=datetime.date(2025, 5, 14), institutions_present=[]
        )
    assert "institutions_present" in error.value.message_dict
