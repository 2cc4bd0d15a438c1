"""Re-encrypting every encrypted field under a new key, losing nothing.

The new key goes first in the key list (so new writes use it) while the old keys stay for reading;
every encrypted value is then decrypted and written back under the new key in one transaction.
Only when no value still needs an old key may the old keys be dropped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from tipims.audit.models import AuditAction
from tipims.audit.services import SYSTEM, audit_record
from tipims.core import crypto
from tipims.core.fields import encrypted_fields


@dataclass(frozen=True)
class RotationResult:
    keys: list[str]
    values: int
    by_model: dict[str, int]


def encrypted_models() -> list[tuple[type, list[str]]]:
    return [(model, fields) for model in apps.get_models() if (fields := encrypted_fields(model))]


def write_keys(path: Path, keys: list[str]) -> None:
    """Replace the key file atomically, readable by its owner only."""
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(",".join(keys))
    os.replace(temporary, path)


def stale_values() -> int:
    """How many stored encrypted values are not under the primary key (read raw, bypassing the fields)."""
    stale = 0
    with connection.cursor() as cursor:
        for model, fields in encrypted_models():
            columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
            cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            for row in cursor.fetchall():
                stale += sum(1 for token in row if token and not crypto.is_under_primary_key(token))
    return stale


def rotate_field_keys(*, new_key: str | None = None, batch_size: int = 1000, progress=None) -> RotationResult:
    """Put ``new_key`` (or a fresh one) first and re-encrypt every value under it.

    The caller must already have made the new key list durable (see the `keys` command), so that a
    failure half way leaves every value readable.
    """
    new_key = new_key or Fernet.generate_key().decode()
    Fernet(new_key)  # a malformed key fails here, before anything changes
    keys = [new_key, *[key for key in settings.TIPIMS_FIELD_KEYS if key != new_key]]
    settings.TIPIMS_FIELD_KEYS = keys
    by_model: dict[str, int] = {}
    total = 0
    with transaction.atomic():
        for model, fields in encrypted_models():
            count = 0
            objects = []
            for instance in (
                model._base_manager.only("pk", *fields).order_by("pk").iterator(chunk_size=batch_size)
            ):
                objects.append(instance)
                if len(objects) >= batch_size:
                    model._base_manager.bulk_update(objects, fields)
                    count += len(objects)
                    objects = []
                    if progress:
                        progress(model._meta.label, count)
            if objects:
                model._base_manager.bulk_update(objects, fields)
                count += len(objects)
            by_model[model._meta.label] = count
            total += count * len(fields)
        audit_record(
            actor=SYSTEM,
            action=AuditAction.KEY_ROTATION,
            object_type="core.fieldkeys",
            fields=sorted(by_model),
        )
    return RotationResult(keys=keys, values=total, by_model=by_model)
