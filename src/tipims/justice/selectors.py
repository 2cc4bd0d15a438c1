"""Reads of justice records, already scoped by the access policy.

Children of a criminal case are read through their case (``get_case_for_user`` first). Showing the
names of a case's victims or defendants, a complaint's narrative or an official's identity records an
audited view.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tipims.accounts import policy
from tipims.accounts.models import User
from tipims.accounts.policy import Action, FieldGroup
from tipims.audit.services import audit_view
from tipims.core import vocabularies
from tipims.justice import data
from tipims.justice.models import (
    Charge,
    Complaint,
    CriminalCase,
    Defendant,
    IntegrityCase,
    Judgment,
    LegalProvision,
)
from tipims.people.models import PersonRecord


def deadline_cutoffs(today: datetime.date | None = None) -> dict[str, datetime.date]:
    today = today or timezone.localdate()
    return {phase: today - datetime.timedelta(days=days) for phase, days in data.phase_deadlines().items()}


def overdue_q(today: datetime.date | None = None) -> Q:
    condition = Q(pk__in=[])
    for phase, cutoff in deadline_cutoffs(today).items():
        condition |= Q(phase=phase, phase_since__lt=cutoff)
    return condition


def is_overdue(case: CriminalCase, *, today: datetime.date | None = None) -> bool:
    cutoff = deadline_cutoffs(today).get(case.phase)
    return cutoff is not None and case.phase_since < cutoff


def deadline_of(case: CriminalCase) -> datetime.date | None:
    days = data.phase_deadlines().get(case.phase)
    return case.phase_since + datetime.timedelta(days=days) if days else None


# --- complaints ------------------------------------------------------------------------------------


def complaints_for_user(
    user: User,
    *,
    status: str = "",
    channel: str = "",
    department=None,
    received_from: datetime.date | None = None,
    received_to: datetime.date | None = None,
    reference: str = "",
    action: Action = Action.VIEW,
) -> QuerySet[Complaint]:
    queryset = policy.scoped(
        user,
        Complaint.objects.select_related("institution", "department", "municipality", "case", "referred_to"),
        action=action,
    )
    if status:
        queryset = queryset.filter(status=status)
    if channel:
        queryset = queryset.filter(channel=channel)
    if department:
        queryset = queryset.filter(department=department)
    if received_from:
        queryset = queryset.filter(received_on__gte=received_from)
    if received_to:
        queryset = queryset.filter(received_on__lte=received_to)
    if reference:
        queryset = queryset.filter(reference=reference.strip().upper())
    return queryset


def get_complaint_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> Complaint:
    return policy.get_or_404(
        user,
        Complaint.objects.select_related("institution", "department", "municipality", "case", "referred_to"),
        action=action,
        reference=reference,
    )


def complaint_narrative(user: User, complaint: Complaint) -> str | None:
    """The narrative, when the user may read it (an audited view), else None."""
    if FieldGroup.IDENTITY not in policy.field_groups(user, complaint):
        return None
    audit_view(actor=user, target=complaint, groups=[FieldGroup.IDENTITY])
    return complaint.narrative


def own_person(user: User, reference: str) -> PersonRecord | None:
    """A person record of the user's own institution, by reference (victims, defendants, officials)."""
    return (
        policy.scoped(user, PersonRecord.objects.all(), action=Action.VIEW)
        .filter(reference=(reference or "").strip().upper(), institution_id=user.institution_id)
        .first()
    )


PUBLIC_STATUSES = ("received", "under_review", "closed")


def public_complaint_status(receipt: str) -> str | None:
    """The coarse status a member of the public sees for a complaint sent through the public form:
    received (waiting for triage), under review (a case was opened or it was referred) or closed (closed
    at triage, or its case closed). None when no public complaint has this receipt code."""
    complaint = (
        Complaint.objects.filter(
            reference=(receipt or "").strip().upper(), channel="online", created_by__isnull=True
        )
        .select_related("case")
        .first()
    )
    if complaint is None:
        return None
    if complaint.status == "open":
        return "received"
    if complaint.status == "closed" or (complaint.case is not None and complaint.case.phase == "closed"):
        return "closed"
    return "under_review"


# --- criminal cases --------------------------------------------------------------------------------


def cases_for_user(
    user: User,
    *,
    number: str = "",
    phase: str = "",
    disposition: str = "",
    department=None,
    year: int | None = None,
    overdue: bool = False,
    offence: str = "",
    action: Action = Action.VIEW,
    today: datetime.date | None = None,
) -> QuerySet[CriminalCase]:
    queryset = policy.scoped(
        user, CriminalCase.objects.select_related("institution", "department"), action=action
    )
    if number:
        queryset = queryset.filter(number=number.strip())
    if phase:
        queryset = queryset.filter(phase=phase)
    if disposition:
        queryset = queryset.filter(disposition=disposition)
    if department:
        queryset = queryset.filter(department=department)
    if year:
        queryset = queryset.filter(
            opened_on__gte=datetime.date(year, 1, 1), opened_on__lte=datetime.date(year, 12, 31)
        )
    if overdue:
        queryset = queryset.filter(overdue_q(today))
    if offence:
        # EXISTS, not a join with DISTINCT: the count and the page stay one pass over the cases.
        # The provisions of an offence are a handful of rows: naming their ids spares a join per case.
        provisions = list(LegalProvision.objects.filter(offence=offence).values_list("pk", flat=True))
        charged = Charge.objects.filter(defendant__case=OuterRef("pk"), provision_id__in=provisions)
        queryset = queryset.filter(Exists(charged))
    return queryset


