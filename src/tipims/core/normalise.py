"""Normalisation shared by exact lookups (blind indexes) and, later, linkage and screening."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_PARTICLES = {"de", "del", "la", "las", "los", "y", "e", "da", "dos", "van", "von"}


def strip_accents(text: str) -> str:
    if text.isascii():  # nothing to strip (NFKD leaves ASCII unchanged); the common case in bulk imports
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def document_number(raw: str) -> str:
    """'1234 56789-0101' and '1234567890101' are the same DPI: keep letters and digits, upper case."""
    return _NOT_ALNUM.sub("", strip_accents(raw).upper())


def name_tokens(raw: str) -> list[str]:
    """Lower-case, accent-free name words without particles: 'María de los Ángeles' -> maria angeles."""
    words = re.split(r"[\s\-'.,]+", strip_accents(raw).lower())
    return [word for word in words if word and word not in _PARTICLES]
