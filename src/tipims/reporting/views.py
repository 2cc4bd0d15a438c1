import datetime

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.core.writes import messages_by_field
from tipims.reporting import content, selectors, services
from tipims.reporting.forms import NarrativeForm, PopulationFigureForm, ReportRequestForm
from tipims.reporting.models import BuildStatus, ReportFormat
from tipims.reporting.render import table_csv

CONTENT_TYPES = {
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _add_errors(form, error: ValidationError) -> None:
    for name, messages_ in messages_by_field(error).items():
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


@login_required
def index(request):
    """Ask for a report: the period (April to March by default), the format, the version."""
    _require(selectors.may_use_reports(request.user))
    internal_allowed = services.may_build(request.user, public=False)
    start, end = content.default_period()
    form = ReportRequestForm(
        request.POST or None,
        initial={"start": start, "end": end},
        internal_allowed=internal_allowed,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            build = services.report_build_request(
                actor=request.user,
                start=data["start"],
                end=data["end"],
                fmt=data["format"],
                public=data.get("public", True) if internal_allowed else True,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            links = {
                "csv_base": reverse("reporting:build", args=[build.pk]) + "tables/",
                "narrative_edit_url": reverse(
                    "reporting:narratives", args=[build.start.isoformat(), build.end.isoformat()]
                )
                if not build.public
                else "",
            }
            services.start_in_background(build, **links)
            return redirect("reporting:build", pk=build.pk)
    context = {
        "section": "reporting",
        "form": form,
        "builds": selectors.builds_for_user(request.user),
        "internal_allowed": internal_allowed,
        "population_allowed": policy.has_capability(request.user, Capability.EDIT_POPULATION),
    }
    return render(request, "reporting/index.html", context, status=400 if form.errors else 200)


@login_required
def build(request, pk: int):
    """One build: its progress bar while it runs (polled by reporting/build.js), then the report."""
    report_build = selectors.build_for_user(request.user, pk)
    return render(request, "reporting/build.html", {"section": "reporting", "build": report_build})


@login_required
def build_status(request, pk: int):
    report_build = selectors.build_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": report_build.status,
            "progress": report_build.progress,
            "step": report_build.step,
            "error": report_build.error,
            "done": report_build.status == BuildStatus.DONE,
            "finished": report_build.status in (BuildStatus.DONE, BuildStatus.FAILED),
        }
    )


def _file_response(report_build) -> HttpResponse:
    response = HttpResponse(bytes(report_build.content), content_type=CONTENT_TYPES[report_build.format])
    response["Content-Disposition"] = f'attachment; filename="{report_build.filename}"'
    return response


@reauthentication_required
def _internal_file(request, report_build):
    return _file_response(report_build)


@login_required
def build_file(request, pk: int):
    """The file. The internal version carries exact small counts: an export that needs a recent
    re-authentication (after the 404 check)."""
    report_build = selectors.build_for_user(request.user, pk, with_content=True)
    _require(report_build.status == BuildStatus.DONE and report_build.content is not None)
    if not report_build.public:
        return _internal_file(request, report_build)
    return _file_response(report_build)


@login_required
def build_table(request, pk: int, key: str):
    """One table of the report as CSV, exactly as the report publishes it."""
    report_build = selectors.build_for_user(request.user, pk)
    table = (report_build.tables or {}).get(key)
    _require(report_build.status == BuildStatus.DONE and table is not None)
    response = HttpResponse(table_csv(table["rows"]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-{report_build.start:%Y%m%d}.csv"'
    return response


def _period(start: str, end: str) -> tuple[datetime.date, datetime.date]:
    try:
        return datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    except ValueError:
        raise Http404 from None


@login_required
def narratives(request, start: str, end: str):
    """The sections of one period's report, each with its narrative: stored or the generated draft."""
    _require(policy.has_capability(request.user, Capability.INTERNAL_REPORT))
    first, last = _period(start, end)
    stored = {section: selectors.narrative_for(first, last, section) for section in services.SECTIONS}
    context = {"section": "reporting", "start": first, "end": last, "stored": stored}
    return render(request, "reporting/narratives.html", context)


@login_required
def narrative_edit(request, start: str, end: str, key: str):
    """Edit one section's narrative; the report keeps it on every regeneration."""
    _require(policy.has_capability(request.user, Capability.INTERNAL_REPORT) and key in services.SECTIONS)
    first, last = _period(start, end)
    stored = selectors.narrative_for(first, last, key)
    form = NarrativeForm(request.POST or None, initial={"text": stored.text if stored else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.narrative_save(
                actor=request.user, start=first, end=last, section=key, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Narrative kept. Build the report again to see it in place."))
            return redirect("reporting:index")
    context = {
        "section": "reporting",
        "form": form,
        "start": first,
        "end": last,
        "key": key,
        "stored": stored,
    }
    return render(request, "reporting/narrative_edit.html", context, status=400 if form.errors else 200)


@login_required
def population(request):
    """The population figures behind SDG 16.2.2, editable by the coordinator and administrators."""
    _require(policy.has_capability(request.user, Capability.EDIT_POPULATION))
    form = PopulationFigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.population_figure_set(actor=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Population figure kept."))
            return redirect("reporting:population")
    context = {"section": "reporting", "form": form, "figures": selectors.population_figures()}
    return render(request, "reporting/population.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def build_again(request, pk: int):
    """Build the same report again (after editing a narrative)."""
    previous = selectors.build_for_user(request.user, pk)
    try:
        again = services.report_build_request(
            actor=request.user,
            start=previous.start,
            end=previous.end,
            fmt=previous.format,
            public=previous.public,
        )
    except ValidationError:
        raise Http404 from None
    links = {
        "csv_base": reverse("reporting:build", args=[again.pk]) + "tables/",
        "narrative_edit_url": ""
        if again.public
        else reverse("reporting:narratives", args=[again.start.isoformat(), again.end.isoformat()]),
    }
    services.start_in_background(again, **links)
    return redirect("reporting:build", pk=again.pk)
