"""Identity fields are encrypted under keys of their own; `tipims keys rotate` re-encrypts everything."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from tipims.audit.models import AuditEvent
from tipims.core import crypto, keyrotation
from tipims.people.models import IdentityDocument, PersonRecord

pytestmark = pytest.mark.django_db


def raw_tokens():
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_names, surname1, birth_date FROM people_personrecord")
        rows = [token for row in cursor.fetchall() for token in row if token]
        cursor.execute("SELECT number FROM people_identitydocument")
        return rows + [row[0] for row in cursor.fetchall()]


def test_field_keys_are_not_the_secret_key(settings):
    assert settings.SECRET_KEY not in settings.TIPIMS_FIELD_KEYS


def test_rotation_re_encrypts_everything_under_the_new_key_and_loses_nothing(settings, person, tmp_path):
    old_keys = list(settings.TIPIMS_FIELD_KEYS)
    key_file = tmp_path / "field_keys"
    key_file.write_text(",".join(old_keys))
    settings.TIPIMS_FIELD_KEYS_SOURCE = key_file
    before_tokens = raw_tokens()

    call_command("keys", "rotate", "--drop-old")

    new_keys = key_file.read_text().split(",")
    assert len(new_keys) == 1 and new_keys[0] not in old_keys
    assert [new_keys[0], *old_keys] == settings.TIPIMS_FIELD_KEYS  # in this process until restart
    after_tokens = raw_tokens()
    assert set(after_tokens).isdisjoint(before_tokens)
    for token in after_tokens:
        Fernet(new_keys[0]).decrypt(token.encode())  # every value opens with the new key alone
    settings.TIPIMS_FIELD_KEYS = new_keys
    crypto._fernet.cache_clear()
    record = PersonRecord.objects.get(pk=person.pk)
    assert (record.given_names, record.surname1, record.surname2) == ("Heidy Marisol", "Xicará", "Paiz")
    assert IdentityDocument.objects.get(person=record).number == "HN 1234567"
    assert keyrotation.stale_values() == 0
    assert AuditEvent.objects.filter(action="key_rotation").exists()


def test_without_a_key_file_rotation_needs_the_new_key_given(settings, person):
    from django.core.management import CommandError

    settings.TIPIMS_FIELD_KEYS_SOURCE = None
    with pytest.raises(CommandError, match="--new-key"):
        call_command("keys", "rotate")


def test_a_malformed_new_key_changes_nothing(settings, person, tmp_path):
    from django.core.management import CommandError

    key_file = tmp_path / "field_keys"
    key_file.write_text(",".join(settings.TIPIMS_FIELD_KEYS))
    settings.TIPIMS_FIELD_KEYS_SOURCE = key_file
    before = raw_tokens()
    with pytest.raises(CommandError, match="not a valid Fernet key"):
        call_command("keys", "rotate", "--new-key", "not-a-key")
    assert raw_tokens() == before
    assert key_file.read_text() == ",".join(settings.TIPIMS_FIELD_KEYS)


def test_a_value_no_key_opens_raises_instead_of_showing_ciphertext(settings, person):
    settings.TIPIMS_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.UndecryptableValue):
        PersonRecord.objects.get(pk=person.pk)


def test_the_blind_index_depends_on_the_key_and_the_normalised_number(settings):
    first = crypto.blind_index("PASSPORT", "hn-123 456")
    assert first == crypto.blind_index("PASSPORT", "HN123456")
    assert first != crypto.blind_index("DPI", "HN123456")
    settings.TIPIMS_BLIND_INDEX_KEY = b"k" * 32
    assert crypto.blind_index("PASSPORT", "HN123456") != first
