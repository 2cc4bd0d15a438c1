"""Small helpers shared by the services of every app."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


def apply_changes(instance: models.Model, changes: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the given fields on ``instance`` and return the names of those whose value really changed.

    An unknown field name is a programming error (TypeError); the caller validates values.
    """
    allowed = set(allowed)
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))} of {type(instance).__name__}")
    changed = []
    for name, value in changes.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def validate(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Model validation that names the field at fault, before anything is written."""
    instance.full_clean(exclude=list(exclude), validate_constraints=True)


def field_error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def messages_by_field(error: ValidationError) -> dict[str, list[str]]:
    """A ValidationError from a service as {field: messages}, for forms and the API alike."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages] for field, errors in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}
