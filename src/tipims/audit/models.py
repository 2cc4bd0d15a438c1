"""The audit trail: an append-only, hash-chained list of events.

Every event hashes the one before it (SHA-256), so editing, removing or inserting a row by hand
breaks the chain at that row; database triggers refuse UPDATE and DELETE in the first place.
``AuditHead`` remembers the last event so that removing the newest rows is noticed too.
"""

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
    VIEW = "view", _("viewed identity")
    EXPORT = "export", _("exported")
    LOGIN = "login", _("signed in")
    LOGOUT = "logout", _("signed out")
    KEY_ROTATION = "key_rotation", _("rotated encryption keys")


class AuditEvent(models.Model):
    seq = models.BigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    # Not a foreign key: the trail must stay intact and verifiable whatever happens to user rows.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    institution_code = models.CharField(_("institution"), max_length=40, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True, db_index=True)
    # Names only: which fields changed or were seen, or which records a list showed. Never values.
    fields = models.JSONField(_("fields"), default=list, blank=True)
    object_ids = models.JSONField(_("objects"), default=list, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_id}"

    def payload(self) -> dict:
        return {
            "seq": self.seq,
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "institution_code": self.institution_code,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "fields": list(self.fields),
            "object_ids": list(self.object_ids),
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(f"{self.prev_hash}|{canonical}".encode()).hexdigest()


class AuditHead(models.Model):
    """One row: the newest event's sequence and hash. Also the lock that serialises appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit head")

    def __str__(self) -> str:
        return f"head #{self.seq}"
