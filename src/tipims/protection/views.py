"""Pages of the protection module: plain function views over the selectors and services.

Actions (open a case, place, refer, record a step...) are small POST-only views that redirect back to
the page they came from, with the service's message when it refuses.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tipims.accounts import policy
from tipims.accounts.policy import Action, Capability
from tipims.core import vocabularies
from tipims.core.writes import messages_by_field
from tipims.people import services as people_services
from tipims.people.selectors import get_person_record_for_user
from tipims.protection import charts, forms, selectors, services
from tipims.protection.access import may_flag
from tipims.protection.models import (
    Consent,
    Placement,
    ProtectionCase,
    Referral,
    ReturnStep,
    Shelter,
    SuspectMarker,
    Victim,
    WitnessMeasure,
)
from tipims.protection.statistics import protection_figures


def _error_text(error: ValidationError) -> str:
    parts = []
    for field, field_messages in messages_by_field(error).items():
        prefix = "" if field == "__all__" else f"{field}: "
        parts.extend(prefix + message for message in field_messages)
    return " ".join(parts)


def _form_errors(form) -> str:
    return " ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())


def _act(request, form, call: Callable[[], object], success: str) -> None:
    """Run a service from a POSTed form; put its refusal (naming the field) in the messages."""
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return
    try:
        call()
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not record this."))
    else:
        messages.success(request, success)


def _add_service_errors(form, error: ValidationError) -> None:
    for field, field_messages in messages_by_field(error).items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message if target else f"{field}: {message}")


class QuickPage:
    """A page of a list without counting the whole list first.

    Counting every victim an institution may see means checking the sharing rule on every row of the
    country; a page needs only its own rows and one more to know whether a next page exists.
    """

    size = 25

    def __init__(self, queryset, number: str | None):
        try:
            self.number = max(1, int(number or 1))
        except ValueError:
            self.number = 1
        start = (self.number - 1) * self.size
        rows = list(queryset[start : start + self.size + 1])
        self.object_list = rows[: self.size]
        self.has_next = len(rows) > self.size
        self.has_previous = self.number > 1
        self.next_page_number = self.number + 1
        self.previous_page_number = self.number - 1


# --- victims -------------------------------------------------------------------------------------------


@login_required
def victim_list(request):
    user = request.user
    if not policy.can_list(user, Victim):
        raise Http404
    form = forms.VictimFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    victims = selectors.victims_for_user(user, **filters).prefetch_related("person__documents")
    page = QuickPage(victims, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "protection/victim_list.html",
        {
            "section": "protection",
            "form": form,
            "page": page,
            "rows": selectors.victim_rows(user, list(page.object_list)),
            "query": query.urlencode(),
            "can_create": policy.can_create(user, Victim),
        },
    )


@login_required
def victim_create(request):
    user = request.user
    if not policy.can_create(user, Victim):
        raise Http404
    person_form = forms.IdentifyPersonForm(request.POST or None, user=user, prefix="person")
    victim_form = forms.VictimContextForm(
        request.POST or None, prefix="victim", initial={"identified_on": timezone.localdate()}
    )
    if request.method == "POST" and person_form.is_valid() and victim_form.is_valid():
        documents = []
        if person_form.cleaned_data.get("document_number"):
            documents.append(
                people_services.DocumentInput(
                    document_type=person_form.cleaned_data["document_type"],
                    number=person_form.cleaned_data["document_number"],
                    issuing_country=person_form.cleaned_data.get("issuing_country") or "",
                )
            )
        try:
            victim = services.victim_identify_person(
                actor=user,
                person_values=person_form.person_values(),
                documents=documents,
                values=victim_form.values(),
            )
        except ValidationError as error:
            target = victim_form if set(messages_by_field(error)) & set(victim_form.fields) else person_form
            _add_service_errors(target, error)
        except PermissionDenied as error:
            victim_form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Victim identified: %(reference)s.") % {"reference": victim.reference}
            )
            return redirect("protection:victim", reference=victim.reference)
    return render(
        request,
        "protection/victim_form.html",
        {"section": "protection", "person_form": person_form, "victim_form": victim_form},
    )


@login_required
def victim_detail(request, reference: str):
    user = request.user
    victim = selectors.get_victim_for_user(user, reference)
    page = selectors.victim_page(user, victim)
    writer = page.can_change or policy.can_create(user, ProtectionCase)
    return render(
        request,
        "protection/victim_detail.html",
        {
            "section": "protection",
            "page": page,
            "victim": victim,
            "writer": writer,
            "case_form": forms.CaseOpenForm(user=user, initial={"opened_on": timezone.localdate()}),
            "placement_form": forms.PlacementForm(
                shelters=selectors.shelters_for_user(user), initial={"start": timezone.localdate()}
            ),
            "consent_form": forms.ConsentForm(initial={"given_on": timezone.localdate()}),
            "referral_form": forms.ReferralForm(),
            "return_form": forms.ReturnForm(initial={"origin_country": victim.nationality}),
            "witness_form": forms.WitnessMeasureForm(initial={"requested_on": timezone.localdate()}),
            # One decision form per pending measure, with ids of its own (several can be on the page).
            "witness_rows": [
                (
                    measure,
                    forms.WitnessDecisionForm(
                        auto_id=f"id_decision{measure.pk}_%s", initial={"decided_on": timezone.localdate()}
                    )
                    if measure.status == "requested"
                    else None,
                )
                for measure in page.witness_measures
            ],
            "status_form": forms.VictimStatusForm(initial={"trafficking_status": victim.trafficking_status}),
        },
    )


@login_required
@require_POST
def victim_status(request, reference: str):
    user = request.user
    victim = selectors.get_victim_for_user(user, reference, action=Action.CHANGE)
    status = request.POST.get("trafficking_status", "")
    decided = request.POST.get("status_decided_by", "")
    form = forms.VictimFilterForm({"status": status})
    _act(
        request,
        form,
        lambda: services.victim_update(
            actor=user, victim=victim, changes={"trafficking_status": status, "status_decided_by": decided}
        ),
        _("Saved."),
    )
    return redirect("protection:victim", reference=victim.reference)


# --- flags ---------------------------------------------------------------------------------------------


@login_required
def flag(request):
    user = request.user
    if not may_flag(user):
        raise Http404
    form = forms.FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.victim_flag(
                actor=user,
                person_values=form.person_values(),
                observations=form.cleaned_data.get("observations") or "",
                exploitation_types=form.cleaned_data.get("exploitation_types") or [],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("protection:receipt", reference=referral.reference)
    return render(request, "protection/flag.html", {"section": "protection-flag", "form": form})


@login_required
def receipt(request, reference: str):
    """What the flagging officer keeps: the referral, never the identity of the person."""
    referral = selectors.get_referral_for_user(request.user, reference)
    return render(request, "protection/receipt.html", {"section": "protection-flag", "referral": referral})


# --- cases --------------------------------------------------------------------------------------------


@login_required
def case_list(request):
    user = request.user
    if not policy.can_list(user, ProtectionCase):
        raise Http404
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1"
    cases = selectors.cases_for_user(user, status=status if status in _STATUSES() else "", mine=mine)
    page = QuickPage(cases, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "protection/case_list.html",
        {
            "section": "protection",
            "page": page,
            "status": status,
            "mine": mine,
            "query": query.urlencode(),
        },
    )


def _STATUSES() -> set[str]:
    return vocabularies.codes("cas_Status")


@login_required
def case_detail(request, reference: str):
    user = request.user
    case = selectors.get_case_for_user(user, reference)
    return render(
        request,
        "protection/case_detail.html",
        {
            "section": "protection",
            "case": case,
            "notes": selectors.case_notes(user, case),
            "can_change": policy.can(user, Action.CHANGE, case),
            "status_form": forms.CaseStatusForm(initial={"status": case.status}),
            "plan_form": forms.SupportPlanForm(),
            "plan_end_form": forms.PlanEndForm(initial={"actual_end": timezone.localdate()}),
            "assessment_form": forms.AssessmentForm(initial={"assessed_on": timezone.localdate()}),
            "service_form": forms.ServiceForm(initial={"delivered_on": timezone.localdate()}),
            "note_form": forms.NoteForm(),
        },
    )


@login_required
@require_POST
def case_open(request, reference: str):
    user = request.user
    victim = selectors.get_victim_for_user(user, reference)
    form = forms.CaseOpenForm(request.POST, user=user)
    result = {}

    def call():
        result["case"] = services.protection_case_open(
            actor=user,
            victim=victim,
            opened_on=form.cleaned_data["opened_on"],
            caseworker=form.cleaned_data.get("caseworker"),
        )

    _act(request, form, call, _("Case opened."))
    if "case" in result:
        return redirect("protection:case", reference=result["case"].reference)
    return redirect("protection:victim", reference=victim.reference)


def _case_action(request, reference: str, form_class, call, success: str):
    user = request.user
    case = selectors.get_case_for_user(user, reference, action=Action.CHANGE)
    form = form_class(request.POST)
    _act(request, form, lambda: call(user, case, form.cleaned_data), success)
    return redirect("protection:case", reference=case.reference)


@login_required
@require_POST
def case_status(request, reference: str):
    return _case_action(
        request,
        reference,
        forms.CaseStatusForm,
        lambda user, case, data: services.protection_case_set_status(
            actor=user, case=case, status=data["status"], closure_reason=data.get("closure_reason") or ""
        ),
        _("Saved."),
    )


@login_required
@require_POST
def plan_add(request, reference: str):
    return _case_action(
        request,
        reference,
        forms.SupportPlanForm,
        lambda user, case, data: services.support_plan_add(
            actor=user,
            case=case,
            plan_type=data["plan_type"],
            objectives=data.get("objectives") or "",
            action_plan=data.get("action_plan") or "",
            planned_end=data.get("planned_end"),
        ),
        _("Support plan added."),
    )


@login_required
@require_POST
def plan_end(request, reference: str, pk: int):
    user = request.user
    case = selectors.get_case_for_user(user, reference, action=Action.CHANGE)
    plan = case.plans.filter(pk=pk).first()
    if plan is None:
        raise Http404
    form = forms.PlanEndForm(request.POST)
    _act(
        request,
        form,
        lambda: services.support_plan_end(actor=user, plan=plan, actual_end=form.cleaned_data["actual_end"]),
        _("Saved."),
    )
    return redirect("protection:case", reference=case.reference)


@login_required
@require_POST
def assessment_add(request, reference: str):
    return _case_action(
        request,
        reference,
        forms.AssessmentForm,
        lambda user, case, data: services.assessment_record(
            actor=user,
            case=case,
            level=data["level"],
            assessed_on=data["assessed_on"],
            risk_level=data["risk_level"],
            factors=data.get("factors") or [],
            notes=data.get("notes") or "",
        ),
        _("Assessment recorded."),
    )


@login_required
@require_POST
def service_add(request, reference: str):
    return _case_action(
        request,
        reference,
        forms.ServiceForm,
        lambda user, case, data: services.service_deliver(
            actor=user,
            case=case,
            service_type=data["service_type"],
            delivered_on=data["delivered_on"],
            provider=data["provider"],
        ),
        _("Service recorded."),
    )


@login_required
@require_POST
def note_add(request, reference: str):
    return _case_action(
        request,
        reference,
        forms.NoteForm,
        lambda user, case, data: services.case_note_add(actor=user, case=case, text=data["text"]),
        _("Note added."),
    )


# --- shelters and placements ------------------------------------------------------------------------


@login_required
def shelter_list(request):
    user = request.user
    if not policy.can_list(user, Shelter):
        raise Http404
    form = forms.ShelterForm(request.POST or None)
    can_create = policy.can_create(user, Shelter)
    if request.method == "POST":
        if not can_create:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.shelter_create(
                    actor=user,
                    name=data["name"],
                    department=data.get("department") or "",
                    capacities={name: data[name] for name in services.CAPACITY_FIELDS},
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Shelter recorded."))
                return redirect("protection:shelters")
    rows = selectors.occupancy_for_user(user)
    totals = {
        "occupied": sum(row.occupied for row in rows),
        "capacity": sum(row.capacity for row in rows),
    }
    return render(
        request,
        "protection/shelter_list.html",
        {
            "section": "protection",
            "rows": rows,
            "totals": totals,
            "form": form,
            "can_create": can_create,
        },
    )


@login_required
@require_POST
def placement_create(request, reference: str):
    user = request.user
    victim = selectors.get_victim_for_user(user, reference)
    form = forms.PlacementForm(request.POST, shelters=selectors.shelters_for_user(user))

    def call():
        data = form.cleaned_data
        services.placement_create(
            actor=user,
            victim=victim,
            shelter=data["shelter"],
            court=data["court"],
            court_reference=data["court_reference"],
            court_order_date=data["court_order_date"],
            start=data["start"],
            emergency_reason=data.get("emergency_reason") or "",
        )

    _act(request, form, call, _("Placed in the shelter."))
    return redirect("protection:victim", reference=victim.reference)


@login_required
@require_POST
def placement_end(request, pk: int):
    user = request.user
    placement = policy.get_or_404(
        user, Placement.objects.select_related("victim"), action=Action.CHANGE, pk=pk
    )
    form = forms.PlacementEndForm(request.POST)
    _act(
        request,
        form,
        lambda: services.placement_end(actor=user, placement=placement, end=form.cleaned_data["end"]),
        _("Placement ended."),
    )
    return redirect("protection:victim", reference=placement.victim.reference)


# --- consent and referrals -----------------------------------------------------------------------------


@login_required
@require_POST
def consent_add(request, reference: str):
    user = request.user
    victim = selectors.get_victim_for_user(user, reference)
    form = forms.ConsentForm(request.POST)
    _act(
        request,
        form,
        lambda: services.consent_record(
            actor=user,
            victim=victim,
            purpose=form.cleaned_data["purpose"],
            given_on=form.cleaned_data["given_on"],
            shared_with=form.cleaned_data.get("shared_with"),
        ),
        _("Consent recorded."),
    )
    return redirect("protection:victim", reference=victim.reference)


@login_required
@require_POST
def consent_withdraw(request, pk: int):
    user = request.user
    consent = policy.get_or_404(user, Consent.objects.select_related("victim"), action=Action.CHANGE, pk=pk)
    try:
        services.consent_withdraw(actor=user, consent=consent)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Consent withdrawn: sharing based on it has stopped."))
    return redirect("protection:victim", reference=consent.victim.reference)


@login_required
@require_POST
def referral_create(request, reference: str):
    user = request.user
    victim = selectors.get_victim_for_user(user, reference)
    form = forms.ReferralForm(request.POST)

    def call():
        data = form.cleaned_data
        court_order = (data.get("court_order_reference") or "").strip()
        services.referral_create(
            actor=user,
            victim=victim,
            to_institution=data["to_institution"],
            reason=data["reason"],
            details=data.get("details") or "",
            legal_basis="court_order" if court_order else "",
            legal_basis_reference=court_order,
        )

    _act(request, form, call, _("Referral sent."))
    return redirect("protection:victim", reference=victim.reference)


@login_required
def referral_list(request):
    user = request.user
    if not policy.can_list(user, Referral):
        raise Http404
    incoming, outgoing = selectors.referrals_for_user(user)
    return render(
        request,
        "protection/referral_list.html",
        {"section": "protection", "incoming": incoming[:200], "outgoing": outgoing[:200]},
    )


@login_required
@require_POST
def referral_decide(request, reference: str):
    user = request.user
    referral = selectors.get_referral_for_user(user, reference, action=Action.CHANGE)
    form = forms.ReferralDecisionForm(request.POST)
    _act(
        request,
        form,
        lambda: services.referral_decide(
            actor=user, referral=referral, accept=form.cleaned_data["decision"] == "accept"
        ),
        _("Decision recorded."),
    )
    return redirect("protection:referrals")


# --- witness protection --------------------------------------------------------------------------------


@login_required
@require_POST
def witness_measure_add(request, reference: str):
    user = request.user
    victim = selectors.get_victim_for_user(user, reference)
    form = forms.WitnessMeasureForm(request.POST)

    def call():
        data = form.cleaned_data
        services.witness_measure_request(
            actor=user,
            victim=victim,
            criminal_case=services.criminal_case_by_reference(data["criminal_case"]),
            measure=data["measure"],
            requested_on=data["requested_on"],
            requested_from=data["requested_from"],
        )

    _act(request, form, call, _("Witness protection measure recorded."))
    return redirect("protection:victim", reference=victim.reference)


@login_required
@require_POST
def witness_measure_decide(request, pk: int):
    user = request.user
    measure = policy.get_or_404(
        user, WitnessMeasure.objects.select_related("victim"), action=Action.CHANGE, pk=pk
    )
    form = forms.WitnessDecisionForm(request.POST)

    def call():
        data = form.cleaned_data
        services.witness_measure_decide(
            actor=user,
            witness_measure=measure,
            granted=data["decision"] == "granted",
            decided_on=data["decided_on"],
            deciding_authority=data["deciding_authority"],
            decision_reference=data.get("decision_reference") or "",
        )

    _act(request, form, call, _("Decision recorded."))
    return redirect("protection:victim", reference=measure.victim.reference)


# --- safe return ---------------------------------------------------------------------------------------


@login_required
@require_POST
def return_open(request, reference: str):
    user = request.user
    victim = selectors.get_victim_for_user(user, reference)
    form = forms.ReturnForm(request.POST)
    result = {}

    def call():
        data = form.cleaned_data
        family_member = None
        if data.get("family_member"):
            try:
                family_member = get_person_record_for_user(user, data["family_member"].strip().upper())
            except Http404:
                raise services.field_error(
                    "family_member", _("No person record with this reference.")
                ) from None
        result["return"] = services.return_open(
            actor=user,
            victim=victim,
            origin_country=data["origin_country"],
            receiving_institution=data["receiving_institution"],
            border_point=data["border_point"],
            family_member=family_member,
        )

    _act(request, form, call, _("Return opened."))
    if "return" in result:
        return redirect("protection:return", reference=result["return"].reference)
    return redirect("protection:victim", reference=victim.reference)


@login_required
def return_detail(request, reference: str):
    user = request.user
    safe_return = selectors.get_return_for_user(user, reference)
    return render(
        request,
        "protection/return_detail.html",
        {
            "section": "protection",
            "safe_return": safe_return,
            "steps": list(safe_return.steps.all()),
            "can_change": policy.can(user, Action.CHANGE, safe_return),
            "step_form": forms.ReturnStepForm(initial={"done_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def return_step(request, reference: str, step: str):
    user = request.user
    safe_return = selectors.get_return_for_user(user, reference, action=Action.CHANGE)
    step_row = ReturnStep.objects.filter(safe_return=safe_return, step=step).first()
    if step_row is None:
        raise Http404
    form = forms.ReturnStepForm(request.POST)
    _act(
        request,
        form,
        lambda: services.return_step_complete(
            actor=user,
            step=step_row,
            done_on=form.cleaned_data["done_on"],
            outcome=form.cleaned_data.get("outcome") or "",
            responsible=form.cleaned_data["responsible"],
        ),
        _("Step recorded."),
    )
    return redirect("protection:return", reference=safe_return.reference)


@login_required
@require_POST
def suspect_add(request):
    user = request.user
    if not policy.can_create(user, SuspectMarker):
        raise Http404
    form = forms.SuspectForm(request.POST)

    def call():
        try:
            person = get_person_record_for_user(user, form.cleaned_data["person"].strip().upper())
        except Http404:
            raise services.field_error("person", _("No person record with this reference.")) from None
        services.suspect_mark(actor=user, person=person, reason=form.cleaned_data["reason"])

    _act(request, form, call, _("Marked as a suspect: no victim will be returned to this person."))
    return redirect("protection:victims")


# --- dashboard -----------------------------------------------------------------------------------------


def may_see_dashboard(user) -> bool:
    return policy.has_capability(user, Capability.VIEW_STATISTICS) or policy.can_list(user, Victim)


@login_required
def dashboard(request):
    user = request.user
    if not may_see_dashboard(user):
        raise Http404
    today = timezone.localdate()
    form = forms.StatsPeriodForm(request.GET or None)
    start, end = today.replace(month=1, day=1), today
    if form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    if end < start:
        start, end = end, start
    figures = protection_figures(start, end)
    return render(
        request,
        "protection/dashboard.html",
        {
            "section": "protection-dashboard",
            "form": form,
            "start": start,
            "end": end,
            "figures": figures,
            "charts": charts.dashboard_charts(figures),
        },
    )
