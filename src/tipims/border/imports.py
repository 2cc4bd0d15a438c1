"""Bulk import of a border system's export of crossings: every row validated, all or nothing.

The file is streamed (CSV, or Parquet through pyarrow) and validated row by row; valid rows are loaded
in chunks inside ONE transaction that is rolled back if any row of the file is wrong, so a file either
loads whole or leaves nothing behind. Errors name the line (the CSV line number, header = line 1) and
the field.

Why a million rows load in well under a minute on SQLite (benchmarks/crossings_import.py; the work
was 132 CPU seconds before these measures, about 50 after):

- two cores work at once. A large file is read, validated, hashed (the documents' blind indexes),
  encrypted and made into rows ready to insert in a process of its own (``import_reader``), which
  sends them to this process, where only the database work is done. (Two threads of one process take
  turns at the GIL: a writer thread waits up to the switch interval for it after every statement
  while a reader thread runs Python, so the two hardly overlap.) A small file, or rows given in
  memory, is read here, its encryption done in a process once it is more than a chunk;
- a chunk's identity values are encrypted together (``bulk_encryption``: standard Fernet tokens at an
  eighth of the cost of one ``crypto.encrypt`` call each, and blind indexes at a third of the cost);
- rows are written with ``executemany`` on the DB-API cursor and primary keys reserved in bulk,
  instead of ``bulk_create`` preparing every field of every row one call at a time; the time of a
  crossing is put in the form the database stores while the row is validated;
- random references are not looked up before they are used: the insert skips a row whose reference is
  taken (``ON CONFLICT (reference) DO NOTHING``; rare: once in a million new rows when the table holds
  a million) and that row is written again with a new one, so the unique index, updated anyway,
  checks them;
- on SQLite, once the import is at least as large as the table it goes into (and 50,000 rows or more),
  the secondary indexes of crossings and person records are dropped inside the import's transaction
  and created again, by one sort each, before it commits: that costs much less than a million random
  insertions into each. DDL is transactional in SQLite, so a failed or interrupted import leaves the
  indexes as they were, and other connections go on reading their snapshot meanwhile. The unique
  indexes stay, and the index of documents, which the look-up of people already recorded needs while
  the rows load. (Not on PostgreSQL, where dropping an index would lock readers out of the table for
  the whole import.);
- person records are resolved per chunk: a row whose document (by its keyed hash) and identity match a
  person this institution already recorded crossing with that document, earlier in the file or in the
  database, reuses that person record instead of creating a new one. On SQLite a Bloom filter of the
  documents in the table (read when the import starts, added to as it writes) leaves out of that
  look-up the documents certainly not there, nearly all of them. The look-up also tells which documents
  are crossed with more than once, so the indicator rules read only those documents' crossings
  instead of counting every imported document's;
- every crossing is screened against the in-memory watchlist index, and one person is screened once
  however often they cross; a screening that fails becomes an alert for review of that crossing, never
  a failed import.
"""

from __future__ import annotations

import datetime
import logging
import multiprocessing
import queue
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
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
from tipims.border.import_reader import (
    COLUMNS,
    CROSSING_COLUMNS,
    PERSON_COLUMNS,
    PROGRESS_EVERY,
    Checker,
    MissingColumns,
    Problem,
    Row,
    Stamp,
    build,
    dict_fields,
    documents_of,
    file_fields,
    plain_values,
    read_apart,
    references,
)
from tipims.border.models import _ALPHABET, Alert, Crossing, CrossingPoint
from tipims.core import crypto, matching, vocabularies
from tipims.people.models import BirthDatePrecision, PersonRecord

__all__ = ["COLUMNS", "ImportFailed", "ImportResult", "RowError", "import_crossings", "import_rows"]

logger = logging.getLogger(__name__)

