"""The prevention demo: modelled on the cable, spread over 2003-2026, deterministic and idempotent."""

import datetime

from django.utils import timezone

from tipims.demo import generator
from tipims.demo.prevention import load_prevention
from tipims.prevention import selectors
from tipims.prevention.models import Campaign, Commitment, Evidence, Meeting, Training


def _demo_users():
    institutions = generator.load_institutions()
    return {user.username: user for user, _ in generator.load_users(institutions, "a-long-demo-password")}


def test_the_demo_loads_once_and_follows_the_cable(db):
    users = _demo_users()
    created = load_prevention(users)
    counts = (
        Campaign.objects.count(),
        Training.objects.count(),
        Commitment.objects.count(),
        Meeting.objects.count(),
    )
    assert created == counts[0] + counts[1] > 100
    assert load_prevention(users) == 0
    assert (Campaign.objects.count(), Training.objects.count(), Commitment.objects.count()) == counts[:3]
    justices = Training.objects.get(audience="justices_of_the_peace", start__year=2003)
    assert justices.people_trained == 400 and justices.partner == "UNICEF"
    assert Commitment.objects.filter(text__icontains="seis meses", status="done").exists()
    years = {c.start.year for c in Campaign.objects.all()}
    assert min(years) == 2003 and max(years) == 2026
    period = selectors.report_commitments(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    assert any(row["status"] == "late" for row in period)
    assert selectors.report_campaigns(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    assert selectors.report_trainings(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    assert Commitment.objects.filter(selectors.late_q(timezone.localdate())).exists()
    assert Evidence.objects.count() >= 3


def test_the_demo_is_deterministic(db):
    users = _demo_users()
    load_prevention(users, seed=7)
    first = list(Campaign.objects.order_by("start", "title").values_list("title", "medium", "start", "reach"))
    Evidence.objects.all().delete()
    for model in (Meeting, Commitment, Campaign, Training):
        model.objects.all().delete()
    load_prevention(users, seed=7)
    assert (
        list(Campaign.objects.order_by("start", "title").values_list("title", "medium", "start", "reach"))
        == first
    )
