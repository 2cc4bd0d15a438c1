"""Writing to the audit trail. Every service that writes calls ``audit_record`` inside its own
transaction, so the event and the change commit together or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from tipims.audit.models import AuditAction, AuditEvent, AuditHead

SYSTEM = None  # the actor of events no user caused (migrations, key rotation from the command line)


def _object_type(target: models.Model | type[models.Model]) -> str:
    return target._meta.label_lower


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    fields: Iterable[str] = (),
    object_ids: Iterable[str] = (),
) -> AuditEvent:
    """Append one event to the chain. ``fields`` are field names, never values."""
    if target is not None:
        object_type = _object_type(target)
        object_id = str(target.pk)
    with transaction.atomic():
        # The head row is the lock: on PostgreSQL SELECT ... FOR UPDATE serialises appends; on SQLite
        # every transaction already holds the write lock from its start (transaction_mode IMMEDIATE).
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        institution = getattr(actor, "institution", None)
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_username=getattr(actor, "username", "") or "",
            institution_code=getattr(institution, "code", "") or "",
            action=str(action),
            object_type=object_type,
            object_id=object_id,
            fields=sorted(set(fields)),
            object_ids=[str(pk) for pk in object_ids],
            prev_hash=head.hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def audit_view(*, actor: Any, target: models.Model, groups: Iterable[str]) -> AuditEvent:
    """Record that ``actor`` saw the named field groups (identity, contact) of one record."""
    return audit_record(actor=actor, action=AuditAction.VIEW, target=target, fields=groups)


def audit_list_view(
    *, actor: Any, model: type[models.Model], object_ids: Iterable[Any], groups: Iterable[str]
) -> AuditEvent | None:
    """Record that a list showed identities of these records; nothing when it showed none."""
    ids = [str(pk) for pk in object_ids]
    if not ids:
        return None
    return audit_record(
        actor=actor, action=AuditAction.VIEW, object_type=_object_type(model), fields=groups, object_ids=ids
    )
