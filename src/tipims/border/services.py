"""Writes at the border: crossings (screened as they are recorded), deportation receptions, the
watchlist with its second-user approval, and the review of alerts."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.models import Institution, User
from tipims.accounts.policy import Action
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.border import indicators, screening
from tipims.border.models import (
    Alert,
    Crossing,
    CrossingCompanion,
    CrossingPoint,
    DeportationReception,
    WatchlistDocument,
    WatchlistEntry,
)
from tipims.core import countries, crypto, vocabularies
from tipims.core.writes import field_error, validate
from tipims.people.models import PersonRecord
from tipims.people.selectors import ADULT_AGE, age_on
from tipims.people.services import DocumentInput

logger = logging.getLogger(__name__)

CLOCK_SKEW = datetime.timedelta(minutes=5)  # a post's clock may run a little ahead of the server's
EARLIEST_CROSSING = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not record these details."))


@dataclass(frozen=True)
class CompanionInput:
    adult: PersonRecord
    relation: str


def resolve_point(point: CrossingPoint | str) -> CrossingPoint:
    if isinstance(point, CrossingPoint):
        found = point if point.active else None
    else:
        found = CrossingPoint.objects.filter(code=str(point).strip().lower(), active=True).first()
    if found is None:
        raise field_error("point", _("Unknown crossing point: choose one from the list."))
    return found


def check_crossing_time(crossed_at: datetime.datetime) -> None:
    if not isinstance(crossed_at, datetime.datetime) or timezone.is_naive(crossed_at):
        raise field_error("crossed_at", _("Give the date and time of the crossing."))
    if crossed_at > timezone.now() + CLOCK_SKEW:
        raise field_error(
            "crossed_at", _("The time of the crossing is in the future: check the date and hour.")
        )
    if crossed_at < EARLIEST_CROSSING:
        raise field_error("crossed_at", _("The time of the crossing is before 1990: check the year."))


def check_direction(direction: str) -> None:
    if direction not in vocabularies.codes("crossing_direction"):
        raise field_error("direction", _("Choose entry or exit."))


def check_document(document_type: str, document_number: str) -> None:
    if document_number.strip() and document_type not in vocabularies.codes("document_type"):
        raise field_error("document_type", _("Choose a document type from the list."))


@transaction.atomic
def crossing_create(
    *,
    actor: User,
    person: PersonRecord,
    point: CrossingPoint | str,
    direction: str,
    crossed_at: datetime.datetime,
    document_type: str = "",
    document_number: str = "",
    deported: bool = False,
    companions: Iterable[CompanionInput] = (),
    screen: bool = True,
) -> Crossing:
    """Record one crossing of a person the actor's institution recorded, and screen it at once."""
    companions = list(companions)
    fields = ["person", "point", "direction", "crossed_at", "deported"]
    if document_number:
        fields += ["document_type", "document_number"]
    if companions:
        fields.append("companions")
    _require(policy.may_write_fields(actor, Crossing, fields, action=Action.CREATE))
    own_people = policy.scoped(actor, PersonRecord.objects.all(), action=Action.CREATE)
    if not own_people.filter(pk=person.pk).exists():
        raise field_error("person", _("Unknown person record."))
    found_point = resolve_point(point)
    check_direction(direction)
    check_crossing_time(crossed_at)
    check_document(document_type, document_number)
    seen = set()
    for companion in companions:
        if companion.relation not in vocabularies.codes("companion_relation"):
            raise field_error("companions", _("Choose how the adult is related to the minor."))
        if not own_people.filter(pk=companion.adult.pk).exists() or companion.adult.pk == person.pk:
            raise field_error("companions", _("Unknown person record for a travel companion."))
        if companion.adult.pk in seen:
            raise field_error("companions", _("The same adult is listed twice."))
        seen.add(companion.adult.pk)
    age = age_on(person, crossed_at.date())
    crossing = Crossing(
        institution=actor.institution,
        created_by=actor,
        person=person,
        point=found_point,
        direction=direction,
        crossed_at=crossed_at,
        document_type=document_type if document_number.strip() else "",
        document_number=document_number.strip(),
        document_index=crypto.blind_index(document_type, document_number) if document_number.strip() else "",
        deported=deported,
        is_minor=age is not None and age < ADULT_AGE,
    )
    validate(crossing, exclude=["institution", "created_by", "person", "point"])
    crossing.save()
    CrossingCompanion.objects.bulk_create(
        [CrossingCompanion(crossing=crossing, adult=c.adult, relation=c.relation) for c in companions]
    )
    audit_record(actor=actor, action=AuditAction.CREATE, target=crossing, fields=fields)
    if screen:
        crossing_screen(actor=actor, crossing=crossing)
    return crossing


