"""Every write of prevention: campaigns, trainings, commitments with their progress and evidence,
meetings and their decisions. Each service checks the policy, validates (naming the field at fault),
writes and records the audit event in one transaction: bad input changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.models import Institution, User
from tipims.accounts.policy import Action
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.core import vocabularies
from tipims.core.models import Department
from tipims.core.writes import apply_changes, field_error, validate
from tipims.prevention.models import (
    Campaign,
    Commitment,
    CommitmentStatus,
    Decision,
    Evidence,
    Meeting,
    ProgressUpdate,
    TrainedByInstitution,
    Training,
)

EARLIEST = datetime.date(1990, 1, 1)
CAMPAIGN_FIELDS = (
    "title",
    "medium",
    "audiences",
    "start",
    "end",
    "reach",
    "cost",
    "funding_source",
    "materials",
)
TRAINING_FIELDS = ("title", "audience", "partner", "start", "end", "hours", "women", "men", "other")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not record this."))


def _owner_for(actor: User, model, institution: Institution | None) -> Institution:
    """The institution a new record belongs to: the actor's own, or another one when the policy lets
    the actor record on behalf of others (the coordinator)."""
    institution = institution or actor.institution
    _require(policy.can(actor, Action.CREATE, model(institution=institution)))
    return institution


def _check_dates(start, end, *, start_field: str = "start", end_field: str = "end") -> None:
    if not isinstance(start, datetime.date):
        raise field_error(start_field, _("Give the first day."))
    if start < EARLIEST:
        raise field_error(start_field, _("The date is before 1990: check the year."))
    if end is not None and end < start:
        raise field_error(end_field, _("The last day is before the first day."))


# --- campaigns -------------------------------------------------------------------------------------


def _check_campaign(values: Mapping, departments: list[Department]) -> None:
    if not str(values.get("title") or "").strip():
        raise field_error("title", _("Give the campaign a title."))
    if values.get("medium") not in vocabularies.codes("campaign_medium"):
        raise field_error("medium", _("Choose a medium from the list."))
    audiences = values.get("audiences") or []
    if not audiences:
        raise field_error("audiences", _("Choose at least one audience."))
    unknown = set(audiences) - vocabularies.codes("campaign_audience")
    if unknown:
        raise field_error(
            "audiences", _("Unknown audience: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    _check_dates(values.get("start"), values.get("end"))
    cost = values.get("cost")
    if cost is not None and Decimal(cost) < 0:
        raise field_error("cost", _("The cost cannot be negative."))
    if cost is not None and Decimal(cost) > 0 and not str(values.get("funding_source") or "").strip():
        raise field_error("funding_source", _("Say who paid for the campaign."))


def resolve_departments(codes: Iterable[int | str]) -> list[Department]:
    """Departments by INE code (1 to 22); an unknown code is a field error, not a silent omission."""
    try:
        wanted = {int(code) for code in codes}
    except (TypeError, ValueError):
        raise field_error("departments", _("Departments are given by their code (1 to 22).")) from None
    found = list(Department.objects.filter(code__in=wanted))
    missing = wanted - {d.code for d in found}
    if missing:
        raise field_error(
            "departments",
            _("Unknown department code: %(codes)s.") % {"codes": ", ".join(str(c) for c in sorted(missing))},
        )
    return found


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    values: Mapping,
    departments: Iterable[int | str] = (),
    institution: Institution | None = None,
) -> Campaign:
    """Record a campaign of the actor's institution (or, for the coordinator, of any institution)."""
    owner = _owner_for(actor, Campaign, institution)
    values = {name: values.get(name) for name in CAMPAIGN_FIELDS if name in values}
    found = resolve_departments(departments)
    _check_campaign(values, found)
    campaign = Campaign(institution=owner, created_by=actor, **_blank_texts(values))
    campaign.audiences = sorted(set(values.get("audiences") or []))
    validate(campaign, exclude=["institution", "created_by"])
    campaign.save()
    campaign.departments.set(found)
    fields = [*values, "departments"] if found else list(values)
    audit_record(actor=actor, action=AuditAction.CREATE, target=campaign, fields=fields)
    return campaign


def _blank_texts(values: Mapping) -> dict:
    texts = ("title", "funding_source", "materials", "partner")
    return {k: (str(v or "").strip() if k in texts else v) for k, v in values.items()}


