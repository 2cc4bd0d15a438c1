"""The one way every import runs: a dry run with a row-level report, then all or nothing.

An importer is a function that receives parsed rows and writes each one through the owning app's
services (never by hand). ``run_import`` gives it one transaction; every row runs in a savepoint so a
bad row is reported (row number, field, message) and the next row is still checked; at the end the
transaction is rolled back when the run is a dry run or when any row failed, and committed otherwise.
Whatever happens, the import is recorded in the audit trail (field names and counts, never values).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record

MAX_REPORTED = 500  # errors listed in full; the rest are counted


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # the line of a CSV (header = 1), the row of a sheet, the position in a JSON list (from 1)
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        return _("%(sheet)s row %(row)s, field %(field)s: %(message)s") % self.as_dict()


@dataclass(frozen=True)
class Row:
    sheet: str
    number: int
    values: dict[str, Any]


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, sheet: str, row: int, field_name: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowError(sheet, row, field_name, str(message)))

    def count(self, what: str, number: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + number

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": dict(sorted(self.created.items())),
            "errors": [error.as_dict() for error in self.errors],
            "error_count": self.error_count,
            "applied": self.applied,
        }


class ImportTooLarge(ValueError):
    """A file over TIPIMS_IMPORT_MAX_BYTES or with more than TIPIMS_IMPORT_MAX_ROWS rows."""


def check_size(size: int) -> None:
    limit = settings.TIPIMS_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportTooLarge(
            _("The file has %(size)s bytes; the limit is %(limit)s (TIPIMS_IMPORT_MAX_BYTES).")
            % {"size": size, "limit": limit}
        )


def error_fields(error: ValidationError, columns: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(field, message) pairs of a service's ValidationError, named by the file's columns."""
    columns = columns or {}
    if hasattr(error, "error_dict"):
        return [
            (columns.get(name, name), str(message))
            for name, errors in error.error_dict.items()
            for item in errors
            for message in item.messages
        ]
    return [("__all__", str(message)) for message in error.messages]


class RowFailed(Exception):
    """Raised inside an importer to report one row's fault by field."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


class _Rollback(Exception):
    pass


RowHandler = Callable[[Row, "ImportContext"], None]


@dataclass
class ImportContext:
    """What an importer's row handlers share: the actor, the report and lookups built along the way."""

    actor: Any
    report: ImportReport
    keys: dict[tuple[str, str], Any] = field(default_factory=dict)  # (sheet, external id) -> object
    columns: dict[str, str] = field(default_factory=dict)  # model field -> the file's column name


# The command line (or any caller) may watch an import's progress without every importer passing a
# callback along: set it around the call with ``progress_reported_to``.
_progress: contextvars.ContextVar[Callable[[int, int], None] | None] = contextvars.ContextVar(
    "import_progress", default=None
)
PROGRESS_EVERY = 200


@contextlib.contextmanager
def progress_reported_to(callback: Callable[[int, int], None]):
    """Within the block, imports call ``callback(rows checked, rows in all)`` as they go."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


def run_import(
    *,
    actor: Any,
    kind: str,
    rows: Iterable[Row],
    handler: RowHandler,
    dry_run: bool,
    parse_errors: Iterable[RowError] = (),
    columns: dict[str, str] | None = None,
) -> ImportReport:
    """Validate and write every row in one transaction; keep it only when nothing failed and not dry."""
    report = ImportReport(kind=kind, dry_run=dry_run)
    for error in parse_errors:
        report.add_error(error.sheet, error.row, error.field, error.message)
    context = ImportContext(actor=actor, report=report, columns=dict(columns or {}))
    rows = list(rows)
    report.rows = len(rows)
    if report.rows > settings.TIPIMS_IMPORT_MAX_ROWS:
        over = rows[settings.TIPIMS_IMPORT_MAX_ROWS]
        report.add_error(
            over.sheet,
            over.number,
            "__all__",
            _("More than %(limit)s rows (TIPIMS_IMPORT_MAX_ROWS): split the file.")
            % {"limit": settings.TIPIMS_IMPORT_MAX_ROWS},
        )
        _audit(actor, report)
        return report
    try:
        with transaction.atomic():
            progress = _progress.get()
            for done, row in enumerate(rows, start=1):
                _apply(row, handler, context)
                if progress and (done % PROGRESS_EVERY == 0 or done == report.rows):
                    progress(done, report.rows)
            if dry_run or not report.ok:
                raise _Rollback
            _audit(actor, report, applied=True)
            report.applied = True
    except _Rollback:
        pass
    if not report.applied:
        _audit(actor, report)
    return report


def _apply(row: Row, handler: RowHandler, context: ImportContext) -> None:
    report = context.report
    try:
        with transaction.atomic():  # a savepoint: a failed row leaves no trace, the next is still checked
            handler(row, context)
    except RowFailed as failure:
        report.add_error(row.sheet, row.number, failure.field, failure.message)
    except ValidationError as error:
        for field_name, message in error_fields(error, context.columns):
            report.add_error(row.sheet, row.number, field_name, message)
    except PermissionDenied as error:
        report.add_error(row.sheet, row.number, "__all__", str(error) or _("You may not record this."))


def _audit(actor: Any, report: ImportReport, *, applied: bool = False) -> None:
    """The import in the audit trail: which kind, dry or applied, what was created, how many errors.

    An applied import is recorded inside its own transaction (each record also has its own create
    event); a dry run or a refused import is recorded after the rollback, so the trail shows attempts too.
    """
    outcome = "applied" if applied else ("dry_run" if report.dry_run else "refused")
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=f"exchange.import.{report.kind}",
        object_id=outcome,
        fields=[f"{name}:{number}" for name, number in report.created.items()]
        + [f"rows:{report.rows}", f"errors:{report.error_count}"],
    )
