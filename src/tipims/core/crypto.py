"""Encryption of identity fields at rest, and keyed hashes (blind indexes) for exact lookup.

Keys come from settings (TIPIMS_FIELD_KEYS, newest first; TIPIMS_BLIND_INDEX_KEY), never SECRET_KEY.
MultiFernet encrypts under the first key and decrypts under any, which is what makes rotation safe.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from tipims.core import normalise


class UndecryptableValue(Exception):
    """A stored value that no configured key opens: a missing key, never a reason to show ciphertext."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.TIPIMS_FIELD_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise UndecryptableValue(
            "a stored identity value cannot be decrypted with the configured keys"
        ) from None


def is_under_primary_key(token: str) -> bool:
    try:
        Fernet(settings.TIPIMS_FIELD_KEYS[0]).decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def blind_index(kind: str, value: str) -> str:
    """HMAC-SHA256 of a normalised document number, scoped by kind so equal numbers of two kinds differ."""
    message = f"{kind}:{normalise.document_number(value)}".encode()
    return hmac.new(settings.TIPIMS_BLIND_INDEX_KEY, message, hashlib.sha256).hexdigest()
