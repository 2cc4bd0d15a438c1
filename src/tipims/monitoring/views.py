from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.policy import FieldGroup
from tipims.border.forms import PeriodForm
from tipims.core import countries
from tipims.core.models import Department
from tipims.core.writes import messages_by_field
from tipims.monitoring import selectors, services
from tipims.monitoring.models import Establishment, MonitoringVisit, Operation, SurveyReport
from tipims.monitoring.statistics import monitoring_statistics
from tipims.web import charts


def _errors_to_form(form, error: ValidationError) -> None:
    for field, field_messages in messages_by_field(error).items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _page(request, queryset):
    return Paginator(queryset, 25).get_page(request.GET.get("page"))


def _nationality_label(code: str) -> str:
    return _("undetermined") if code == "unknown" else countries.name(code)


@login_required
def dashboard(request):
    user = request.user
    if not selectors.can_see_monitoring(user):
        raise Http404
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    figures = monitoring_statistics(start, end)
    visits = MonitoringVisit.objects.filter(visited_on__range=(start, end))
    by_department = selectors.visit_totals_by_department(visits)
    names = dict(Department.objects.values_list("code", "name"))
    reports = []
    for report in selectors.survey_reports_for_user(user)[:5]:
        reports.append((report, selectors.report_reconciliations(report)))
    context = {
        "section": "monitoring",
        "period": period,
        "start": start,
        "end": end,
        "figures": figures,
        "map": charts.department_map(by_department),
        "department_chart": charts.bar_chart(
            sorted(((names[code], n) for code, n in by_department.items()), key=lambda row: -row[1])
        ),
        "nationality_chart": charts.bar_chart(
            [
                (_nationality_label(code), n)
                for code, n in selectors.visit_totals_by_nationality(visits).items()
            ]
        ),
        "reports": reports,
    }
    return render(request, "monitoring/dashboard.html", context)


@login_required
def establishment_list(request):
    user = request.user
    if not policy.can_list(user, Establishment):
        raise Http404
    page = _page(request, selectors.establishments_for_user(user))
    return render(
        request,
        "monitoring/establishment_list.html",
        {"section": "monitoring", "page": page, "can_create": policy.can_create(user, Establishment)},
    )


@login_required
def establishment_create(request):
    from tipims.monitoring.forms import EstablishmentForm

    user = request.user
    if not policy.can_create(user, Establishment):
        raise Http404
    with_people = policy.can_create(user, Establishment, FieldGroup.IDENTITY)
    form = EstablishmentForm(request.POST or None, with_people=with_people)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for role in ("owner", "manager"):
            reference = data.pop(role, "")
            if reference:
                data[role] = selectors.own_person(user, reference)
                if data[role] is None:
                    form.add_error(role, _("No person record of your institution has this reference."))
        if not form.errors:
            try:
                establishment = services.establishment_create(actor=user, **data)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("monitoring:establishment", pk=establishment.pk)
    return render(
        request,
        "monitoring/form.html",
        {"section": "monitoring", "form": form, "title": _("Record an establishment")},
    )


@login_required
def visit_list(request):
    user = request.user
    if not policy.can_list(user, MonitoringVisit):
        raise Http404
    page = _page(request, selectors.visits_for_user(user))
    return render(
        request,
        "monitoring/visit_list.html",
        {"section": "monitoring", "page": page, "can_create": policy.can_create(user, MonitoringVisit)},
    )