CHUNK = 5000  # rows validated, written and screened together
IN_CLAUSE = 900  # values per IN (...) list: under every SQLite build's variable limit
MAX_REPORTED = 200  # errors listed in full; the rest are counted
READ_APART_BYTES = 2_000_000  # a file this large (about 18,000 rows) is read in a process of its own
WAITING_MESSAGES = 4  # chunks (of 3 MB) and progress the reading process may send ahead
ALERTS_HELD = 5000  # screening alerts kept in memory before they are written
DROP_INDEXES_AT = 50_000  # rows (and at least as many as the table had) before indexes are rebuilt
PEOPLE_HELD = 200_000  # identities of people looked up kept in memory
FILTER_AT = 20_000  # rows (and at least as many as the table had) before documents are filtered
FILTER_TABLE_ROWS = 2_000_000  # crossings a table may hold for their documents to be put in a filter


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


def _checker() -> Checker:
    sqlite = connection.vendor == "sqlite"
    return Checker(
        points={p.code: p.pk for p in CrossingPoint.objects.filter(active=True)},
        sexes=frozenset(vocabularies.codes("prs_Gender")),
        documents=frozenset(vocabularies.codes("document_type")),
        directions=frozenset(vocabularies.codes("crossing_direction")),
        latest=timezone.now() + datetime.timedelta(minutes=5),
        earliest=datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC),
        today=timezone.localdate(),
        zone=timezone.get_current_timezone(),
        # What Django's adapt_datetimefield_value makes of an aware datetime: naive text in the
        # connection's zone on SQLite; the datetime itself on PostgreSQL.
        stored_zone=connection.timezone if sqlite and settings.USE_TZ else None,
    )


Messages = Iterator[tuple]  # what a reader sends: see import_reader.read_apart
Source = Callable[[Checker, Stamp], Messages]


def import_crossings(
    path: str | Path, *, actor: User, screen: bool = True, progress: Callable[[int], None] | None = None
) -> ImportResult:
    """Load the file whole, or raise ImportFailed with the row-level errors and load nothing."""
    path = Path(path)
    fields = file_fields(path)
    try:
        next(fields, None)  # a missing file or column is said before anything starts
    except ImportError:  # pragma: no cover - pyarrow comes with geoquetzal
        raise ValueError(_("Reading Parquet files needs the pyarrow package.")) from None
    except MissingColumns as missing:
        raise _missing(missing) from None
    finally:
        fields.close()
    if path.stat().st_size >= READ_APART_BYTES:
        source = lambda checker, stamp: _read_apart(path, checker, stamp)  # noqa: E731
    else:
        source = lambda checker, stamp: _read_here(file_fields(path), checker, stamp)  # noqa: E731
    return _import(source, actor=actor, screen=screen, progress=progress)


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
    return _import(
        lambda checker, stamp: _read_here(dict_fields(rows), checker, stamp),
        actor=actor,
        screen=screen,
        progress=progress,
    )


def _missing(missing: MissingColumns) -> ValueError:
    return ValueError(_("The file lacks the columns: %(columns)s") % {"columns": ", ".join(missing.columns)})


def _import(
    source: Source,
    *,
    actor: User,
    screen: bool,
    progress: Callable[[int], None] | None,
) -> ImportResult:
    if not policy.may_write_fields(
        actor,
        Crossing,
        ["person", "point", "direction", "crossed_at", "document_number"],
        action=Action.CREATE,
    ) or not policy.can_create(actor, PersonRecord, policy.FieldGroup.IDENTITY):
        raise PermissionDenied(_("You may not record crossings."))
    result = ImportResult()
    checker = _checker()
    try:
        with transaction.atomic(), _large_cache():
            loader = _Loader(actor, screen=screen)
            messages = source(checker, loader.stamp)
            try:
                _take(messages, loader, result, progress)
            except MissingColumns as missing:
                raise _missing(missing) from None
            finally:
                messages.close()  # stops the reading process, or the encryption process
            if result.error_count:
                raise _Rollback
            loader.finish(result)
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


