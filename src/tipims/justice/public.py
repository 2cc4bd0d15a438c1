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
from tipims.core.models import Department
from tipims.justice import services
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
    indicators = forms.MultipleChoiceField(
        label=_("What did you notice?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    website = forms.CharField(required=False, label=_("Leave this field empty"))  # the honeypot
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = vocabularies.choices("complaint_indicator")
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_the_limit(request) -> bool:
    key = f"justice:public-complaint:{_address(request)}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > settings.TIPIMS_PUBLIC_COMPLAINT_RATE


def _blank(error: str | None = None, status: int = 200):
    form = PublicComplaintForm(initial={"token": form_token()})
    return {"form": form, "error": error}, status


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
        context, status = _blank(" ".join(messages), 400)
        return render(request, "justice/public_form.html", context, status=status)
    try:
        complaint = services.complaint_submit_public(
            narrative=form.cleaned_data["narrative"],
            occurred_on=form.cleaned_data["occurred_on"],
            department=form.cleaned_data["department"],
            indicators=form.cleaned_data["indicators"],
        )
    except services.PublicComplaintsUnavailable:
        return render(request, "justice/public_unavailable.html", status=503)
    except ValidationError as error:
        context, status = _blank(" ".join(error.messages), 400)
        return render(request, "justice/public_form.html", context, status=status)
    return render(request, "justice/public_receipt.html", {"receipt": complaint.reference})
