from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.border.forms import PeriodForm
from tipims.core import countries
from tipims.core.models import Department
from tipims.core.writes import messages_by_field
from tipims.monitoring import selectors, services
from tipims.monitoring.models import Establishment, MonitoringVisit, Operation
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
    form = EstablishmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.establishment_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("monitoring:establishments")
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
            services.monitoring_visit_create(actor=user, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("monitoring:visits")
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
    form = OperationForm(request.POST or None, establishments=establishments)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["establishments"] = [e for e in establishments if e.pk in set(data["establishments"])]
        try:
            services.operation_create(actor=user, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("monitoring:operations")
    return render(
        request,
        "monitoring/form.html",
        {"section": "monitoring", "form": form, "title": _("Record an operation")},
    )
