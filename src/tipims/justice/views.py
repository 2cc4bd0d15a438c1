"""Pages of the justice module: the triage queue, criminal cases with their timeline, integrity cases,
the case brief and the justice dashboard. Every read goes through selectors, every write through
services; "not yours" answers 404 like "not found"."""

from __future__ import annotations

import datetime

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.policy import Action, FieldGroup
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.core import countries, vocabularies
from tipims.core.writes import messages_by_field
from tipims.justice import forms, paging, selectors, services, statistics
from tipims.justice.models import (
    Charge,
    Complaint,
    CriminalCase,
    Defendant,
    IntegrityCase,
    Judgment,
    LegalProvision,
)
from tipims.people.models import PersonRecord
from tipims.people.selectors import age_on


def _service_errors(form, error: ValidationError) -> None:
    for field, field_messages in messages_by_field(error).items():
        target = field if field in form.fields else None
        for message in field_messages:
            if target is None and field != "__all__":
                message = f"{field}: {message}"  # a field the form does not show: name it in the message
            form.add_error(target, message)


def _filters(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}


def _query(data) -> str:
    query = data.copy()
    for name in ("page", "csrfmiddlewaretoken"):
        query.pop(name, None)
    return query.urlencode()


_own_person = selectors.own_person


# --- complaints ------------------------------------------------------------------------------------


@login_required
def complaint_list(request):
    user = request.user
    if not policy.can_list(user, Complaint):
        raise Http404
    form = forms.ComplaintFilterForm(request.GET or None)
    rows = Complaint.objects.none()
    if not form.is_bound or form.is_valid():
        rows = selectors.complaints_for_user(user, **(_filters(form) if form.is_bound else {}))
    page = paging.window(rows, request.GET.get("page"))
    context = {
        "section": "justice",
        "form": form,
        "page": page,
        "query": _query(request.GET),
        "can_create": policy.can_create(user, Complaint),
    }
    template = (
        "justice/_complaint_results.html"
        if request.headers.get("HX-Request")
        else "justice/complaint_list.html"
    )
    return render(request, template, context)


@login_required
def complaint_create(request):
    user = request.user
    if not policy.can_create(user, Complaint):
        raise Http404
    form = forms.ComplaintForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Complaint recorded: %(ref)s.") % {"ref": complaint.reference})
            return redirect("justice:complaint", reference=complaint.reference)
    return render(
        request, "justice/form.html", {"section": "justice", "form": form, "title": _("Record a complaint")}
    )