def crossing_screen(*, actor: User | None, crossing: Crossing) -> list[Alert]:
    """Screen a recorded crossing against the watchlist and the indicator rules.

    Never raises: a failure rolls back only the screening (a savepoint) and becomes an alert for
    review itself, so that a crossing is never lost because screening broke.
    """
    try:
        with transaction.atomic():
            alerts = _screen(actor, crossing)
    except Exception as error:
        logger.exception("screening of crossing %s failed", crossing.pk)
        alerts = [
            _raise_alert(
                actor,
                crossing=crossing,
                kind="screening_error",
                institution_id=crossing.institution_id,
                explanation=_("Screening could not be completed (%(error)s); screen this crossing by hand.")
                % {"error": type(error).__name__},
            )
        ]
    outcome = "secondary" if alerts else "clear"
    if crossing.inspection != outcome:
        crossing.inspection = outcome
        Crossing.objects.filter(pk=crossing.pk).update(inspection=outcome)
    return alerts


def _raise_alert(actor, *, crossing, kind, institution_id, explanation, entry=None, score=None, details=None):
    alert = Alert.objects.create(
        institution_id=institution_id,
        kind=kind,
        crossing=crossing,
        entry=entry,
        score=score,
        explanation=explanation,
        details=details or {},
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=alert, fields=["kind", "crossing", "explanation"]
    )
    return alert


def _screen(actor, crossing: Crossing) -> list[Alert]:
    person = screening.person_of_record(crossing.person, [crossing.document_index])
    index, owners = screening.active_index()
    alerts = []
    hits = index.screen(person, indicators.screening_threshold())
    entries = WatchlistEntry.objects.in_bulk([hit.key for hit in hits])
    for hit in hits:
        alerts.append(
            _raise_alert(
                actor,
                crossing=crossing,
                kind="watchlist",
                institution_id=owners[hit.key],
                entry=entries[hit.key],
                score=hit.match.score,
                explanation=hit.match.explanation(),
                details={"levels": {a.field: [a.level, round(a.score, 3)] for a in hit.match.agreements}},
            )
        )
    for finding in indicators.evaluate(crossing):
        alerts.append(
            _raise_alert(
                actor,
                crossing=crossing,
                kind=finding.kind,
                institution_id=crossing.institution_id,
                explanation=finding.explanation,
                details=finding.details,
            )
        )
    return alerts


# --- deportation receptions ------------------------------------------------------------------------

RECEPTION_FIELDS = ("received_on", "point", "nationality", "sex", "people", "minors", "unaccompanied_minors")


@transaction.atomic
def deportation_reception_create(*, actor: User, values: Mapping[str, object]) -> DeportationReception:
    unknown = set(values) - set(RECEPTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown reception fields: {', '.join(sorted(unknown))}")
    _require(policy.may_write_fields(actor, DeportationReception, list(values), action=Action.CREATE))
    data = dict(values)
    data["point"] = resolve_point(data.get("point") or "")
    received_on = data.get("received_on")
    if not isinstance(received_on, datetime.date) or received_on > timezone.localdate():
        raise field_error("received_on", _("Give a date that is not in the future."))
    if not countries.is_country(str(data.get("nationality", ""))):
        raise field_error("nationality", _("Use a two-letter ISO 3166 country code."))
    if data.get("sex") not in vocabularies.codes("prs_Gender"):
        raise field_error("sex", _("Choose a value from the list."))
    people, minors = int(data.get("people") or 0), int(data.get("minors") or 0)
    if minors > people:
        raise field_error("minors", _("There cannot be more minors than people received."))
    if int(data.get("unaccompanied_minors") or 0) > minors:
        raise field_error("unaccompanied_minors", _("There cannot be more unaccompanied minors than minors."))
    reception = DeportationReception(institution=actor.institution, created_by=actor, **data)
    validate(reception, exclude=["institution", "created_by", "point"])
    reception.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=reception, fields=list(values))
    return reception


# --- the watchlist ---------------------------------------------------------------------------------

ENTRY_FIELDS = (
    "given_names",
    "surname1",
    "surname2",
    "name_variants",
    "birth_date",
    "birth_year_only",
    "nationalities",
    "reason",
    "source_institution",
    "expires_on",
)


