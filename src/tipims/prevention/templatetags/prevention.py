"""The tabs of the prevention pages, each shown only to those the policy lets use it."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipims.accounts import policy
from tipims.prevention import selectors
from tipims.prevention.models import Campaign, Commitment, Meeting, Training

register = template.Library()


@register.inclusion_tag("prevention/_tabs.html", takes_context=True)
def prevention_tabs(context, current: str = ""):
    user = context["request"].user
    tabs = []
    if selectors.can_see_prevention_figures(user):
        tabs.append(("dashboard", _("Figures"), reverse("prevention:dashboard")))
    if policy.can_list(user, Campaign) or policy.can_create(user, Campaign):
        tabs.append(("campaigns", _("Campaigns"), reverse("prevention:campaigns")))
    if policy.can_list(user, Training) or policy.can_create(user, Training):
        tabs.append(("trainings", _("Trainings"), reverse("prevention:trainings")))
    if policy.can_list(user, Commitment):
        tabs.append(("plan", _("Action plan"), reverse("prevention:commitments")))
    if policy.can_list(user, Meeting):
        tabs.append(("meetings", _("Meetings"), reverse("prevention:meetings")))
    return {"tabs": tabs, "current": current}


@register.filter
def status_class(status: str) -> str:
    """A late commitment is tagged so that it stands out."""
    return "tag minor" if status == "late" else "tag"


@register.filter
def status_today(commitment) -> str:
    """The status people read today, "late" included."""
    from django.utils import timezone

    return commitment.effective_status(timezone.localdate())


# Where each kind of evidence is shown; whoever follows the link still meets the policy there.
EVIDENCE_PAGES = {
    ("prevention", "campaign"): "prevention:campaign",
    ("prevention", "training"): "prevention:training",
    ("prevention", "meeting"): "prevention:meeting",
    ("justice", "criminalcase"): "justice:case",
    ("justice", "complaint"): "justice:complaint",
    ("protection", "victim"): "protection:victim",
    ("border", "alert"): "border:alert-detail",
}


@register.filter
def evidence_url(evidence) -> str:
    from django.urls import NoReverseMatch

    name = EVIDENCE_PAGES.get((evidence.app_label, evidence.model))
    if not name:
        return ""
    try:
        return reverse(name, args=[evidence.reference])
    except NoReverseMatch:
        return ""
