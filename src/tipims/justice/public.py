"""The public complaint form (`/denuncia/`): no sign-in, Spanish and English.

It answers with a receipt code and nothing else: never what was sent, so a screen or a shared
computer shows nothing of the complaint. Bots are kept out without third-party services:
- a honeypot field that people never see (bots that fill it get a receipt that is never stored);
- a signed time stamp: a form sent back sooner than MIN_FILL_SECONDS after it was served, or later
  than MAX_AGE_SECONDS, is refused;
- a limit per address (TIPIMS_PUBLIC_COMPLAINT_RATE an hour, counted in Django's cache).
REMOTE_ADDR is the address: a proxy in front must set it (not X-Forwarded-For, which anyone can forge).
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from tipims.core import vocabularies
from tipims.core.models import Department, Municipality
from tipims.justice import selectors, services
from tipims.justice.models import new_complaint_reference

SALT = "tipims.justice.public-complaint"
MIN_FILL_SECONDS = 5
MAX_AGE_SECONDS = 3 * 60 * 60
RATE_WINDOW_SECONDS = 60 * 60
HONEYPOT = "website"


def form_token(issued_at: float | None = None) -> str:
    """A signed time stamp of when the form was served."""
    return signing.Signer(salt=SALT).sign(str(int(issued_at if issued_at is not None else time.time())))


def _token_age(token: str) -> float | None:
    try:
        issued = int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return time.time() - issued


class PublicComplaintForm(forms.Form):
    narrative = forms.CharField(
        label=_("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Where, when, who is affected. Do not give your name unless you want to be contacted."),
    )
    occurred_on = forms.DateField(
        label=_("When did it happen? (approximately)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("I do not know"),
    )
    municipality = forms.TypedChoiceField(
        label=_("Municipality"), required=False, coerce=int, empty_value=None
    )
    indicators = forms.MultipleChoiceField(
        label=_("What did you notice?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    website = forms.CharField(required=False, label=_("Leave this field empty"))  # the honeypot
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = vocabularies.choices("complaint_indicator")
        self.fields["municipality"].choices = municipality_choices()
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_municipality(self) -> Municipality | None:
        code = self.cleaned_data.get("municipality")
        return Municipality.objects.select_related("department").get(pk=code) if code else None

    def clean(self):
        cleaned = super().clean()
        department, municipality = cleaned.get("department"), cleaned.get("municipality")
        if department and municipality and municipality.department_id != department.pk:
            self.add_error("municipality", _("This municipality is not in the department chosen."))
        return cleaned


def municipality_choices() -> list:
    """Municipalities grouped by department (an optgroup each): readable without any script."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for municipality in Municipality.objects.select_related("department").order_by(
        "department__name", "name"
    ):
        groups.setdefault(municipality.department.name, []).append((municipality.code, municipality.name))
    return [("", _("I do not know")), *groups.items()]


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_the_limit(request, bucket: str = "complaint") -> bool:
    key = f"justice:public-{bucket}:{_address(request)}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > settings.TIPIMS_PUBLIC_COMPLAINT_RATE


def _blank(error: str | None = None, status: int = 200, fields=()):
    form = PublicComplaintForm(initial={"token": form_token()})
    return {"form": form, "error": error, "error_fields": " ".join(fields)}, status


@never_cache
def public_complaint(request):
    if request.method != "POST":
        context, status = _blank()
        return render(request, "justice/public_form.html", context, status=status)
    if _over_the_limit(request):
        return render(request, "justice/public_limit.html", status=429)
    form = PublicComplaintForm(request.POST)
    if request.POST.get(HONEYPOT):
        # Looks exactly like success to the bot; nothing is stored.
        return render(request, "justice/public_receipt.html", {"receipt": new_complaint_reference()})
    age = _token_age(request.POST.get("token", ""))
    if age is None or age > MAX_AGE_SECONDS:
        context, status = _blank(str(_("The form expired. Please write your complaint again.")), 400)
        return render(request, "justice/public_form.html", context, status=status)
    if age < MIN_FILL_SECONDS:
        context, status = _blank(str(_("The form was sent too quickly. Please try again.")), 400)
        return render(request, "justice/public_form.html", context, status=status)
    if not form.is_valid():
        # Never echo what was sent: a fresh, empty form with the messages only.
        messages = [
            f"{form.fields[name].label}: {' '.join(errs)}"
            for name, errs in form.errors.items()
            if name in form.fields
        ]
        context, status = _blank(" ".join(messages), 400, [n for n in form.errors if n in form.fields])
        return render(request, "justice/public_form.html", context, status=status)
    try:
        complaint = services.complaint_submit_public(
            narrative=form.cleaned_data["narrative"],
            occurred_on=form.cleaned_data["occurred_on"],
            department=form.cleaned_data["department"],
            municipality=form.cleaned_data["municipality"],
            indicators=form.cleaned_data["indicators"],
        )
    except services.PublicComplaintsUnavailable:
        return render(request, "justice/public_unavailable.html", status=503)
    except ValidationError as error:
        fields = getattr(error, "error_dict", {}).keys()
        context, status = _blank(" ".join(error.messages), 400, fields)
        return render(request, "justice/public_form.html", context, status=status)
    return render(request, "justice/public_receipt.html", {"receipt": complaint.reference})


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Receipt code"), max_length=12, help_text=_("Such as D-7KQ2M9XA."))


@never_cache
def public_status(request):
    """With the receipt code, the coarse status of a complaint sent through the form, and nothing else:
    not what was sent, not who handles it, not the case. Lookups are limited per address like the form,
    so codes cannot be guessed by trying many."""
    if request.method != "POST":
        return render(request, "justice/public_status.html", {"form": ReceiptForm()})
    if _over_the_limit(request, "status"):
        return render(request, "justice/public_limit.html", status=429)
    form = ReceiptForm(request.POST)
    status = selectors.public_complaint_status(form.data.get("receipt", "")) if form.is_valid() else None
    return render(
        request,
        "justice/public_status.html",
        {"form": ReceiptForm(), "status": status or "unknown", "asked": True},
        status=200 if status else 404,
    )
