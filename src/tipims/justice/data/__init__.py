"""The justice data files: legal provisions as the cable states them, and phase deadlines.

Both are read at start-up and validated; a broken file stops the server with a clear message.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from tipims.core import vocabularies

FOLDER = Path(__file__).parent
PROVISIONS_FILE = FOLDER / "legal_provisions.json"
DEADLINES_FILE = FOLDER / "phase_deadlines.json"


@cache
def provisions() -> list[dict]:
    return json.loads(PROVISIONS_FILE.read_text(encoding="utf-8"))["provisions"]


@cache
def _shipped_deadlines() -> dict[str, int]:
    raw = json.loads(DEADLINES_FILE.read_text(encoding="utf-8"))
    return {phase: days for phase, days in raw.items() if not phase.startswith("_")}


def phase_deadlines() -> dict[str, int]:
    """The shipped deadlines, with the days an installation sets in TIPIMS_PHASE_DEADLINES (a JSON
    object such as {"investigation": 90}) taking their place; 0 removes a phase's deadline."""
    from django.conf import settings

    deadlines = {**_shipped_deadlines(), **settings.TIPIMS_PHASE_DEADLINES}
    return {phase: days for phase, days in deadlines.items() if days}


def _decimal(entry: dict, key: str) -> Decimal | None:
    value = entry.get(key)
    if value is None:
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        raise ImproperlyConfigured(
            f"{PROVISIONS_FILE.name}: {entry.get('code')}.{key} is not a number"
        ) from None


def validate() -> None:
    offences = vocabularies.codes("offence")
    seen = set()
    for entry in provisions():
        code = entry.get("code")
        where = f"{PROVISIONS_FILE.name}: {code}"
        if not code or (code, entry.get("effective_from")) in seen:
            raise ImproperlyConfigured(f"{where}: missing or repeated code and date")
        seen.add((code, entry.get("effective_from")))
        if entry.get("offence") not in offences:
            raise ImproperlyConfigured(f"{where}: offence {entry.get('offence')!r} is not in the vocabulary")
        for key in ("law", "title"):
            if not all(str(entry.get(key, {}).get(lang, "")).strip() for lang in ("es", "en")):
                raise ImproperlyConfigured(f"{where}: {key} needs es and en")
        try:
            datetime.date.fromisoformat(entry["effective_from"])
        except (KeyError, ValueError, TypeError):
            raise ImproperlyConfigured(f"{where}: effective_from is not a date") from None
        for low, high in (("min_years", "max_years"), ("min_fine_gtq", "max_fine_gtq")):
            a, b = _decimal(entry, low), _decimal(entry, high)
            if (a is None) != (b is None) or (a is not None and a > b):
                raise ImproperlyConfigured(f"{where}: {low} and {high} do not make a range")
        for factor in entry.get("aggravations", []):
            try:
                Fraction(factor["raise"])
            except (KeyError, ValueError, ZeroDivisionError):
                raise ImproperlyConfigured(f"{where}: aggravation {factor} has no valid raise") from None
            if not (factor.get("code") and factor.get("es") and factor.get("en")):
                raise ImproperlyConfigured(f"{where}: aggravation {factor} needs code, es and en")
    phases = vocabularies.codes("criminal_case_phase")
    for phase, days in phase_deadlines().items():
        if phase not in phases or not isinstance(days, int) or isinstance(days, bool) or days <= 0:
            raise ImproperlyConfigured(
                f"{DEADLINES_FILE.name} or TIPIMS_PHASE_DEADLINES: {phase}: {days} is not a phase and a number of days"
            )
