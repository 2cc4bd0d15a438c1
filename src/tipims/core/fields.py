"""Model fields whose values are encrypted at rest (see crypto.py).

The database holds Fernet tokens; Python code sees plain values. Encrypted columns cannot be searched
or ordered: exact lookups go through a blind index stored beside the value.
"""

from __future__ import annotations

import datetime

from django.db import models

from tipims.core import crypto


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(self._serialise(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self._deserialise(crypto.decrypt(value))

    def _serialise(self, value) -> str:
        return str(value)

    def _deserialise(self, text: str):
        return text


class EncryptedDateField(EncryptedTextField):
    description = "Date encrypted at rest"

    def get_prep_value(self, value):
        if value == "":
            value = None
        return super().get_prep_value(value)

    def to_python(self, value):
        if isinstance(value, str) and value:
            return datetime.date.fromisoformat(value)
        return value

    def _serialise(self, value) -> str:
        if isinstance(value, datetime.date):
            return value.isoformat()
        return datetime.date.fromisoformat(str(value)).isoformat()

    def _deserialise(self, text: str):
        return datetime.date.fromisoformat(text)

    def formfield(self, **kwargs):
        from django import forms

        return super(models.TextField, self).formfield(**{"form_class": forms.DateField, **kwargs})


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
