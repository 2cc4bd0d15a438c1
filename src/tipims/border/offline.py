"""The screening engine run offline on two CSV files (`tipims screen`): nothing touches the database.

Watchlist CSV columns: ``entry_id, given_names, surname1, surname2, name_variants, birth_date,
document_type, document_number``. ``name_variants`` holds other names separated by ``;``, each written
``given names / first surname / second surname``; ``birth_date`` is ``YYYY-MM-DD`` or a year ``YYYY``.
Crossings CSV columns: ``crossing_id, given_names, surname1, surname2, birth_date, document_type,
document_number`` (other columns are ignored). Document numbers are hashed (keyed) in memory and
compared only as hashes. Output columns: ``crossing_id, entry_id, score, fields_agreed, explanation``.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from pathlib import Path

from tipims.border.screening import WatchlistIndex, names_of
from tipims.core import crypto, matching

OUTPUT_COLUMNS = ("crossing_id", "entry_id", "score", "fields_agreed", "explanation")


class OfflineInputError(ValueError):
    pass


def _date(text: str, line: int, path: Path) -> tuple[datetime.date | None, bool]:
    text = (text or "").strip()
    if not text:
        return None, False
    try:
        if len(text) == 4 and text.isdigit():
            return datetime.date(int(text), 1, 1), True
        return datetime.date.fromisoformat(text), False
    except ValueError:
        raise OfflineInputError(
            f"{path.name}, line {line}, field birth_date: not a date (YYYY-MM-DD)"
        ) from None


def _person(row: dict, line: int, path: Path) -> matching.Person:
    born, year_only = _date(row.get("birth_date", ""), line, path)
    variants = "\n".join((row.get("name_variants") or "").split(";"))
    number = (row.get("document_number") or "").strip()
    kind = (row.get("document_type") or "").strip().upper()
    return matching.Person(
        names=names_of(
            row.get("given_names", ""), row.get("surname1", ""), row.get("surname2", ""), variants
        ),
        birth_date=born,
        birth_year_only=year_only,
        documents=frozenset([crypto.blind_index(kind, number)]) if number else frozenset(),
    )


def _read(path: Path, key_column: str) -> Iterator[tuple[str, matching.Person]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if key_column not in (reader.fieldnames or []):
            raise OfflineInputError(f"{path.name}: the column {key_column!r} is missing")
        for row in reader:
            key = (row.get(key_column) or "").strip()
            if not key:
                raise OfflineInputError(f"{path.name}, line {reader.line_num}, field {key_column}: empty")
            yield key, _person(row, reader.line_num, path)


def screen_files(watchlist: Path, crossings: Path, output: Path, *, threshold: float) -> tuple[int, int, int]:
    """Write one row per alert; return (watchlist entries, crossings screened, alerts)."""
    index = WatchlistIndex(_read(watchlist, "entry_id"))
    screened = alerts = 0
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        for crossing_id, person in _read(crossings, "crossing_id"):
            screened += 1
            for hit in index.screen(person, threshold):
                alerts += 1
                agreed = ";".join(a.field for a in hit.match.agreements if a.score > 0)
                writer.writerow(
                    [crossing_id, hit.key, f"{hit.match.score:.4f}", agreed, hit.match.explanation()]
                )
    return len(index), screened, alerts
