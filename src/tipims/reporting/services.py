"""Every write of the reporting app: narratives, population figures, report builds.

The coordinator alone may make the internal report (exact figures) and edit narratives; the public,
disclosure-controlled report is also for analysts (accounts.policy capabilities)."""

from __future__ import annotations

import datetime
import logging
import threading
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.core.writes import field_error
from tipims.reporting import render
from tipims.reporting.content import ReportRefused, build_report, validate_period
from tipims.reporting.models import (
    NATIONAL,
    BuildStatus,
    PopulationFigure,
    ReportBuild,
    ReportFormat,
    ReportNarrative,
)

logger = logging.getLogger(__name__)
SECTIONS = ("overview", "prevention", "prosecution", "protection", "international")


def may_build(user, *, public: bool) -> bool:
    capability = Capability.VIEW_STATISTICS if public else Capability.INTERNAL_REPORT
    return policy.has_capability(user, capability)


# --- narratives ----------------------------------------------------------------------------------------


@transaction.atomic
def narrative_save(
    *, actor, start: datetime.date, end: datetime.date, section: str, text: str
) -> ReportNarrative:
    """Keep the coordinator's narrative of one section of one period's report."""
    if not policy.has_capability(actor, Capability.INTERNAL_REPORT):
        raise PermissionDenied
    validate_period(start, end)
    if section not in SECTIONS:
        raise field_error("section", _("There is no such section."), code="invalid_choice")
    text = (text or "").strip()
    if not text:
        raise field_error("text", _("Write the narrative, or leave the draft as it is."), code="required")
    narrative, created = ReportNarrative.objects.update_or_create(
        start=start, end=end, section=section, defaults={"text": text, "edited_by": actor}
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        target=narrative,
        fields=["text"],
    )
    return narrative


# --- population figures --------------------------------------------------------------------------------


@transaction.atomic
def population_figure_set(
    *,
    actor,
    year: int,
    value: int,
    source: str,
    area: str = NATIONAL,
    sex: str = "",
    age_group: str = "",
    illustrative: bool = False,
) -> PopulationFigure:
    """Record (or correct) one population figure; the cell is year × area × sex × age group."""
    if actor is not None and not policy.has_capability(actor, Capability.EDIT_POPULATION):
        raise PermissionDenied
    if not 1900 <= int(year) <= 2200:
        raise field_error("year", _("Give a year between 1900 and 2200."))
    if value is None or int(value) <= 0:
        raise field_error("value", _("A population is a whole number above zero."))
    area = (area or NATIONAL).strip()
    if area != NATIONAL and not (area.isdigit() and 1 <= int(area) <= 22):
        raise field_error("area", _("The area is 'national' or a department code from 1 to 22."))
    if not (source or "").strip():
        raise field_error("source", _("Say where the figure comes from."), code="required")
    figure, created = PopulationFigure.objects.update_or_create(
        year=year,
        area=area,
        sex=sex or "",
        age_group=age_group or "",
        defaults={"value": int(value), "source": source.strip(), "illustrative": illustrative},
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        target=figure,
        fields=["value", "source", "illustrative"],
    )
    return figure


# --- reports -------------------------------------------------------------------------------------------


def _audit_generation(actor, start, end, fmt: str, public: bool) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="reporting.report",
        object_id=f"{start.isoformat()}..{end.isoformat()}",
        fields=[f"format:{fmt}", "public" if public else "internal"],
    )


def report_write_file(
    *, actor, start: datetime.date, end: datetime.date, fmt: str, output: Path, public: bool
) -> Path:
    """Build the report and write it to ``output`` atomically (the command line's path)."""
    if fmt not in render.FORMATS:
        raise field_error("format", _("The format is html, pdf or docx."), code="invalid_choice")
    output = Path(output)
    if not output.parent.is_dir():
        raise field_error("output", _("The folder %(folder)s does not exist.") % {"folder": output.parent})
    report = build_report(start, end, public=public)
    render.write_atomically(output, lambda: render.render(report, fmt))
    _audit_generation(actor, start, end, fmt, public)
    return output