@login_required
def complaint_detail(request, reference: str):
    user = request.user
    complaint = selectors.get_complaint_for_user(user, reference)
    can_change = policy.can(user, Action.CHANGE, complaint) and complaint.status == "open"
    triage = forms.TriageForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST":
        if not can_change:
            raise Http404
        if triage.is_valid():
            try:
                services.complaint_triage(actor=user, complaint=complaint, **triage.cleaned_data)
            except ValidationError as error:
                _service_errors(triage, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("justice:complaint", reference=complaint.reference)
    return render(
        request,
        "justice/complaint_detail.html",
        {
            "section": "justice",
            "complaint": complaint,
            "narrative": selectors.complaint_narrative(user, complaint),
            "triage": triage if can_change else None,
            "can_open_case": can_change and policy.can_create(user, CriminalCase),
        },
    )


# --- criminal cases --------------------------------------------------------------------------------


@login_required
def case_list(request):
    user = request.user
    if not policy.can_list(user, CriminalCase):
        raise Http404
    form = forms.CaseFilterForm(request.GET or None)
    rows = CriminalCase.objects.none()
    if not form.is_bound or form.is_valid():
        rows = selectors.cases_for_user(user, **(_filters(form) if form.is_bound else {}))
    page = paging.window(rows, request.GET.get("page"))  # no COUNT over every case: see paging.py
    today = timezone.localdate()
    cases = [(case, selectors.is_overdue(case, today=today)) for case in page.object_list]
    context = {
        "section": "justice",
        "form": form,
        "page": page,
        "cases": cases,
        "query": _query(request.GET),
        "can_create": policy.can_create(user, CriminalCase),
    }
    template = "justice/_case_results.html" if request.headers.get("HX-Request") else "justice/case_list.html"
    return render(request, template, context)


@login_required
def case_create(request):
    user = request.user
    if not policy.can_create(user, CriminalCase):
        raise Http404
    initial = {"opened_on": timezone.localdate(), "complaints": request.GET.get("complaint", "")[:12]}
    form = forms.CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        references = [r.upper() for r in values.pop("complaints", "").split() if r]
        complaints = list(
            selectors.complaints_for_user(user, action=Action.CHANGE).filter(reference__in=references)
        )
        missing = sorted(set(references) - {c.reference for c in complaints})
        if missing:
            form.add_error(
                "complaints",
                _("No complaint of yours has the reference %(refs)s.") % {"refs": ", ".join(missing)},
            )
        else:
            try:
                case = services.criminal_case_open(actor=user, complaints=complaints, **values)
            except ValidationError as error:
                _service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
                return redirect("justice:case", reference=case.reference)
    return render(
        request, "justice/form.html", {"section": "justice", "form": form, "title": _("Open a criminal case")}
    )


def _defendant_choices(case: CriminalCase, show_names: bool):
    defendants = case.defendants.select_related("person")
    return [(d.pk, _person_label(d.person, show_names)) for d in defendants]


def _person_label(person: PersonRecord, show_names: bool) -> str:
    if not show_names:
        return person.reference
    name = " ".join(p for p in (person.given_names, person.surname1, person.surname2) if p)
    return f"{name} ({person.reference})" if name else person.reference


def _case_context(user, case: CriminalCase) -> dict:
    show_names = selectors.case_people_visible(user, case)
    defendants = []
    for defendant in case.defendants.select_related("person").prefetch_related(
        "measures", "charges__provision", "charges__judgment__appeals"
    ):
        defendants.append(
            {
                "defendant": defendant,
                "label": _person_label(defendant.person, show_names),
                "nationality": ", ".join(countries.name(c) for c in defendant.person.citizenships),
                "charges": [
                    {"charge": charge, "judgment": getattr(charge, "judgment", None)}
                    for charge in defendant.charges.all()
                ],
            }
        )
    victims = [_person_label(v, show_names) for v in case.victims.all()] if show_names else None
    return {
        "section": "justice",
        "case": case,
        "show_names": show_names,
        "summary": case.summary if show_names else None,
        "defendants": defendants,
        "victims": victims,
        "victim_count": case.victims.count(),
        "timeline": selectors.case_timeline(case),
        "overdue": selectors.is_overdue(case),
        "deadline": selectors.deadline_of(case),
        "can_change": policy.can(user, Action.CHANGE, case),
        "has_final": selectors.final_judgments(case).exists(),
        "actions": RECORD_ACTIONS,
    }


@login_required
def case_detail(request, reference: str):
    case = selectors.get_case_for_user(request.user, reference)
    return render(request, "justice/case_detail.html", _case_context(request.user, case))


RECORD_ACTIONS = {
    "phase": _("Move to a new phase"),
    "disposition": _("Record the disposition"),
    "complaint": _("Link a complaint"),
    "victim": _("Link a victim"),
    "defendant": _("Add a defendant"),
    "measure": _("Record a measure (arrest, detention, bail, release)"),
    "charge": _("File a charge"),
    "judgment": _("Record a judgment"),
    "appeal": _("Record an appeal"),
}


def _record_form(what: str, case: CriminalCase, data, show_names: bool):
    if what == "phase":
        return forms.PhaseForm(data)
    if what == "disposition":
        return forms.DispositionForm(data)
    if what == "complaint":
        return forms.ComplaintReferenceForm(data)
    if what == "victim":
        return forms.PersonReferenceForm(data)
    if what == "defendant":
        return forms.DefendantForm(data)
    if what == "measure":
        return forms.MeasureForm(data, defendants=_defendant_choices(case, show_names))
    if what == "charge":
        return forms.ChargeForm(data, defendants=_defendant_choices(case, show_names))
    if what == "judgment":
        charges = [
            (
                c.pk,
                f"{_person_label(c.defendant.person, show_names)} – art. {c.provision.article} "
                f"({c.filed_on:%Y-%m-%d})",
            )
            for c in Charge.objects.filter(defendant__case=case, judgment__isnull=True).select_related(
                "provision", "defendant__person"
            )
        ]
        return forms.JudgmentForm(data, charges=charges)
    if what == "appeal":
        judgments = [
            (
                j.pk,
                f"{_person_label(j.charge.defendant.person, show_names)} – "
                f"{vocabularies.label('verdict', j.verdict)} ({j.date:%Y-%m-%d})",
            )
            for j in Judgment.objects.filter(charge__defendant__case=case).select_related(
                "charge__defendant__person"
            )
        ]
        return forms.AppealForm(data, judgments=judgments)
    raise Http404


def _apply(what: str, user, case: CriminalCase, values: dict) -> None:
    if what == "phase":
        services.criminal_case_advance(actor=user, case=case, **values)
    elif what == "disposition":
        services.criminal_case_dispose(actor=user, case=case, **values)
    elif what == "complaint":
        complaint = (
            selectors.complaints_for_user(user, action=Action.CHANGE)
            .filter(reference=values["reference"].strip().upper())
            .first()
        )
        if complaint is None:
            raise ValidationError({"reference": _("No complaint of yours has this reference.")})
        services.criminal_case_link_complaint(actor=user, case=case, complaint=complaint)
    elif what in ("victim", "defendant"):
        person = _own_person(user, values.pop("person"))
        if person is None:
            raise ValidationError({"person": _("No person record of your institution has this reference.")})
        if what == "victim":
            services.criminal_case_add_victim(actor=user, case=case, person=person)
        else:
            services.defendant_add(actor=user, case=case, person=person, **values)
    elif what == "measure":
        defendant = Defendant.objects.get(pk=values.pop("defendant"), case=case)
        services.measure_record(actor=user, defendant=defendant, **values)
    elif what == "charge":
        defendant = Defendant.objects.get(pk=values.pop("defendant"), case=case)
        provision = LegalProvision.objects.get(pk=values.pop("provision"))
        factors = values.pop("aggravating_factors", "").split()
        services.charge_file(
            actor=user, defendant=defendant, provision=provision, aggravating_factors=factors, **values
        )
    elif what == "judgment":
        charge = Charge.objects.get(pk=values.pop("charge"), defendant__case=case)
        services.judgment_record(actor=user, charge=charge, **values)
    elif what == "appeal":
        judgment = Judgment.objects.get(pk=values.pop("judgment"), charge__defendant__case=case)
        services.appeal_record(actor=user, judgment=judgment, **values)


@login_required
def case_record(request, reference: str, what: str):
    """One page per thing that happens in a case: a form that says what it needs, then the timeline."""
    user = request.user
    if what not in RECORD_ACTIONS:
        raise Http404
    case = selectors.get_case_for_user(user, reference, action=Action.CHANGE)
    show_names = FieldGroup.IDENTITY in policy.field_groups(user, case)
    form = _record_form(what, case, request.POST or None, show_names)
    if request.method == "POST" and form.is_valid():
        try:
            _apply(what, user, case, dict(form.cleaned_data))
        except ValidationError as error:
            _service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("justice:case", reference=case.reference)
    return render(
        request,
        "justice/form.html",
        {"section": "justice", "form": form, "title": f"{case.number}: {RECORD_ACTIONS[what]}", "case": case},
    )


def _initials(person: PersonRecord) -> str:
    parts = [person.given_names, person.surname1, person.surname2]
    return (
        ".".join(word[0].upper() for part in parts if part for word in part.split()[:1]) + "."
        if any(parts)
        else "—"
    )


def _brief_context(user, reference: str) -> dict:
    case = selectors.get_case_for_user(user, reference)
    if FieldGroup.IDENTITY not in policy.field_groups(user, case):
        raise Http404  # the brief names the defendants: only the office that owns the case
    judgments = list(selectors.final_judgments(case))
    if not judgments:
        raise Http404
    defendants = {}
    for judgment in judgments:
        person = judgment.charge.defendant.person
        entry = defendants.setdefault(
            person.pk,
            {
                "name": _person_label(person, True),
                "sex": person.sex,
                "age": age_on(person, case.offence_date),
                "nationality": ", ".join(countries.name(c) for c in person.citizenships),
                "roles": judgment.charge.defendant.roles,
                "judgments": [],
            },
        )
        entry["judgments"].append(judgment)
    victims = [
        {
            "initials": _initials(v),
            "age": age_on(v, case.offence_date),
            "sex": v.sex,
            "nationality": ", ".join(countries.name(c) for c in v.citizenships),
        }
        for v in case.victims.all()
    ]
    return {"section": "justice", "case": case, "defendants": list(defendants.values()), "victims": victims}


@login_required
def case_brief(request, reference: str):
    """The case brief of a case with final judgments, in the structure of UNODC's case-law database."""
    context = _brief_context(request.user, reference)
    selectors.case_people_visible(request.user, context["case"])
    return render(request, "justice/case_brief.html", context)


def _refuse_fetch(url: str, *args, **kwargs):
    """WeasyPrint fetches nothing: no file, no network (the PDF carries its own styles)."""
    raise ValueError(f"not fetched: {url}")


@reauthentication_required
def _brief_pdf(request, context: dict) -> HttpResponse:
    import weasyprint

    html = render_to_string("justice/case_brief_print.html", context, request=request)
    pdf = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    audit_record(actor=request.user, action=AuditAction.EXPORT, target=context["case"], fields=["brief"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brief-{context["case"].reference}.pdf"'
    return response


@login_required
def case_brief_pdf(request, reference: str):
    """The brief as PDF: an export, so it needs a recent re-authentication (after the 404 check)."""
    return _brief_pdf(request, _brief_context(request.user, reference))


# --- integrity cases -------------------------------------------------------------------------------


@login_required
def integrity_list(request):
    user = request.user
    if not policy.can_list(user, IntegrityCase):
        raise Http404
    form = forms.IntegrityFilterForm(request.GET or None)
    rows = IntegrityCase.objects.none()
    if not form.is_bound or form.is_valid():
        rows = selectors.integrity_cases_for_user(user, **(_filters(form) if form.is_bound else {}))
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "justice/integrity_list.html",
        {
            "section": "integrity",
            "form": form,
            "page": page,
            "query": _query(request.GET),
            "can_create": policy.can_create(user, IntegrityCase),
        },
    )


@login_required
def integrity_create(request):
    user = request.user
    if not policy.can_create(user, IntegrityCase):
        raise Http404
    form = forms.IntegrityCaseForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        official = _own_person(user, values.pop("person"))
        if official is None:
            form.add_error("person", _("No person record of your institution has this reference."))
        else:
            try:
                case = services.integrity_case_open(actor=user, official=official, **values)
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("Integrity case %(ref)s opened.") % {"ref": case.reference})
                return redirect("justice:integrity-case", reference=case.reference)
    return render(
        request,
        "justice/form.html",
        {"section": "integrity", "form": form, "title": _("Open an integrity case")},
    )


@login_required
def integrity_detail(request, reference: str):
    user = request.user
    case = selectors.get_integrity_case_for_user(user, reference)
    can_change = policy.can(user, Action.CHANGE, case)
    form = forms.IntegrityOutcomeForm(request.POST or None, initial={"outcome_on": timezone.localdate()})
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            try:
                services.integrity_case_decide(actor=user, case=case, **form.cleaned_data)
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("justice:integrity-case", reference=case.reference)
    shows_identity = selectors.integrity_identity_viewed(user, case)
    return render(
        request,
        "justice/integrity_detail.html",
        {
            "section": "integrity",
            "case": case,
            "official": _person_label(case.official, True) if shows_identity else case.official.reference,
            "details": case.details if shows_identity else None,
            "form": form if can_change else None,
        },
    )


# --- dashboard -------------------------------------------------------------------------------------


def _bars(breakdown: dict, labeller=None, width: int = 320) -> list[dict]:
    top = max(breakdown.values(), default=0) or 1
    return [
        {
            "label": labeller(key) if labeller else key,
            "value": value,
            "width": max(1, round(value * width / top)),
        }
        for key, value in sorted(breakdown.items(), key=lambda item: -item[1])
    ]


@login_required
def dashboard(request):
    """The justice figures of `tipims stats justice` for a period, with bar charts drawn as SVG."""
    user = request.user
    sees_cases = policy.can_see_aggregates(user, CriminalCase)
    sees_integrity = policy.can_see_aggregates(user, IntegrityCase)
    if not (sees_cases or sees_integrity):
        raise Http404
    today = timezone.localdate()
    form = forms.StatisticsForm(request.GET or None)
    start, end = datetime.date(today.year, 1, 1), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or datetime.date(2000, 1, 1)
        end = form.cleaned_data["end"] or today
    if end < start:
        start, end = end, start
    figures = statistics.justice_statistics(start, end)
    headline = [
        ("complaints", _("Complaints")),
        ("cases_opened", _("Cases opened")),
        ("prosecutions", _("Prosecutions")),
        ("convictions", _("Persons convicted")),
        ("acquittals", _("Persons acquitted")),
    ]
    officials = [
        ("officials_prosecuted", _("Officials prosecuted")),
        ("officials_dismissed", _("Officials dismissed")),
        ("officials_disciplined", _("Officials in disciplinary proceedings")),
    ]
    cards = [(key, label, figures[key]) for key, label in headline] if sees_cases else []
    if sees_integrity:
        cards += [(key, label, figures[key]) for key, label in officials]
    charts = []
    if sees_cases:
        charts = [
            (
                _("Charges by offence"),
                _bars(figures["by_offence"], lambda c: vocabularies.label("offence", c)),
            ),
            (
                _("Cases by form of exploitation"),
                _bars(figures["by_exploitation"], lambda c: vocabularies.label("vic_TypeOfExploitation", c)),
            ),
            (_("Cases by department"), _bars(figures["by_department"])),
            (
                _("Defendants by sex"),
                _bars(figures["defendants_by_sex"], lambda c: vocabularies.label("prs_Gender", c)),
            ),
            (_("Defendants by nationality"), _bars(figures["defendants_by_nationality"], countries.name)),
        ]
    return render(
        request,
        "justice/dashboard.html",
        {
            "section": "justice" if sees_cases else "integrity",
            "form": form,
            "start": start,
            "end": end,
            "cards": cards,
            "charts": [(title, bars, 22 * len(bars) + 4) for title, bars in charts],
            "integrity": selectors.integrity_counts(user) if sees_integrity else None,
        },
    )
