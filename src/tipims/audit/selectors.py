"""Reads of the audit trail: for auditors only."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.audit.models import AuditEvent


def audit_events_for_user(
    user,
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    institution: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    if not policy.has_capability(user, Capability.READ_AUDIT):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all()
    if actor:
        events = events.filter(actor_username__iexact=actor.strip())
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id.strip())
    if institution:
        events = events.filter(institution_code=institution)
    if since:
        events = events.filter(occurred_at__date__gte=since)
    if until:
        events = events.filter(occurred_at__date__lte=until)
    return events.order_by("-seq")


def audit_event_count_for_user(user) -> int | None:
    if not policy.has_capability(user, Capability.READ_AUDIT):
        return None
    return AuditEvent.objects.count()