def _take(messages: Messages, loader: _Loader, result: ImportResult, progress) -> None:
    """Load the chunks the reader sends, and take its count of rows and errors at the end."""
    for message in messages:
        kind = message[0]
        if kind == "chunk":
            loader.load(*message[1:], result=result)
        elif kind == "progress":
            if progress is not None:
                progress(message[1])
        elif kind == "end":
            result.rows, result.error_count = message[1], message[2]
            result.errors = [RowError(line, name, _(text)) for line, name, text in message[3]]
            return
        elif kind == "failed":
            raise message[1]


def _read_here(fields: Iterable[tuple[int, Sequence[str]]], checker: Checker, stamp: Stamp) -> Messages:
    """The reader in this process: the messages of ``import_reader.read_apart``, the chunks encrypted
    in a process of their own from the second one on (a small file never starts a process), one chunk
    ahead of the writing."""
    index_key, field_key = settings.TIPIMS_BLIND_INDEX_KEY, settings.TIPIMS_FIELD_KEYS[0]
    encryptor: ProcessPoolExecutor | None = None
    rows = problem_count = 0
    problems: list[Problem] = []
    chunk: list[Row] = []
    ready: tuple | None = None  # the chunk before, its documents, and its encryption (under way)
    size = CHUNK  # read once: tests make chunks small
    try:
        for line, values in fields:
            rows += 1
            if rows % PROGRESS_EVERY == 0:
                yield ("progress", rows)
            row, found = checker.check(line, values)
            if found:
                problem_count += len(found)
                problems.extend(found[: max(MAX_REPORTED - len(problems), 0)])
                continue
            if problem_count:
                continue
            chunk.append(row)
            if len(chunk) < size:
                continue
            if ready is None and encryptor is None:
                sealed: list[str] | Future = encrypt_values(plain_values(chunk))
            else:
                if encryptor is None:
                    context = multiprocessing.get_context("spawn")
                    encryptor = ProcessPoolExecutor(max_workers=1, mp_context=context)
                sealed = encryptor.submit(encrypt_values, plain_values(chunk), key=field_key)
            if ready is not None:
                yield _built(*ready, stamp)
            ready = (chunk, documents_of(chunk, index_key), sealed)
            chunk = []
        if not problem_count:
            if ready is not None:
                yield _built(*ready, stamp)
            if chunk:
                yield build(chunk, documents_of(chunk, index_key), encrypt_values(plain_values(chunk)), stamp)
        yield ("end", rows, problem_count, problems)
    finally:
        if encryptor is not None:
            encryptor.shutdown(wait=True, cancel_futures=True)


def _built(chunk: list[Row], documents: list[str], sealed: list[str] | Future, stamp: Stamp) -> tuple:
    return build(chunk, documents, sealed.result() if isinstance(sealed, Future) else sealed, stamp)


def _read_apart(path: Path, checker: Checker, stamp: Stamp) -> Messages:
    """The messages of a process that reads the file (``import_reader.read_apart``)."""
    context = multiprocessing.get_context("spawn")
    channel = context.Queue(maxsize=WAITING_MESSAGES)
    reader = context.Process(
        target=read_apart,
        args=(str(path), checker, stamp, CHUNK, MAX_REPORTED, settings.TIPIMS_FIELD_KEYS[0],
              settings.TIPIMS_BLIND_INDEX_KEY, channel),
        name="crossings-reader",
        daemon=True,
    )  # fmt: skip
    reader.start()
    finished = False
    try:
        while not finished:
            try:
                message = channel.get(timeout=1)
            except queue.Empty:
                if not reader.is_alive():
                    raise RuntimeError(
                        f"the process reading {path.name} stopped ({reader.exitcode})"
                    ) from None
                continue
            finished = message[0] in ("end", "failed")
            yield message
    finally:
        reader.join(timeout=10 if finished else 0)
        if reader.is_alive():  # the import stopped before the end of the file
            reader.terminate()
            reader.join()
        channel.close()


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


def _identity(given: str, first: str, second: str, birth: datetime.date | None, sex: str) -> tuple:
    """What must agree, besides the document, for a row to be a person already recorded."""
    return (given.casefold(), first.casefold(), second.casefold(), birth, sex)