@transaction.atomic
def campaign_update(
    *, actor: User, campaign: Campaign, changes: Mapping, departments: Iterable[int | str] | None = None
) -> Campaign:
    _require(policy.can(actor, Action.CHANGE, campaign))
    current = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    found = resolve_departments(departments) if departments is not None else None
    _check_campaign({**current, **changes}, found or [])
    changed = apply_changes(campaign, _blank_texts(changes), CAMPAIGN_FIELDS)
    validate(campaign, exclude=["institution", "created_by"])
    campaign.save()
    if found is not None and {d.code for d in found} != set(
        campaign.departments.values_list("code", flat=True)
    ):
        campaign.departments.set(found)
        changed.append("departments")
    if changed:
        audit_record(actor=actor, action=AuditAction.CHANGE, target=campaign, fields=changed)
    return campaign


# --- trainings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainedRow:
    """One row of a training's breakdown by institution."""

    institution_name: str
    people: int


def _check_training(values: Mapping, rows: list[TrainedRow]) -> None:
    if not str(values.get("title") or "").strip():
        raise field_error("title", _("Give the training a title."))
    if values.get("audience") not in vocabularies.codes("training_audience"):
        raise field_error("audience", _("Choose an audience from the list."))
    _check_dates(values.get("start"), values.get("end"))
    hours = values.get("hours")
    if hours is None or Decimal(hours) <= 0:
        raise field_error("hours", _("Give the hours of training (more than zero)."))
    for name in ("women", "men", "other"):
        if int(values.get(name) or 0) < 0:
            raise field_error(name, _("A number of people cannot be negative."))
    total = sum(int(values.get(name) or 0) for name in ("women", "men", "other"))
    if total == 0:
        raise field_error("women", _("Give how many people were trained, by sex."))
    names = [row.institution_name.strip() for row in rows]
    if any(not name for name in names) or any(row.people <= 0 for row in rows):
        raise field_error("by_institution", _("Each row needs an institution and a number of people."))
    if len(set(names)) != len(names):
        raise field_error("by_institution", _("The same institution is listed twice."))
    if sum(row.people for row in rows) > total:
        raise field_error(
            "by_institution",
            _("The breakdown by institution adds up to more than the %(total)s people trained.")
            % {"total": total},
        )


@transaction.atomic
def training_create(
    *,
    actor: User,
    values: Mapping,
    by_institution: Iterable[TrainedRow] = (),
    institution: Institution | None = None,
) -> Training:
    owner = _owner_for(actor, Training, institution)
    rows = list(by_institution)
    values = {name: values.get(name) for name in TRAINING_FIELDS if name in values}
    for name in ("women", "men", "other"):
        values[name] = int(values.get(name) or 0)
    _check_training(values, rows)
    training = Training(institution=owner, created_by=actor, **_blank_texts(values))
    validate(training, exclude=["institution", "created_by"])
    training.save()
    _set_rows(training, rows)
    fields = [*values, "by_institution"] if rows else list(values)
    audit_record(actor=actor, action=AuditAction.CREATE, target=training, fields=fields)
    return training


def _set_rows(training: Training, rows: list[TrainedRow]) -> None:
    training.by_institution.all().delete()
    TrainedByInstitution.objects.bulk_create(
        TrainedByInstitution(
            training=training, institution_name=row.institution_name.strip(), people=row.people
        )
        for row in rows
    )


@transaction.atomic
def training_update(
    *, actor: User, training: Training, changes: Mapping, by_institution: Iterable[TrainedRow] | None = None
) -> Training:
    _require(policy.can(actor, Action.CHANGE, training))
    rows = (
        list(by_institution)
        if by_institution is not None
        else [TrainedRow(r.institution_name, r.people) for r in training.by_institution.all()]
    )
    current = {name: getattr(training, name) for name in TRAINING_FIELDS}
    _check_training({**current, **changes}, rows)
    changed = apply_changes(training, _blank_texts(changes), TRAINING_FIELDS)
    validate(training, exclude=["institution", "created_by"])
    training.save()
    if by_institution is not None:
        _set_rows(training, rows)
        changed.append("by_institution")
    if changed:
        audit_record(actor=actor, action=AuditAction.CHANGE, target=training, fields=changed)
    return training


