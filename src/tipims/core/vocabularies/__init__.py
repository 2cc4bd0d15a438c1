"""Controlled vocabularies kept as data files with Spanish and English labels.

Each JSON file in this folder maps a vocabulary name to a list of ``{"code", "es", "en"}`` entries.
Codes are what the database stores (HTCDS picklist values where HTCDS has one); labels are shown in
the user's language. ``validate_all`` runs at start-up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

_FOLDER = Path(__file__).parent
_LANGUAGES = ("es", "en")


@dataclass(frozen=True)
class Term:
    code: str
    es: str
    en: str

    def label(self, language: str | None = None) -> str:
        language = (language or get_language() or "es")[:2]
        return self.en if language == "en" else self.es


@cache
def _load() -> dict[str, tuple[Term, ...]]:
    vocabularies: dict[str, tuple[Term, ...]] = {}
    for path in sorted(_FOLDER.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for name, entries in data.items():
            if name.startswith("_"):
                continue
            if name in vocabularies:
                raise ImproperlyConfigured(f"vocabulary {name!r} is defined twice ({path.name})")
            vocabularies[name] = tuple(_term(path.name, name, entry) for entry in entries)
    return vocabularies


def _term(file_name: str, name: str, entry: dict) -> Term:
    missing = [key for key in ("code", *_LANGUAGES) if not str(entry.get(key, "")).strip()]
    if missing:
        raise ImproperlyConfigured(f"{file_name}: an entry of {name!r} lacks {', '.join(missing)}: {entry}")
    return Term(code=entry["code"], es=entry["es"], en=entry["en"])


def validate_all() -> None:
    for name, terms in _load().items():
        codes = [term.code for term in terms]
        if len(codes) != len(set(codes)):
            raise ImproperlyConfigured(f"vocabulary {name!r} repeats a code")
        if not codes:
            raise ImproperlyConfigured(f"vocabulary {name!r} is empty")


def names() -> list[str]:
    return sorted(_load())


def terms(name: str) -> tuple[Term, ...]:
    try:
        return _load()[name]
    except KeyError:
        raise LookupError(f"no vocabulary named {name!r}") from None


def codes(name: str) -> set[str]:
    return {term.code for term in terms(name)}


def label(name: str, code: str | None, language: str | None = None) -> str:
    if not code:
        return ""
    for term in terms(name):
        if term.code == code:
            return term.label(language)
    return code


def choices(name: str) -> list[tuple[str, str]]:
    """Choices for a form field, labelled in the active language."""
    return [(term.code, term.label()) for term in terms(name)]


def model_choices(name: str) -> list[tuple[str, str]]:
    """Choices for a model field: the code and the English label (forms relabel them per language)."""
    return [(term.code, term.en) for term in terms(name)]