def _chunks(values: list, size: int = IN_CLAUSE) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Loader:
    """Writes validated chunks of rows: person records, crossings, and the alerts of their screening.

    It works on the DB-API cursor under Django's connection: ``executemany`` without Django's wrapping
    (which on SQLite passes every row through a ``tee`` to look at the first).
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
        self.vendor = connection.vendor
        self.mark = "?" if self.vendor == "sqlite" else "%s"  # raw DB-API placeholders
        self.created_at = timezone.now()  # every row of the import shares it: it selects them later
        self.now = self.ops.adapt_datetimefield_value(self.created_at)
        self.citizenships: dict[str, object] = {}
        self.stamp = Stamp(
            institution_id=self.institution_id,
            actor_id=actor.pk,
            created_at=self.now,
            exact=BirthDatePrecision.EXACT.value,
            unknown=BirthDatePrecision.UNKNOWN.value,
            letters=_REFERENCE_LETTERS,
            yes=1 if self.vendor == "sqlite" else True,
            no=0 if self.vendor == "sqlite" else False,
        )
        # The reader prepares the rows in these columns; the key and what depends on the database
        # come last.
        self.people_sql = self._insert_sql(PersonRecord, [*PERSON_COLUMNS, "id", "citizenships"])
        self.crossings_sql = self._insert_sql(Crossing, [*CROSSING_COLUMNS, "id", "person_id", "inspection"])
        self.alerts: list[Alert] = []  # screening alerts not written yet
        self.repeated: set[str] = set()  # documents crossed with more than once
        self.people: dict[int, tuple] = {}  # person id -> identity (_identity), of people looked up
        self.written = 0  # rows written so far
        self.dropped: list[str] = []  # the SQL that creates the indexes dropped for the load
        self.table_rows = self._table_rows() if self.vendor == "sqlite" else 0
        self.documents: _DocumentFilter | None = None  # see _filter_documents

    def _insert_sql(self, model, columns: list[str]) -> str:
        quote = self.ops.quote_name
        # A reference already taken skips the row instead of failing the insert (``_insert``).
        return "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO NOTHING".format(  # noqa: S608
            quote(model._meta.db_table),
            ", ".join(quote(column) for column in columns),
            ", ".join([self.mark] * len(columns)),
            quote("reference"),
        )

    def _table_rows(self) -> int:
        """About how many crossings the table holds (its largest key: no count of a large table)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {self.ops.quote_name(Crossing._meta.db_table)}")  # noqa: S608
            return cursor.fetchone()[0] or 0

    def _filter_documents(self, cursor) -> None:
        """On SQLite no one else writes during the import (its transaction is IMMEDIATE), so the
        documents the table holds are known once read: then only those need looking up. They are read
        once the import is as large as the table was (reading them costs less than what it spares)."""
        if self.documents is not None or self.vendor != "sqlite" or self.table_rows > FILTER_TABLE_ROWS:
            return
        if self.written < FILTER_AT or self.written < self.table_rows:
            return
        self.documents = _DocumentFilter()
        cursor.execute(
            f"SELECT document_index FROM {self.ops.quote_name(Crossing._meta.db_table)} "  # noqa: S608
            "WHERE document_index != ''"
        )
        while batch := cursor.fetchmany(10_000):
            self.documents.add([document for (document,) in batch])

    @contextmanager
    def _cursor(self):
        with connection.wrap_database_errors:
            cursor = connection.connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    def load(self, identities, documents, people, nationalities, crossings, *, result: ImportResult) -> None:
        """Screen and write one chunk, as ``import_reader.build`` prepared it."""
        screened = self._screen(identities, documents) if self.index is not None else {}
        result.alerts += sum(len(alerts) for alerts in screened.values())
        with self._cursor() as cursor:
            if self._drops_indexes(len(crossings)):
                self._drop_indexes(cursor)
            self._write(cursor, identities, documents, people, nationalities, crossings, screened)
        self.written += len(crossings)
        result.loaded += len(crossings)
        if len(self.alerts) >= ALERTS_HELD:
            self._write_alerts()

    def finish(self, result: ImportResult) -> None:
        """After the last chunk: the indexes back, the alerts written, the indicator rules run."""
        if self.dropped:
            with self._cursor() as cursor:
                for sql in self.dropped:
                    cursor.execute(sql)
            self.dropped = []
        self._write_alerts()
        if result.loaded:
            result.alerts += self._indicators()

    def _write_alerts(self) -> None:
        if self.alerts:
            alerts, self.alerts = self.alerts, []
            Alert.objects.bulk_create(alerts, batch_size=500)

    def _indicators(self) -> int:
        """The indicator rules over the imported crossings, all at once now that they are written."""
        imported = Q(
            created_at=self.created_at, created_by_id=self.actor.pk, institution_id=self.institution_id
        )
        try:
            findings = indicators.evaluate_imported(imported, documents=self.repeated)
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

    # --- screening ----------------------------------------------------------------------------------

    def _screen(self, identities: list[tuple], documents: list[str]) -> dict[int, list[Alert]]:
        """Screen every row of the chunk; the same person and document are compared once. Returns the
        alerts by row; they get their crossings when the chunk's keys are reserved."""
        screened: dict[int, list[Alert]] = {}
        for row, (identity, document) in enumerate(zip(identities, documents, strict=True)):
            try:
                hits = self._hits(identity, document)
            except Exception as error:  # an alert that cannot be computed is an alert for review
                logger.exception("screening of an imported crossing failed")
                screened[row] = [
                    Alert(
                        institution_id=self.institution_id,
                        kind="screening_error",
                        explanation=_(
                            "Screening could not be completed (%(error)s); screen this crossing by hand."
                        )
                        % {"error": type(error).__name__},
                    )
                ]
                continue
            if hits:
                screened[row] = [
                    Alert(
                        institution_id=self.owners[hit.key],
                        kind="watchlist",
                        entry_id=hit.key,
                        score=hit.match.score,
                        explanation=hit.match.explanation(),
                        details={
                            "levels": {a.field: [a.level, round(a.score, 3)] for a in hit.match.agreements}
                        },
                    )
                    for hit in hits
                ]
        return screened

    def _hits(self, identity: tuple, document: str) -> list[screening.Hit]:
        given, first, second, birth, _sex = identity
        person = matching.Person(
            names=(matching.Name.of(given, first, second),),
            birth_date=birth,
            documents=frozenset([document]) if document else frozenset(),
        )
        hits = self.screened.get(person)
        if hits is None:
            if len(self.screened) > 200_000:  # bounded memory on very large files
                self.screened.clear()
            hits = self.screened[person] = self.index.screen(person, self.threshold)
        return hits

    # --- writing ------------------------------------------------------------------------------------

    def _write(self, cursor, identities, documents, people, nationalities, crossings, screened) -> None:
        self._filter_documents(cursor)
        uses = Counter(d for d in documents if d)
        used = list(uses)
        if self.documents is None:
            seen_before, known = self._known_people(cursor, used)
        else:  # the look-up only for the documents the table may hold
            seen_before, known = self._known_people(
                cursor, [d for d, maybe in zip(used, self.documents.may_hold(used), strict=True) if maybe]
            )
            self.documents.add(used)
        self.repeated.update(d for d, n in uses.items() if n > 1 or d in seen_before)
        person_of_row: list[int] = []  # an existing person's id, or -(1 + position among the new)
        new_rows: list[int] = []
        same: dict[tuple, int] = {}
        for row, document in enumerate(documents):
            # Only a document seen before, or twice in this chunk, can be a person already recorded.
            if document and (uses[document] > 1 or document in seen_before):
                key = (document, _identity(*identities[row]))
                if key in known:
                    person_of_row.append(known[key])
                    continue
                if key in same:
                    person_of_row.append(same[key])
                    continue
                same[key] = -(1 + len(new_rows))
            person_of_row.append(-(1 + len(new_rows)))
            new_rows.append(row)
        person_ids = self._reserve_ids(cursor, PersonRecord, len(new_rows))
        crossing_ids = self._reserve_ids(cursor, Crossing, len(crossings))
        for row, alerts in screened.items():
            for alert in alerts:
                alert.crossing_id = crossing_ids[row]
            self.alerts.extend(alerts)
        if new_rows:
            citizenships = self._citizenships
            rows = [
                people[row] + (key, citizenships(nationalities[row]))
                for row, key in zip(new_rows, person_ids, strict=True)
            ]
            self._insert(cursor, PersonRecord, self.people_sql, rows, key_at=-2)
        people_of_rows = [person if person > 0 else person_ids[-person - 1] for person in person_of_row]
        rows = [  # a tuple joined to a tuple: one allocation, a third of the cost of unpacking
            crossing + (key, person, "secondary" if row in screened else "clear")  # noqa: RUF005
            for row, (crossing, key, person) in enumerate(
                zip(crossings, crossing_ids, people_of_rows, strict=True)
            )
        ]
        self._insert(cursor, Crossing, self.crossings_sql, rows, key_at=-3)

    def _citizenships(self, nationality: str):
        prepared = self.citizenships.get(nationality)
        if prepared is None:
            field = PersonRecord._meta.get_field("citizenships")
            prepared = field.get_db_prep_save([nationality] if nationality else [], connection)
            self.citizenships[nationality] = prepared
        return prepared

    def _insert(self, cursor, model, sql: str, params: list[tuple], *, key_at: int) -> None:
        """Insert the rows; the rows skipped because their random reference was taken are written
        again with new references (a row's reference is its first value, its key at ``key_at``)."""
        table = self.ops.quote_name(model._meta.db_table)
        while True:
            cursor.executemany(sql, params)
            if cursor.rowcount == len(params):
                return
            written: set[int] = set()
            for part in _chunks([row[key_at] for row in params]):
                marks = ", ".join([self.mark] * len(part))
                cursor.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", part)  # noqa: S608
                written.update(key for (key,) in cursor.fetchall())
            skipped = [row for row in params if row[key_at] not in written]
            if not skipped:
                return
            fresh = references(skipped[0][0][:2], len(skipped), _REFERENCE_LETTERS)
            params = [(new, *row[1:]) for row, new in zip(skipped, fresh, strict=True)]

    def _reserve_ids(self, cursor, model, count: int) -> list[int]:
        """``count`` fresh primary keys for ``model``, taken before the rows are written in bulk."""
        if not count:
            return []
        table = model._meta.db_table
        if self.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction is IMMEDIATE (settings), so no other writer can take these keys.
        # AUTOINCREMENT never gives a key twice, even a deleted row's: start above the highest given.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {self.ops.quote_name(table)}), 0), "  # noqa: S608
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))",
            [table],
        )
        top = cursor.fetchone()[0]
        return list(range(top + 1, top + 1 + count))

    def _known_people(self, cursor, documents: list[str]) -> tuple[set[str], dict[tuple, int]]:
        """The documents already in the database (whoever recorded them), and (document, identity) ->
        person id for the people of this institution who crossed with them."""
        if not documents:
            return set(), {}
        pairs: dict[int, set[str]] = {}
        seen: set[str] = set()
        crossings = self.ops.quote_name(Crossing._meta.db_table)
        for part in _chunks(documents):
            marks = ", ".join([self.mark] * len(part))
            # By the document index alone: with the institution in the WHERE clause, SQLite may
            # walk the institution's index (every row of the table) instead, once per chunk.
            cursor.execute(
                f"SELECT DISTINCT document_index, person_id, institution_id FROM {crossings} "  # noqa: S608
                f"WHERE document_index IN ({marks})",
                part,
            )
            for document, person_id, institution_id in cursor.fetchall():
                seen.add(document)
                if institution_id == self.institution_id:
                    pairs.setdefault(person_id, set()).add(document)
        # A traveller crossing often is decrypted once (four Fernet tokens: 60 µs), not every time.
        if len(self.people) > PEOPLE_HELD:  # bounded memory on very large files
            self.people.clear()
        unknown = sorted(person_id for person_id in pairs if person_id not in self.people)
        people = self.ops.quote_name(PersonRecord._meta.db_table)
        for part in _chunks(unknown):
            marks = ", ".join([self.mark] * len(part))
            cursor.execute(
                f"SELECT id, given_names, surname1, surname2, birth_date, sex FROM {people} "  # noqa: S608
                f"WHERE id IN ({marks})",
                part,
            )
            for person_id, given, first, second, birth, sex in cursor.fetchall():
                self.people[person_id] = _identity(
                    _decrypted(given),
                    _decrypted(first),
                    _decrypted(second),
                    datetime.date.fromisoformat(crypto.decrypt(birth)) if birth else None,
                    sex,
                )
        known: dict[tuple, int] = {}
        for person_id, documents_used in pairs.items():
            identity = self.people.get(person_id)
            if identity is not None:  # None: a person record deleted meanwhile
                for document in documents_used:
                    known[(document, identity)] = person_id
        return seen, known

    # --- indexes (SQLite) ---------------------------------------------------------------------------

    def _drops_indexes(self, rows: int) -> bool:
        """Whether to drop the secondary indexes before writing these rows: on SQLite, once, when the
        import becomes at least as large as the table was and DROP_INDEXES_AT rows."""
        if self.vendor != "sqlite" or self.dropped:
            return False
        loaded = self.written + rows
        return loaded >= DROP_INDEXES_AT and loaded >= self.table_rows

    def _drop_indexes(self, cursor) -> None:
        """Drop the secondary indexes of crossings and person records, keeping the unique ones and the
        one of documents (the look-up of people already recorded needs it); ``finish`` creates them."""
        tables = [Crossing._meta.db_table, PersonRecord._meta.db_table]
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN (?, ?) ORDER BY name",
            tables,
        )
        for name, sql in cursor.fetchall():
            cursor.execute("SELECT name FROM pragma_index_info(?)", [name])
            columns = {column for (column,) in cursor.fetchall()}
            if sql.lstrip().upper().startswith("CREATE UNIQUE") or "document_index" in columns:
                continue
            cursor.execute(f"DROP INDEX {self.ops.quote_name(name)}")
            self.dropped.append(sql)