# --- the action plan -------------------------------------------------------------------------------


def _check_institutions(institutions: Iterable[Institution]) -> list[Institution]:
    chosen = list(dict.fromkeys(institutions))
    if not chosen:
        raise field_error(
            "institutions",
            _("Name at least one responsible institution: a commitment needs someone to keep it."),
        )
    return chosen


def _check_commitment(text: str, due_date) -> None:
    if not str(text or "").strip():
        raise field_error("text", _("Say what was committed."))
    if not isinstance(due_date, datetime.date):
        raise field_error("due_date", _("Give the due date."))
    if due_date < EARLIEST:
        raise field_error("due_date", _("The date is before 1990: check the year."))


@transaction.atomic
def commitment_create(
    *,
    actor: User,
    text: str,
    institutions: Iterable[Institution],
    due_date: datetime.date,
    status: str = CommitmentStatus.NOT_STARTED,
    made_on: datetime.date | None = None,
) -> Commitment:
    """Add a commitment to the national action plan, owned by the coordinator's institution.
    ``made_on`` is the day it was made (a meeting's date, the plan's approval); today by default."""
    _require(policy.can_create(actor, Commitment))
    _check_commitment(text, due_date)
    chosen = _check_institutions(institutions)
    if status not in CommitmentStatus.values:
        raise field_error("status", _('Choose a status from the list ("late" follows from the due date).'))
    made_on = made_on or timezone.localdate()
    if made_on < EARLIEST or made_on > timezone.localdate():
        raise field_error("made_on", _("The day the commitment was made must be between 1990 and today."))
    commitment = Commitment.objects.create(
        institution=actor.institution,
        created_by=actor,
        text=text.strip(),
        made_on=made_on,
        due_date=due_date,
        status=status,
        status_changed_on=made_on,
    )
    commitment.institutions.set(chosen)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=commitment,
        fields=["text", "institutions", "due_date", "status"],
    )
    return commitment


@transaction.atomic
def commitment_update(
    *,
    actor: User,
    commitment: Commitment,
    text: str | None = None,
    institutions: Iterable[Institution] | None = None,
    due_date: datetime.date | None = None,
    status: str | None = None,
) -> Commitment:
    _require(policy.can(actor, Action.CHANGE, commitment))
    _check_commitment(
        commitment.text if text is None else text, commitment.due_date if due_date is None else due_date
    )
    chosen = _check_institutions(institutions) if institutions is not None else None
    if status is not None and status not in CommitmentStatus.values:
        raise field_error("status", _('Choose a status from the list ("late" follows from the due date).'))
    changes = {}
    if text is not None:
        changes["text"] = text.strip()
    if due_date is not None:
        changes["due_date"] = due_date
    if status is not None:
        changes["status"] = status
    changed = apply_changes(commitment, changes, ("text", "due_date", "status"))
    if "status" in changed:
        commitment.status_changed_on = timezone.localdate()
    commitment.save()
    if chosen is not None and {i.pk for i in chosen} != set(
        commitment.institutions.values_list("pk", flat=True)
    ):
        commitment.institutions.set(chosen)
        changed.append("institutions")
    if changed:
        audit_record(actor=actor, action=AuditAction.CHANGE, target=commitment, fields=changed)
    return commitment


@transaction.atomic
def progress_update_add(
    *,
    actor: User,
    commitment: Commitment,
    on: datetime.date,
    text: str,
    status: str | None = None,
) -> ProgressUpdate:
    """Record progress on a commitment, and optionally its new status, in one step."""
    _require(policy.can(actor, Action.CHANGE, commitment))
    if not str(text or "").strip():
        raise field_error("text", _("Say what progress was made."))
    if not isinstance(on, datetime.date):
        raise field_error("on", _("Give the date of the progress."))
    if on > timezone.localdate():
        raise field_error("on", _("The date is in the future."))
    if on < EARLIEST:
        raise field_error("on", _("The date is before 1990: check the year."))
    if status is not None and status not in CommitmentStatus.values:
        raise field_error("status", _('Choose a status from the list ("late" follows from the due date).'))
    update = ProgressUpdate.objects.create(commitment=commitment, on=on, text=text.strip(), author=actor)
    fields = ["updates"]
    if status is not None and status != commitment.status:
        commitment.status = status
        commitment.status_changed_on = on
        commitment.save(update_fields=["status", "status_changed_on"])
        fields.append("status")
    audit_record(actor=actor, action=AuditAction.CHANGE, target=commitment, fields=fields)
    return update


