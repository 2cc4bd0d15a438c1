"""ISO 3166-1 countries (alpha-2 codes, as HTCDS asks) with names in Spanish and English.

pycountry carries the ISO list and the Debian iso-codes translations, so no list is kept by hand.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _spanish() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True)


@cache
def _codes() -> dict[str, str]:
    return {country.alpha_2: country.name for country in pycountry.countries}


def is_country(code: str) -> bool:
    return code in _codes()


def name(code: str, language: str | None = None) -> str:
    english = _codes().get(code)
    if english is None:
        return code
    language = (language or get_language() or "es")[:2]
    return _spanish().gettext(english) if language == "es" else english


def choices() -> list[tuple[str, str]]:
    return sorted(((code, name(code)) for code in _codes()), key=lambda pair: pair[1])