@transaction.atomic
def watchlist_entry_create(
    *, actor: User, values: Mapping[str, object], documents: Iterable[DocumentInput] = ()
) -> WatchlistEntry:
    """Propose an entry. It screens nothing until a second user approves it."""
    documents = list(documents)
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown watchlist fields: {', '.join(sorted(unknown))}")
    given = [name for name, value in values.items() if value not in (None, "", [])]
    if documents:
        given.append("documents")
    _require(policy.may_write_fields(actor, WatchlistEntry, given, action=Action.CREATE))
    data = dict(values)
    if not isinstance(data.get("source_institution"), Institution):
        raise field_error("source_institution", _("Choose the institution the information comes from."))
    entry = WatchlistEntry(institution=actor.institution, created_by=actor, status="pending", **data)
    if not (entry.surname1 or entry.surname2 or entry.given_names) and not documents:
        raise field_error("surname1", _("Give a name or a document."))
    if entry.reason not in vocabularies.codes("watchlist_reason"):
        raise field_error("reason", _("Choose a reason from the list."))
    if not isinstance(entry.expires_on, datetime.date) or entry.expires_on <= timezone.localdate():
        raise field_error("expires_on", _("The expiry date must be in the future."))
    if entry.birth_date and entry.birth_date > timezone.localdate():
        raise field_error("birth_date", _("The date of birth cannot be in the future."))
    if not isinstance(entry.nationalities, list) or not all(
        isinstance(code, str) and countries.is_country(code) for code in entry.nationalities
    ):
        raise field_error("nationalities", _("Use two-letter ISO 3166 country codes."))
    for document in documents:
        if document.document_type not in vocabularies.codes("document_type"):
            raise field_error("document_type", _("Choose a document type from the list."))
        if not document.number.strip():
            raise field_error("number", _("Give the document number."))
    validate(entry, exclude=["institution", "created_by", "source_institution", "approved_by"])
    entry.save()
    WatchlistDocument.objects.bulk_create(
        [
            WatchlistDocument(
                entry=entry,
                document_type=document.document_type,
                number_index=crypto.blind_index(document.document_type, document.number),
            )
            for document in documents
        ]
    )
    audit_record(actor=actor, action=AuditAction.CREATE, target=entry, fields=given)
    return entry


def _own_entry(actor: User, entry: WatchlistEntry) -> WatchlistEntry:
    return policy.get_or_404(
        actor, WatchlistEntry.objects.select_for_update(), action=Action.CHANGE, pk=entry.pk
    )


@transaction.atomic
def watchlist_entry_approve(*, actor: User, entry: WatchlistEntry) -> WatchlistEntry:
    """A second user, not the one who proposed it, makes the entry active."""
    entry = _own_entry(actor, entry)
    if entry.status != "pending":
        raise field_error("status", _("Only an entry awaiting approval can be approved."))
    if entry.created_by_id == actor.pk:
        raise field_error("approved_by", _("A second user must approve an entry you proposed yourself."))
    entry.status, entry.approved_by, entry.approved_at = "active", actor, timezone.now()
    entry.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    screening.watchlist_changed()
    audit_record(actor=actor, action=AuditAction.CHANGE, target=entry, fields=["status", "approved_by"])
    return entry


@transaction.atomic
def watchlist_entry_set_status(*, actor: User, entry: WatchlistEntry, status: str) -> WatchlistEntry:
    """Reject a pending entry, or withdraw an active one."""
    entry = _own_entry(actor, entry)
    allowed = {"rejected": {"pending"}, "withdrawn": {"pending", "active"}}
    if status not in allowed or entry.status not in allowed[status]:
        raise field_error("status", _("This change of status is not possible."))
    entry.status = status
    entry.save(update_fields=["status", "updated_at"])
    screening.watchlist_changed()
    audit_record(actor=actor, action=AuditAction.CHANGE, target=entry, fields=["status"])
    return entry


# --- alerts ----------------------------------------------------------------------------------------


@transaction.atomic
def alert_decide(*, actor: User, alert: Alert, decision: str, reason: str) -> Alert:
    """Confirm or dismiss an alert, always with a reason. A decision is final."""
    alert = policy.get_or_404(actor, Alert.objects.select_for_update(), action=Action.CHANGE, pk=alert.pk)
    if decision not in ("confirmed", "dismissed"):
        raise field_error("status", _("Confirm or dismiss the alert."))
    if alert.status != "open":
        raise field_error("status", _("This alert has already been decided."))
    if not reason.strip():
        raise field_error("decision_reason", _("Give the reason for the decision."))
    alert.status, alert.decided_by, alert.decided_at = decision, actor, timezone.now()
    alert.decision_reason = reason.strip()
    alert.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=alert,
        fields=["status", "decided_by", "decision_reason"],
    )
    return alert
