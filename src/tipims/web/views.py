from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.accounts.roles import Role
from tipims.accounts.selectors import list_institutions, list_users_for_user
from tipims.audit.selectors import audit_event_count_for_user
from tipims.people.models import PersonRecord
from tipims.people.selectors import person_record_counts
from tipims.prevention.models import Commitment
from tipims.prevention.selectors import late_commitments_for_user


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    value: int
    note: str = ""


def dashboard_cards(user) -> list[Card]:
    """The counts that exist so far, each only for those allowed to see it."""
    cards = [Card("institutions", _("Institutions"), list_institutions().count())]
    persons = person_record_counts(user)
    if persons is not None:
        scope_note = (
            _("that your role may see")
            if policy.can_list(user, PersonRecord)
            else _("all institutions, counts only")
        )
        cards.append(Card("person-records", _("Person records"), persons["records"], scope_note))
    if policy.has_capability(user, Capability.ADMINISTER):
        cards.append(Card("users", _("Users"), list_users_for_user(user).count()))
    audit_count = audit_event_count_for_user(user)
    if audit_count is not None:
        cards.append(Card("audit-events", _("Audit events"), audit_count))
    if policy.can_create(user, Commitment):  # the coordinator, who keeps the action plan
        late = late_commitments_for_user(user).count()
        cards.append(
            Card("late-commitments", _("Late commitments"), late, _("action plan, past their due date"))
        )
    return cards


@login_required
def dashboard(request):
    user = request.user
    return render(
        request,
        "web/dashboard.html",
        {
            "section": "dashboard",
            "cards": dashboard_cards(user) if policy.roles(user) else [],
            "late_commitments": late_commitments_for_user(user)[:10] if policy.roles(user) else [],
            "roles_display": [Role(role).label for role in sorted(policy.roles(user))],
        },
    )