@login_required
def visit_create(request):
    from tipims.monitoring.forms import VisitForm

    user = request.user
    if not policy.can_create(user, MonitoringVisit):
        raise Http404
    establishments = list(selectors.establishments_for_user(user)[:2000])
    form = VisitForm(request.POST or None, establishments=establishments)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["establishment"] = Establishment(pk=data["establishment"])
        try:
            visit = services.monitoring_visit_create(actor=user, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("monitoring:visit", pk=visit.pk)
    return render(
        request, "monitoring/form.html", {"section": "monitoring", "form": form, "title": _("Record a visit")}
    )


@login_required
def operation_list(request):
    user = request.user
    if not policy.can_list(user, Operation):
        raise Http404
    page = _page(request, selectors.operations_for_user(user))
    return render(
        request,
        "monitoring/operation_list.html",
        {"section": "monitoring", "page": page, "can_create": policy.can_create(user, Operation)},
    )


@login_required
def operation_create(request):
    from tipims.monitoring.forms import OperationForm

    user = request.user
    if not policy.can_create(user, Operation):
        raise Http404
    establishments = list(selectors.establishments_for_user(user)[:2000])
    with_people = policy.can_create(user, Operation, FieldGroup.IDENTITY)
    form = OperationForm(request.POST or None, establishments=establishments, with_people=with_people)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["establishments"] = [e for e in establishments if e.pk in set(data["establishments"])]
        try:
            operation = services.operation_create(actor=user, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("monitoring:operation", pk=operation.pk)
    return render(
        request,
        "monitoring/form.html",
        {"section": "monitoring", "form": form, "title": _("Record an operation")},
    )


@login_required
def establishment_detail(request, pk: int):
    user = request.user
    establishment = selectors.get_establishment_for_user(user, pk)
    sees_people = selectors.sees_people(user, establishment)
    context = {
        "section": "monitoring",
        "establishment": establishment,
        "sees_people": sees_people,
        "owner": establishment.owner.reference if sees_people and establishment.owner_id else "",
        "manager": establishment.manager.reference if sees_people and establishment.manager_id else "",
        "visits": selectors.visits_for_user(user).filter(establishment=establishment)[:50],
        "operations": selectors.operations_for_user(user).filter(establishments=establishment)[:50],
    }
    return render(request, "monitoring/establishment_detail.html", context)


@login_required
def visit_detail(request, pk: int):
    visit = selectors.get_visit_for_user(request.user, pk)
    breakdown = [(_nationality_label(code), n) for code, n in sorted(visit.minors_by_nationality.items())]
    context = {"section": "monitoring", "visit": visit, "breakdown": breakdown}
    return render(request, "monitoring/visit_detail.html", context)


@login_required
def operation_detail(request, pk: int):
    user = request.user
    operation = selectors.get_operation_for_user(user, pk)
    sees_people = selectors.sees_people(user, operation)
    victims, defendants = selectors.operation_people(operation) if sees_people else ([], [])
    establishments = selectors.establishments_for_user(user).filter(operations=operation)
    context = {
        "section": "monitoring",
        "operation": operation,
        "establishments": establishments,
        "sees_people": sees_people,
        "victims": victims,
        "defendants": defendants,
    }
    return render(request, "monitoring/operation_detail.html", context)


@login_required
def survey_list(request):
    user = request.user
    if not policy.can_list(user, SurveyReport):
        raise Http404
    page = _page(request, selectors.survey_reports_for_user(user))
    return render(
        request,
        "monitoring/survey_list.html",
        {"section": "monitoring", "page": page, "can_create": policy.can_create(user, SurveyReport)},
    )


@login_required
def survey_create(request):
    from tipims.monitoring.forms import SurveyReportForm

    user = request.user
    if not policy.can_create(user, SurveyReport):
        raise Http404
    form = SurveyReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.survey_report_create(actor=user, values=form.values())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("monitoring:survey", pk=report.pk)
    return render(
        request,
        "monitoring/form.html",
        {"section": "monitoring", "form": form, "title": _("Record a published survey")},
    )


@login_required
def survey_detail(request, pk: int):
    report = selectors.get_survey_report_for_user(request.user, pk)
    names = dict(Department.objects.values_list("name", "code"))
    by_department = {names[name]: n for name, n in report.by_department.items() if name in names}
    context = {
        "section": "monitoring",
        "report": report,
        "checks": selectors.report_reconciliations(report),
        "map": charts.department_map(by_department),
        "nationalities": [(_nationality_label(c), n) for c, n in sorted(report.by_nationality.items())],
        "departments": sorted(report.by_department.items()),
    }
    return render(request, "monitoring/survey_detail.html", context)