def evidence_target(app_label: str, model: str, reference: str):
    """The record an evidence link names, or a ValidationError naming what is wrong. Only models with
    a ``reference`` field can be named: that is how TIPIMS records are cited."""
    try:
        model_class = apps.get_model(app_label, model)
    except (LookupError, ValueError):
        raise field_error(
            "model", _("Unknown type of record: %(name)s.") % {"name": f"{app_label}.{model}"}
        ) from None
    try:
        model_class._meta.get_field("reference")
    except FieldDoesNotExist:
        raise field_error("model", _("Records of this type have no reference to cite.")) from None
    record = model_class._default_manager.filter(reference=str(reference).strip().upper()).first()
    if record is None:
        raise field_error("reference", _("No record of this type has this reference."))
    return record


@transaction.atomic
def evidence_add(
    *, actor: User, commitment: Commitment, app_label: str, model: str, reference: str, note: str = ""
) -> Evidence:
    _require(policy.can(actor, Action.CHANGE, commitment))
    record = evidence_target(app_label, model, reference)
    label = record._meta
    if commitment.evidence.filter(
        app_label=label.app_label, model=label.model_name, reference=record.reference
    ).exists():
        raise field_error("reference", _("This record is already evidence for the commitment."))
    evidence = Evidence.objects.create(
        commitment=commitment,
        app_label=label.app_label,
        model=label.model_name,
        reference=record.reference,
        note=str(note or "").strip()[:300],
        added_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, target=commitment, fields=["evidence"])
    return evidence


# --- meetings --------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    title: str,
    held_on: datetime.date,
    institutions_present: Iterable[Institution],
    notes: str = "",
    decisions: Iterable[str] = (),
) -> Meeting:
    _require(policy.can_create(actor, Meeting))
    if not str(title or "").strip():
        raise field_error("title", _("Give the meeting a title."))
    if not isinstance(held_on, datetime.date):
        raise field_error("held_on", _("Give the date of the meeting."))
    if held_on < EARLIEST or held_on > timezone.localdate():
        raise field_error("held_on", _("The date of the meeting must be between 1990 and today."))
    present = list(dict.fromkeys(institutions_present))
    if not present:
        raise field_error("institutions_present", _("Name the institutions present."))
    meeting = Meeting.objects.create(
        institution=actor.institution,
        created_by=actor,
        title=title.strip(),
        held_on=held_on,
        notes=notes.strip(),
    )
    meeting.institutions_present.set(present)
    texts = [text.strip() for text in decisions if text and text.strip()]
    Decision.objects.bulk_create(Decision(meeting=meeting, text=text) for text in texts)
    fields = ["title", "held_on", "institutions_present", "notes"] + (["decisions"] if texts else [])
    audit_record(actor=actor, action=AuditAction.CREATE, target=meeting, fields=fields)
    return meeting


@transaction.atomic
def decision_add(*, actor: User, meeting: Meeting, text: str) -> Decision:
    _require(policy.can(actor, Action.CHANGE, meeting))
    if not str(text or "").strip():
        raise field_error("text", _("Write the decision."))
    decision = Decision.objects.create(meeting=meeting, text=text.strip())
    audit_record(actor=actor, action=AuditAction.CHANGE, target=meeting, fields=["decisions"])
    return decision


@transaction.atomic
def commitment_from_decision(
    *,
    actor: User,
    decision: Decision,
    institutions: Iterable[Institution],
    due_date: datetime.date,
    text: str | None = None,
) -> Commitment:
    """Turn a meeting's decision into a commitment of the action plan (once), keeping the link."""
    _require(policy.can(actor, Action.CHANGE, decision.meeting))
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.commitment_id is not None:
        raise field_error("decision", _("This decision is already a commitment."))
    commitment = commitment_create(
        actor=actor,
        text=text if text is not None else decision.text,
        institutions=institutions,
        due_date=due_date,
        made_on=decision.meeting.held_on,
    )
    decision.commitment = commitment
    decision.save(update_fields=["commitment"])
    audit_record(actor=actor, action=AuditAction.CHANGE, target=decision.meeting, fields=["decisions"])
    return commitment
