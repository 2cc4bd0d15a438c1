from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.policy import Action
from tipims.border import selectors, services
from tipims.border.forms import CrossingForm, DecisionForm, PeriodForm, ReceptionForm, WatchlistEntryForm
from tipims.border.models import Crossing, CrossingPoint, DeportationReception, WatchlistEntry
from tipims.border.statistics import border_statistics
from tipims.core import countries, vocabularies
from tipims.core.matching import explain
from tipims.core.writes import messages_by_field
from tipims.people import services as people_services
from tipims.people.models import PersonRecord
from tipims.people.services import DocumentInput
from tipims.web import charts


def _errors_to_form(form, error: ValidationError, aliases: dict | None = None) -> None:
    for field, field_messages in messages_by_field(error).items():
        field = (aliases or {}).get(field, field)
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _page(request, queryset):
    return Paginator(queryset, 25).get_page(request.GET.get("page"))


# --- dashboard -------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    if not selectors.can_see_border_figures(request.user):
        raise Http404
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    figures = border_statistics(start, end)
    crossings = Crossing.objects.filter(crossed_at__date__range=(start, end))
    by_point = {}
    by_department: dict[int, int] = {}
    for point in CrossingPoint.objects.all():
        by_point[point.pk] = (point.name, point.department_id)
    point_rows = []
    for row in crossings.values("point").annotate(n=Count("id")).order_by("-n"):
        name, department = by_point[row["point"]]
        point_rows.append((name, row["n"]))
        by_department[department] = by_department.get(department, 0) + row["n"]
    deportations = sorted(figures["deportations_received"].items(), key=lambda item: -item[1])
    context = {
        "section": "border",
        "period": period,
        "start": start,
        "end": end,
        "figures": figures,
        "points_chart": charts.bar_chart(point_rows),
        "deportations_chart": charts.bar_chart([(countries.name(code), n) for code, n in deportations]),
        "alerts_chart": charts.bar_chart(
            [(vocabularies.label("alert_kind", kind), n) for kind, n in figures["alerts_by_kind"].items()]
        ),
        "map": charts.department_map(by_department),
    }
    return render(request, "border/dashboard.html", context)


# --- crossings -------------------------------------------------------------------------------------


@login_required
def crossing_list(request):
    user = request.user
    if not (policy.can_list(user, Crossing) or policy.can_create(user, Crossing)):
        raise Http404
    page = _page(request, selectors.crossings_for_user(user))
    return render(
        request,
        "border/crossing_list.html",
        {"section": "border", "page": page, "can_create": policy.can_create(user, Crossing)},
    )


def _companions(user, form) -> list[services.CompanionInput]:
    companions = []
    for number in ("1", "2"):
        reference = (form.cleaned_data.get(f"companion{number}") or "").strip().upper()
        if not reference:
            continue
        adult = (
            policy.scoped(user, PersonRecord.objects.all(), action=Action.CREATE)
            .filter(reference=reference)
            .first()
        )
        if adult is None:
            raise ValidationError({f"companion{number}": _("No person recorded here has this reference.")})
        companions.append(
            services.CompanionInput(adult, form.cleaned_data.get(f"relation{number}") or "unknown")
        )
    return companions