@transaction.atomic
def report_build_request(
    *, actor, start: datetime.date | None, end: datetime.date | None, fmt: str, public: bool
) -> ReportBuild:
    """Queue a build: validated now, so a bad period is refused before anything runs."""
    if not may_build(actor, public=public):
        raise PermissionDenied
    validate_period(start, end)
    if fmt not in ReportFormat.values:
        raise field_error("format", _("The format is html, pdf or docx."), code="invalid_choice")
    return ReportBuild.objects.create(
        requested_by=actor,
        start=start,
        end=end,
        format=fmt,
        public=public,
        language=translation.get_language() or "es",
    )


def _record(build: ReportBuild, **changes) -> None:
    # An UPDATE of its own, committed at once, so the status endpoint sees the progress.
    ReportBuild.objects.filter(pk=build.pk).update(**changes)
    for name, value in changes.items():
        setattr(build, name, value)


def run_build(build_id: int, *, csv_base: str = "", narrative_edit_url: str = "") -> ReportBuild:
    """Run one queued build to the end, recording its progress; a failure is recorded, not raised."""
    build = ReportBuild.objects.select_related("requested_by").get(pk=build_id)
    if build.status != BuildStatus.QUEUED:
        return build
    _record(build, status=BuildStatus.RUNNING, progress=1, step=_("Starting"))
    with translation.override(build.language):
        try:

            def progress(percent: int, step: str) -> None:
                _record(build, progress=percent, step=step, history=[*build.history, [percent, str(step)]])

            report = build_report(build.start, build.end, public=build.public, progress=progress)
            progress(85, _("Writing the %(format)s file") % {"format": build.format.upper()})
            content = render.render(report, build.format)
            with transaction.atomic():
                _record(
                    build,
                    status=BuildStatus.DONE,
                    progress=100,
                    step=_("Done"),
                    history=[*build.history, [100, _("Done")]],
                    content=content,
                    article=render.article(report, csv_base=csv_base, narrative_edit_url=narrative_edit_url),
                    tables={table.key: table.as_json() for table in report.tables},
                    finished_at=timezone.now(),
                )
                _audit_generation(build.requested_by, build.start, build.end, build.format, build.public)
        except ReportRefused as refusal:
            _record(
                build,
                status=BuildStatus.FAILED,
                step=_("Refused"),
                error=" ".join(refusal.messages),
                finished_at=timezone.now(),
            )
        except Exception as error:  # recorded for the user; the log keeps the traceback
            logger.exception("report build %s failed", build.pk)
            _record(
                build,
                status=BuildStatus.FAILED,
                step=_("Failed"),
                error=_("The report could not be built: %(error)s") % {"error": error},
                finished_at=timezone.now(),
            )
    return build


def start_in_background(build: ReportBuild, **links) -> None:
    """Run the build in a worker thread once the request's transaction commits.

    TIPIMS is deployed as one process (DESIGN: no broker to run); a thread is the simplest honest
    runner there. Trade-off: a build in progress dies with the process (it stays "running"; the
    user asks again), and several processes would each run their own builds."""

    def work() -> None:
        try:
            run_build(build.pk, **links)
        finally:
            close_old_connections()

    transaction.on_commit(
        lambda: threading.Thread(target=work, name=f"report-{build.pk}", daemon=True).start()
    )


def stale_builds_fail(older_than: datetime.timedelta = datetime.timedelta(hours=2)) -> int:
    """Builds left running by a process that ended are marked failed, so nobody waits for them."""
    limit = timezone.now() - older_than
    return ReportBuild.objects.filter(
        status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING], created_at__lt=limit
    ).update(status=BuildStatus.FAILED, error=_("The build stopped with the server; ask for it again."))
