"""Turning person rows into the normalised columns the linkage model compares.

Input columns (any but record_id may be empty): record_id, given_names, surname1, surname2, sex,
date_of_birth (YYYY-MM-DD, YYYY-MM or YYYY), nationality, document_number; optionally address (free
text: street, number, zone, town), compared word by word when both records have one.
"""

from __future__ import annotations

import datetime
import re

import pandas as pd

from tipims.core import normalise

INPUT_COLUMNS = (
    "record_id",
    "given_names",
    "surname1",
    "surname2",
    "sex",
    "date_of_birth",
    "nationality",
    "document_number",
)

OPTIONAL_COLUMNS = ("address",)
_NOT_A_WORD = re.compile(r"[^0-9a-z]+")

_SEX = {
    "f": "f",
    "feminine": "f",
    "female": "f",
    "m": "m",
    "masculine": "m",
    "male": "m",
    "mujer": "f",
    "hombre": "m",
}


class InputError(ValueError):
    """A malformed input file: the message names the line and the column."""


def _name(value: str) -> str | None:
    tokens = normalise.name_tokens(value or "")
    return " ".join(tokens) or None


def _second_surname(raw: str) -> str | None:
    """A woman's married name ("de León") often takes the place of her second surname on some records:
    it is not her second surname, so those records compare as "second surname missing on one side"
    rather than as two different second surnames."""
    words = (raw or "").strip().split()
    if len(words) >= 2 and words[0].lower() == "de" and words[1].lower() not in ("la", "los", "las"):
        return None
    return _name(raw)


def _address(raw: str) -> tuple[str | None, list[str]]:
    """(the address as normalised text, its distinct words): accents, case and punctuation ignored.

    A missing address has the words [""] rather than none: the column then has a type (a list of
    text) on Spark even when no record has an address, and "" is never one of an address's words."""
    words = _NOT_A_WORD.sub(" ", normalise.strip_accents(raw or "").casefold()).split()
    if not words:
        return None, [""]
    return " ".join(words), sorted(set(words))


def _birth(value: str, line: int) -> tuple[str | None, str | None, int | None]:
    """(full date, date with day and month swapped, year) from an exact or partial date."""
    value = (value or "").strip()
    if not value:
        return None, None, None
    try:
        if len(value) == 4:
            return None, None, int(value)
        if len(value) == 7:
            return None, None, datetime.date.fromisoformat(value + "-01").year
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"line {line}, column 'date_of_birth': {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY"
        ) from None
    swapped = None
    if day.day <= 12 and day.day != day.month:
        swapped = datetime.date(day.year, day.day, day.month).isoformat()
    return day.isoformat(), swapped, day.year


def prepare(rows: pd.DataFrame) -> pd.DataFrame:
    missing = [column for column in INPUT_COLUMNS if column not in rows.columns]
    if missing:
        raise InputError(f"the input lacks the column(s) {', '.join(missing)}")
    rows = rows.fillna("").astype(str)
    ids = rows["record_id"].str.strip()
    if (ids == "").any():
        raise InputError(f"line {int((ids == '').idxmax()) + 2}, column 'record_id': every row needs an id")
    duplicated = ids.duplicated()
    if duplicated.any():
        raise InputError(
            f"line {int(duplicated.idxmax()) + 2}, column 'record_id': {ids[duplicated.idxmax()]!r} appears twice"
        )
    given = [_name(v) for v in rows["given_names"]]
    first = [_name(v) for v in rows["surname1"]]
    second = [_second_surname(v) for v in rows["surname2"]]
    out = pd.DataFrame({"unique_id": ids})
    out["given"] = given
    out["given_first"] = [v.split()[0] if v else None for v in given]
    out["surname1"] = first
    out["surname2"] = second
    # Sorted pair: the same two surnames in either order compare equal (swapped surnames).
    out["surnames_sorted"] = [
        " ".join(sorted(p for p in (a, b) if p)) or None for a, b in zip(first, second, strict=True)
    ]
    births = [_birth(value, line) for line, value in enumerate(rows["date_of_birth"], start=2)]
    out["dob"] = [b[0] for b in births]
    out["dob_swapped"] = [b[1] for b in births]
    out["birth_year"] = [b[2] for b in births]
    out["sex"] = [_SEX.get(v.strip().lower(), v.strip().lower() or None) for v in rows["sex"]]
    out["nationality"] = [v.strip().upper() or None for v in rows["nationality"]]
    out["document"] = [normalise.document_number(v) or None for v in rows["document_number"]]
    out["birth_year"] = out["birth_year"].astype("Int64")
    column = rows["address"] if "address" in rows.columns else [""] * len(rows)
    addresses = [_address(v) for v in column]
    out["address"] = pd.Series([a[0] for a in addresses], index=out.index, dtype=object)
    out["address_tokens"] = [a[1] for a in addresses]
    return out