@login_required
def crossing_create(request):
    user = request.user
    if not (policy.can_create(user, Crossing) and policy.can_create(user, PersonRecord)):
        raise Http404
    initial = {key: request.GET[key] for key in ("point", "direction") if key in request.GET}
    form = CrossingForm(request.POST or None, initial=initial or {"direction": "in"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                documents = []
                if data["document_number"]:
                    documents.append(DocumentInput(data["document_type"], data["document_number"], ""))
                person = people_services.person_record_create(
                    actor=user, values=form.person_values(), documents=documents
                )
                crossing = services.crossing_create(
                    actor=user,
                    person=person,
                    point=data["point"],
                    direction=data["direction"],
                    crossed_at=data["crossed_at"],
                    document_type=data["document_type"],
                    document_number=data["document_number"],
                    deported=data["deported"],
                    companions=_companions(user, form),
                )
        except ValidationError as error:
            _errors_to_form(form, error, {"number": "document_number", "companions": "companion1"})
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            crossing.refresh_from_db(fields=["inspection"])
            text = _("Crossing %(crossing)s recorded; person %(person)s. Outcome: %(outcome)s.") % {
                "crossing": crossing.reference,
                "person": person.reference,
                "outcome": vocabularies.label("inspection_outcome", crossing.inspection),
            }
            if crossing.inspection == "secondary":
                messages.warning(request, text)
            else:
                messages.success(request, text)
            query = urlencode({"point": data["point"], "direction": data["direction"]})
            return redirect(f"{reverse('border:crossing-create')}?{query}")
    return render(request, "border/crossing_form.html", {"section": "border", "form": form})


@login_required
def crossing_detail(request, reference: str):
    crossing = selectors.get_crossing_for_user(request.user, reference)
    return render(
        request,
        "border/crossing_detail.html",
        {
            "section": "border",
            "crossing": crossing,
            "companions": crossing.companions.select_related("adult"),
        },
    )


# --- deportation receptions ------------------------------------------------------------------------


@login_required
def reception_list(request):
    user = request.user
    if not (policy.can_list(user, DeportationReception) or policy.can_create(user, DeportationReception)):
        raise Http404
    page = _page(request, selectors.receptions_for_user(user))
    return render(
        request,
        "border/reception_list.html",
        {"section": "border", "page": page, "can_create": policy.can_create(user, DeportationReception)},
    )


@login_required
def reception_create(request):
    user = request.user
    if not policy.can_create(user, DeportationReception):
        raise Http404
    form = ReceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deportation_reception_create(actor=user, values=dict(form.cleaned_data))
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("border:receptions")
    return render(request, "border/reception_form.html", {"section": "border", "form": form})


# --- watchlist -------------------------------------------------------------------------------------


def _watchlist_user(user):
    if not policy.can_list(user, WatchlistEntry):
        raise Http404  # a border officer gets exactly what a missing page gives
    return user


@login_required
def watchlist_list(request):
    user = _watchlist_user(request.user)
    status = request.GET.get("status", "")
    if status not in vocabularies.codes("watchlist_status"):
        status = ""
    page = _page(request, selectors.watchlist_for_user(user, status=status))
    names = selectors.watchlist_names(user, list(page.object_list))
    rows = [(entry, names.get(entry.pk, entry.reference)) for entry in page.object_list]
    return render(
        request,
        "border/watchlist_list.html",
        {
            "section": "watchlist",
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": vocabularies.choices("watchlist_status"),
            "can_create": selectors.can_manage_watchlist(user),
        },
    )


@login_required
def watchlist_create(request):
    user = _watchlist_user(request.user)
    if not selectors.can_manage_watchlist(user):
        raise Http404
    form = WatchlistEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        documents = []
        if data["document_number"]:
            documents.append(DocumentInput(data["document_type"], data["document_number"]))
        try:
            entry = services.watchlist_entry_create(
                actor=user, values=form.entry_values(), documents=documents
            )
        except ValidationError as error:
            _errors_to_form(form, error, {"number": "document_number"})
        else:
            messages.success(request, _("Proposed. A second user must approve it before it screens anyone."))
            return redirect("border:watchlist-detail", reference=entry.reference)
    return render(request, "border/watchlist_form.html", {"section": "watchlist", "form": form})


@login_required
def watchlist_detail(request, reference: str):
    user = _watchlist_user(request.user)
    entry = selectors.get_watchlist_entry_for_user(user, reference)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.watchlist_entry_approve(actor=user, entry=entry)
            elif action in ("rejected", "withdrawn"):
                services.watchlist_entry_set_status(actor=user, entry=entry, status=action)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            for field_messages in messages_by_field(error).values():
                for message in field_messages:
                    messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
        return redirect("border:watchlist-detail", reference=entry.reference)
    return render(
        request,
        "border/watchlist_detail.html",
        {
            "section": "watchlist",
            "entry": entry,
            "identity": selectors.watchlist_identity(user, entry),
            "can_approve": entry.status == "pending" and entry.created_by_id != user.pk,
            "alerts": selectors.alerts_for_user(user).filter(entry=entry)[:20],
        },
    )


# --- alerts ----------------------------------------------------------------------------------------


@login_required
def alert_list(request):
    user = request.user
    if not policy.can_list(user, selectors.Alert):
        raise Http404
    status = request.GET.get("status", "open")
    if status not in vocabularies.codes("alert_status"):
        status = ""
    page = _page(request, selectors.alerts_for_user(user, status=status))
    return render(
        request,
        "border/alert_list.html",
        {
            "section": "alerts",
            "page": page,
            "status": status,
            "statuses": vocabularies.choices("alert_status"),
        },
    )


@login_required
def alert_detail(request, reference: str):
    user = request.user
    alert = selectors.get_alert_for_user(user, reference)
    form = DecisionForm(request.POST or None)
    can_decide = alert.status == "open" and policy.can(user, Action.CHANGE, alert)
    if request.method == "POST":
        if not can_decide:
            raise Http404
        if form.is_valid():
            try:
                services.alert_decide(
                    actor=user,
                    alert=alert,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _errors_to_form(form, error, {"decision_reason": "reason", "status": "decision"})
            else:
                messages.success(request, _("Saved."))
                return redirect("border:alert-detail", reference=alert.reference)
    levels = (alert.details or {}).get("levels", {})
    agreements = [(field, explain(level), score) for field, (level, score) in levels.items()]
    return render(
        request,
        "border/alert_detail.html",
        {
            "section": "alerts",
            "alert": alert,
            "form": form,
            "can_decide": can_decide,
            "agreements": agreements,
        },
    )
