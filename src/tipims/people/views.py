from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.policy import Action, FieldGroup
from tipims.core.writes import messages_by_field
from tipims.people import selectors, services
from tipims.people.forms import PersonFilterForm, PersonForm
from tipims.people.models import PersonRecord


def _add_service_errors(form, error: ValidationError) -> None:
    for field, field_messages in messages_by_field(error).items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


@login_required
def person_list(request):
    user = request.user
    if not (policy.can_list(user, PersonRecord) or policy.can_create(user, PersonRecord)):
        raise Http404
    # Searches go by POST: a document number is identity data and must not sit in a URL (browser
    # history, server logs, htmx's sessionStorage entry of the current path).
    data = request.POST if request.method == "POST" else request.GET
    form = PersonFilterForm(data or None)
    records = PersonRecord.objects.none()
    if not form.is_bound or form.is_valid():
        filters = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}
        records = selectors.person_records_for_user(user, **filters).prefetch_related("documents")
    page = Paginator(records, 25).get_page(request.GET.get("page"))
    query = data.copy()
    for name in ("page", "document_number", "csrfmiddlewaretoken"):
        query.pop(name, None)
    context = {
        "section": "people",
        "form": form,
        "page": page,
        "rows": selectors.person_views(user, list(page.object_list)),
        "query": query.urlencode(),
        "can_create": policy.can_create(user, PersonRecord),
    }
    template = "people/_results.html" if request.headers.get("HX-Request") else "people/list.html"
    return render(request, template, context)


@login_required
def person_create(request):
    user = request.user
    if not policy.can_create(user, PersonRecord):
        raise Http404
    form = PersonForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        documents = []
        if form.cleaned_data.get("document_number"):
            documents.append(
                services.DocumentInput(
                    document_type=form.cleaned_data["document_type"],
                    number=form.cleaned_data["document_number"],
                    issuing_country=form.cleaned_data.get("issuing_country") or "",
                )
            )
        try:
            record = services.person_record_create(
                actor=user, values=form.person_values(), documents=documents
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Recorded with reference %(reference)s.") % {"reference": record.reference}
            )
            return redirect("people:detail", reference=record.reference)
    return render(request, "people/form.html", {"section": "people", "form": form, "record": None})


@login_required
def person_detail(request, reference: str):
    record = selectors.get_person_record_for_user(request.user, reference)
    person = selectors.person_view(request.user, record)
    return render(
        request,
        "people/detail.html",
        {
            "section": "people",
            "person": person,
            "can_edit": bool(person.can_change),
            "FieldGroup": FieldGroup,
        },
    )


@login_required
def person_edit(request, reference: str):
    user = request.user
    record = selectors.get_person_record_for_user(user, reference, action=Action.CHANGE)
    form = PersonForm(request.POST or None, user=user, record=record)
    if request.method == "GET":
        person = selectors.person_view(user, record)  # the form shows identity values: an audited view
        initial = {
            **(person.identity or {}),
            **(person.contact or {}),
            "sex": person.sex,
            "citizenships": person.citizenships,
        }
        form = PersonForm(user=user, record=record, initial=initial)
    elif form.is_valid():
        try:
            services.person_record_update(actor=user, record=record, changes=form.person_values())
        except ValidationError as error:
            _add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", reference=record.reference)
    return render(request, "people/form.html", {"section": "people", "form": form, "record": record})