class _DocumentFilter:
    """A Bloom filter of documents' keyed hashes: says for sure that a document is not among those
    added (and wrongly that it may be, for under 1% of the documents, when three million were added).

    4 MB of bits; each document sets four, from its string hash (Kirsch and Mitzenmacher's two-hash
    scheme). It spares the importer a look-up in the index of documents for every row it writes.
    """

    BITS = 1 << 25
    HASHES = 4

    def __init__(self):
        self.bits = np.zeros(self.BITS // 8, dtype=np.uint8)

    def _positions(self, documents: list[str]) -> np.ndarray:
        hashes = np.fromiter(map(hash, documents), dtype=np.int64, count=len(documents)).view(np.uint64)
        first, second = hashes & 0xFFFFFFFF, (hashes >> np.uint64(32)) | np.uint64(1)
        steps = np.arange(self.HASHES, dtype=np.uint64)
        return ((first[:, None] + steps[None, :] * second[:, None]) % np.uint64(self.BITS)).astype(np.int64)

    def add(self, documents: list[str]) -> None:
        if documents:
            positions = self._positions(documents).ravel()
            np.bitwise_or.at(self.bits, positions >> 3, (1 << (positions & 7)).astype(np.uint8))

    def may_hold(self, documents: list[str]) -> list[bool]:
        if not documents:
            return []
        positions = self._positions(documents)
        return (((self.bits[positions >> 3] >> (positions & 7)) & 1).all(axis=1)).tolist()


def _decrypted(token: str | None) -> str:
    return crypto.decrypt(token) if token else ""


_REFERENCE_LETTERS = bytes(ord(_ALPHABET[i % len(_ALPHABET)]) for i in range(256))
assert 256 % len(_ALPHABET) == 0  # every letter equally likely
