"""Pages of prevention: campaigns, trainings, the action plan and coordination meetings, and a
dashboard of figures. Every read goes through the selectors, every write through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.policy import Action
from tipims.core import vocabularies
from tipims.core.writes import messages_by_field
from tipims.prevention import forms, selectors, services
from tipims.prevention.models import Campaign, Commitment, Meeting, Training
from tipims.prevention.statistics import prevention_statistics
from tipims.web import charts

SECTION = "prevention"


def _errors_to_form(form, error: ValidationError) -> None:
    for field, field_messages in messages_by_field(error).items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _page(request, queryset):
    return Paginator(queryset, 25).get_page(request.GET.get("page"))


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _may_record_for_others(user, model) -> bool:
    """Whether the policy lets the user record for any institution (the coordinator's grant)."""
    other = model(institution_id=-1)
    return policy.can(user, Action.CREATE, other)


# --- dashboard -------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    if not selectors.can_see_prevention_figures(request.user):
        raise Http404
    period = forms.PeriodForm(request.GET or None)
    start, end = period.period()
    figures = prevention_statistics(start, end)
    context = {
        "section": SECTION,
        "period": period,
        "start": start,
        "end": end,
        "figures": figures,
        "medium_chart": charts.bar_chart(
            [
                (vocabularies.label("campaign_medium", code), n)
                for code, n in figures["campaigns_by_medium"].items()
            ]
        ),
        "audience_chart": charts.bar_chart(
            [
                (vocabularies.label("training_audience", code), n)
                for code, n in figures["people_trained_by_audience"].items()
            ]
        ),
        "status_chart": charts.bar_chart(
            [
                (vocabularies.label("commitment_status", code), n)
                for code, n in figures["commitments_by_status"].items()
            ]
        ),
        "map": charts.department_map(
            {int(code): n for code, n in figures["campaigns_by_department"].items()}
        ),
    }
    return render(request, "prevention/dashboard.html", context)


# --- campaigns -------------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    user = request.user
    if not (policy.can_list(user, Campaign) or policy.can_create(user, Campaign)):
        raise Http404
    form = forms.CampaignFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    campaigns = selectors.campaigns_for_user(
        user, medium=filters.get("medium", ""), department=filters.get("department"), year=filters.get("year")
    )
    context = {
        "section": SECTION,
        "form": form,
        "page": _page(request, campaigns),
        "query": _query(request),
        "can_create": policy.can_create(user, Campaign),
    }
    template = (
        "prevention/_campaigns.html" if request.headers.get("HX-Request") else "prevention/campaign_list.html"
    )
    return render(request, template, context)


@login_required
def campaign_create(request):
    user = request.user
    if not policy.can_create(user, Campaign):
        raise Http404
    on_behalf = _may_record_for_others(user, Campaign)
    form = forms.CampaignForm(
        request.POST or None, on_behalf=on_behalf, initial={"institution": user.institution_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=user,
                values=form.values(),
                departments=form.cleaned_data["departments"],
                institution=form.cleaned_data.get("institution"),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Recorded with reference %(reference)s.") % {"reference": campaign.reference}
            )
            return redirect("prevention:campaign", reference=campaign.reference)
    return render(
        request, "prevention/form.html", {"section": SECTION, "form": form, "title": _("Record a campaign")}
    )


@login_required
def campaign_detail(request, reference: str):
    campaign = selectors.get_campaign_for_user(request.user, reference)
    return render(
        request,
        "prevention/campaign_detail.html",
        {
            "section": SECTION,
            "campaign": campaign,
            "can_edit": policy.can(request.user, Action.CHANGE, campaign),
            "materials": [line for line in campaign.materials.splitlines() if line.strip()],
        },
    )


@login_required
def campaign_edit(request, reference: str):
    user = request.user
    campaign = selectors.get_campaign_for_user(user, reference, action=Action.CHANGE)
    initial = {
        **{name: getattr(campaign, name) for name in services.CAMPAIGN_FIELDS},
        "departments": [d.code for d in campaign.departments.all()],
    }
    form = forms.CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                actor=user,
                campaign=campaign,
                changes=form.values(),
                departments=form.cleaned_data["departments"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("prevention:campaign", reference=campaign.reference)
    return render(
        request,
        "prevention/form.html",
        {"section": SECTION, "form": form, "title": campaign.title, "record": campaign},
    )


# --- trainings -------------------------------------------------------------------------------------


@login_required
def training_list(request):
    user = request.user
    if not (policy.can_list(user, Training) or policy.can_create(user, Training)):
        raise Http404
    form = forms.TrainingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    trainings = selectors.trainings_for_user(
        user, audience=filters.get("audience", ""), year=filters.get("year")
    )
    context = {
        "section": SECTION,
        "form": form,
        "page": _page(request, trainings),
        "query": _query(request),
        "can_create": policy.can_create(user, Training),
    }
    template = (
        "prevention/_trainings.html" if request.headers.get("HX-Request") else "prevention/training_list.html"
    )
    return render(request, template, context)


def _training_form(request, user, training=None):
    initial = {"institution": user.institution_id}
    if training is not None:
        initial = {name: getattr(training, name) for name in services.TRAINING_FIELDS}
        for i, row in enumerate(training.by_institution.all()[: forms.MAX_BREAKDOWN_ROWS]):
            initial[f"row{i}_name"], initial[f"row{i}_people"] = row.institution_name, row.people
    on_behalf = training is None and _may_record_for_others(user, Training)
    return forms.TrainingForm(request.POST or None, on_behalf=on_behalf, initial=initial)


@login_required
def training_create(request):
    user = request.user
    if not policy.can_create(user, Training):
        raise Http404
    form = _training_form(request, user)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_create(
                actor=user,
                values=form.values(),
                by_institution=form.rows(),
                institution=form.cleaned_data.get("institution"),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Recorded with reference %(reference)s.") % {"reference": training.reference}
            )
            return redirect("prevention:training", reference=training.reference)
    return render(
        request,
        "prevention/training_form.html",
        {"section": SECTION, "form": form, "title": _("Record a training")},
    )


@login_required
def training_detail(request, reference: str):
    training = selectors.get_training_for_user(request.user, reference)
    return render(
        request,
        "prevention/training_detail.html",
        {
            "section": SECTION,
            "training": training,
            "can_edit": policy.can(request.user, Action.CHANGE, training),
        },
    )


@login_required
def training_edit(request, reference: str):
    user = request.user
    training = selectors.get_training_for_user(user, reference, action=Action.CHANGE)
    form = _training_form(request, user, training)
    if request.method == "POST" and form.is_valid():
        try:
            # A breakdown longer than the form's rows (recorded through the API) is kept as it is.
            rows = form.rows() if training.by_institution.count() <= forms.MAX_BREAKDOWN_ROWS else None
            services.training_update(
                actor=user, training=training, changes=form.values(), by_institution=rows
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("prevention:training", reference=training.reference)
    return render(
        request,
        "prevention/training_form.html",
        {"section": SECTION, "form": form, "title": training.title, "record": training},
    )


# --- the action plan -------------------------------------------------------------------------------


@login_required
def commitment_list(request):
    user = request.user
    if not policy.can_list(user, Commitment):
        raise Http404
    form = forms.CommitmentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    commitments = selectors.commitments_for_user(
        user, status=filters.get("status", ""), institution=filters.get("institution")
    )
    context = {
        "section": SECTION,
        "form": form,
        "page": _page(request, commitments),
        "query": _query(request),
        "today": timezone.localdate(),
        "can_create": policy.can_create(user, Commitment),
    }
    template = (
        "prevention/_commitments.html"
        if request.headers.get("HX-Request")
        else "prevention/commitment_list.html"
    )
    return render(request, template, context)


@login_required
def commitment_create(request):
    user = request.user
    if not policy.can_create(user, Commitment):
        raise Http404
    form = forms.CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.commitment_create(
                actor=user,
                text=data["text"],
                institutions=data["institutions"],
                due_date=data["due_date"],
                status=data["status"],
                made_on=data.get("made_on"),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request, _("Recorded with reference %(reference)s.") % {"reference": commitment.reference}
            )
            return redirect("prevention:commitment", reference=commitment.reference)
    return render(
        request, "prevention/form.html", {"section": SECTION, "form": form, "title": _("New commitment")}
    )


@login_required
def commitment_detail(request, reference: str):
    user = request.user
    commitment = selectors.get_commitment_for_user(user, reference)
    can_change = policy.can(user, Action.CHANGE, commitment)
    return render(
        request,
        "prevention/commitment_detail.html",
        {
            "section": SECTION,
            "commitment": commitment,
            "status": commitment.effective_status(timezone.localdate()),
            "can_change": can_change,
            "progress_form": forms.ProgressForm() if can_change else None,
            "evidence_form": forms.EvidenceForm() if can_change else None,
        },
    )


@login_required
def commitment_edit(request, reference: str):
    user = request.user
    commitment = selectors.get_commitment_for_user(user, reference, action=Action.CHANGE)
    initial = {
        "text": commitment.text,
        "institutions": list(commitment.institutions.all()),
        "due_date": commitment.due_date,
        "status": commitment.status,
    }
    form = forms.CommitmentForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_update(
                actor=user,
                commitment=commitment,
                text=data["text"],
                institutions=data["institutions"],
                due_date=data["due_date"],
                status=data["status"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("prevention:commitment", reference=commitment.reference)
    return render(
        request, "prevention/form.html", {"section": SECTION, "form": form, "title": commitment.reference}
    )


@login_required
def commitment_progress(request, reference: str):
    user = request.user
    commitment = selectors.get_commitment_for_user(user, reference, action=Action.CHANGE)
    form = forms.ProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_update_add(
                actor=user,
                commitment=commitment,
                on=form.cleaned_data["on"],
                text=form.cleaned_data["text"],
                status=form.cleaned_data["status"] or None,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect("prevention:commitment", reference=commitment.reference)
    return render(
        request,
        "prevention/form.html",
        {"section": SECTION, "form": form, "title": _("Progress on %(ref)s") % {"ref": commitment.reference}},
    )


@login_required
def commitment_evidence(request, reference: str):
    user = request.user
    commitment = selectors.get_commitment_for_user(user, reference, action=Action.CHANGE)
    form = forms.EvidenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        app_label, model = form.cleaned_data["record_type"].split(".")
        try:
            services.evidence_add(
                actor=user,
                commitment=commitment,
                app_label=app_label,
                model=model,
                reference=form.cleaned_data["reference"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Evidence linked."))
            return redirect("prevention:commitment", reference=commitment.reference)
    return render(
        request,
        "prevention/form.html",
        {
            "section": SECTION,
            "form": form,
            "title": _("Evidence for %(ref)s") % {"ref": commitment.reference},
        },
    )


# --- meetings --------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    user = request.user
    if not policy.can_list(user, Meeting):
        raise Http404
    return render(
        request,
        "prevention/meeting_list.html",
        {
            "section": SECTION,
            "page": _page(request, selectors.meetings_for_user(user)),
            "query": "",
            "can_create": policy.can_create(user, Meeting),
        },
    )


@login_required
def meeting_create(request):
    user = request.user
    if not policy.can_create(user, Meeting):
        raise Http404
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=user,
                title=data["title"],
                held_on=data["held_on"],
                institutions_present=data["institutions_present"],
                notes=data["notes"],
                decisions=data["decisions"].splitlines(),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request, _("Recorded with reference %(reference)s.") % {"reference": meeting.reference}
            )
            return redirect("prevention:meeting", reference=meeting.reference)
    return render(
        request, "prevention/form.html", {"section": SECTION, "form": form, "title": _("Record a meeting")}
    )


@login_required
def meeting_detail(request, reference: str):
    user = request.user
    meeting = selectors.get_meeting_for_user(user, reference)
    can_change = policy.can(user, Action.CHANGE, meeting)
    if request.method == "POST":
        if not can_change:
            raise Http404
        try:
            services.decision_add(actor=user, meeting=meeting, text=request.POST.get("text", ""))
        except ValidationError as error:
            for field_messages in messages_by_field(error).values():
                for message in field_messages:
                    messages.error(request, message)
        else:
            messages.success(request, _("Decision added."))
        return redirect("prevention:meeting", reference=meeting.reference)
    return render(
        request,
        "prevention/meeting_detail.html",
        {"section": SECTION, "meeting": meeting, "can_change": can_change},
    )


@login_required
def decision_commitment(request, reference: str, decision: int):
    """The "make commitment" action of a meeting's decision."""
    user = request.user
    meeting = selectors.get_meeting_for_user(user, reference, action=Action.CHANGE)
    found = meeting.decisions.filter(pk=decision).first()
    if found is None:
        raise Http404
    if found.commitment_id:
        return redirect("prevention:commitment", reference=found.commitment.reference)
    form = forms.DecisionCommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_from_decision(
                actor=user,
                decision=found,
                institutions=form.cleaned_data["institutions"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request, _("The decision is now commitment %(ref)s.") % {"ref": commitment.reference}
            )
            return redirect("prevention:commitment", reference=commitment.reference)
    return render(
        request,
        "prevention/form.html",
        {"section": SECTION, "form": form, "title": _("Make a commitment"), "lead": found.text},
    )