def get_case_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> CriminalCase:
    return policy.get_or_404(
        user,
        CriminalCase.objects.select_related("institution", "department"),
        action=action,
        reference=reference,
    )


_TIMELINE_VOCABULARY = {
    "complaint": "complaint_channel",
    "phase": "criminal_case_phase",
    "measure": "justice_measure",
    "charge": "offence",
    "judgment": "verdict",
    "appeal": "appeal_party",
    "appeal_decision": "appeal_outcome",
    "disposition": "criminal_case_disposition",
}


@dataclass(frozen=True)
class TimelineEntry:
    date: datetime.date
    kind: str  # complaint, phase, measure, charge, judgment, appeal, appeal_decision, disposition
    code: str
    detail: str = ""

    @property
    def label(self) -> str:
        """The code's label in the active language."""
        return vocabularies.label(_TIMELINE_VOCABULARY[self.kind], self.code)


def case_people_visible(user: User, case: CriminalCase) -> bool:
    """Whether the user sees the names of the case's victims and defendants; records the view if so."""
    if FieldGroup.IDENTITY not in policy.field_groups(user, case):
        return False
    audit_view(actor=user, target=case, groups=[FieldGroup.IDENTITY])
    return True


def case_timeline(case: CriminalCase) -> list[TimelineEntry]:
    """Everything that happened in a case, in date order. Labels are codes; templates translate them."""
    entries = [
        TimelineEntry(c.received_on, "complaint", c.channel, c.reference) for c in case.complaints.all()
    ]
    entries += [TimelineEntry(e.date, "phase", e.phase, e.note) for e in case.phase_events.all()]
    for defendant in case.defendants.prefetch_related(
        "measures", "charges__provision", "charges__judgment__appeals"
    ):
        who = defendant.person.reference
        entries += [
            TimelineEntry(m.date, "measure", m.kind, f"{who} · {m.place}".strip(" ·"))
            for m in defendant.measures.all()
        ]
        for charge in defendant.charges.all():
            entries.append(
                TimelineEntry(
                    charge.filed_on,
                    "charge",
                    charge.provision.offence,
                    f"{who} · art. {charge.provision.article}",
                )
            )
            judgment = getattr(charge, "judgment", None)
            if judgment is not None:
                entries.append(TimelineEntry(judgment.date, "judgment", judgment.verdict, who))
                for appeal in judgment.appeals.all():
                    entries.append(TimelineEntry(appeal.filed_on, "appeal", appeal.filed_by, who))
                    if appeal.decided_on:
                        entries.append(
                            TimelineEntry(appeal.decided_on, "appeal_decision", appeal.outcome, who)
                        )
    if case.disposition:
        entries.append(TimelineEntry(case.disposition_on, "disposition", case.disposition))
    order = [
        "complaint",
        "phase",
        "measure",
        "charge",
        "judgment",
        "appeal",
        "appeal_decision",
        "disposition",
    ]
    return sorted(entries, key=lambda e: (e.date, order.index(e.kind)))


def final_judgments(case: CriminalCase) -> QuerySet[Judgment]:
    return Judgment.objects.filter(charge__defendant__case=case, is_final=True).select_related(
        "charge__provision", "charge__defendant__person"
    )


# --- integrity cases -------------------------------------------------------------------------------


def integrity_cases_for_user(
    user: User,
    *,
    proceeding: str = "",
    outcome: str = "",
    year: int | None = None,
    action: Action = Action.VIEW,
) -> QuerySet[IntegrityCase]:
    queryset = policy.scoped(
        user, IntegrityCase.objects.select_related("official_institution", "official"), action=action
    )
    if proceeding:
        queryset = queryset.filter(proceeding=proceeding)
    if outcome:
        queryset = queryset.filter(outcome=outcome)
    if year:
        queryset = queryset.filter(opened_on__year=year)
    return queryset


def get_integrity_case_for_user(user: User, reference: str, *, action: Action = Action.VIEW) -> IntegrityCase:
    return policy.get_or_404(
        user,
        IntegrityCase.objects.select_related("official_institution", "official", "institution"),
        action=action,
        reference=reference,
    )


def integrity_identity_viewed(user: User, case: IntegrityCase) -> bool:
    """Whether the user sees who the official is and the details; records the audited view if so."""
    if FieldGroup.IDENTITY not in policy.field_groups(user, case):
        return False
    audit_view(actor=user, target=case, groups=[FieldGroup.IDENTITY])
    return True


def integrity_counts(user: User) -> dict[str, int] | None:
    """Counts for the coordinator (and integrity officers): no record, only numbers."""
    if not policy.can_see_aggregates(user, IntegrityCase):
        return None
    every = IntegrityCase.objects.all()
    return {
        "total": every.count(),
        "criminal_prosecution": every.filter(proceeding="criminal_prosecution").count(),
        "dismissal_for_cause": every.filter(proceeding="dismissal_for_cause").count(),
        "disciplinary": every.filter(proceeding="disciplinary").count(),
        "dismissed_from_post": every.filter(outcome="dismissed_from_post").count(),
    }


def is_defendant_anywhere(person: PersonRecord) -> bool:
    """Whether this person, under any record linkage judged to be the same human, is a defendant.

    Protection asks this before a child is handed over to a family member (protection/suspects.py):
    the family member is a record of the shelter, the defendant a record of the prosecution office.
    """
    from tipims.linkage.models import PersonResolution

    resolution = PersonResolution.objects.filter(record=person).first()
    if resolution is None:
        same = [person.pk]
    else:
        same = list(
            PersonResolution.objects.filter(person_id=resolution.person_id).values_list(
                "record_id", flat=True
            )
        )
    return Defendant.objects.filter(person_id__in=same).exists()
