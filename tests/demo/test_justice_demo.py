"""The justice demo: several hundred complaints and cases over 2003-2026 modelled on the cable."""

import pytest

from tipims.demo import generator
from tipims.demo import justice as justice_demo
from tipims.justice.models import Charge, Complaint, CriminalCase, IntegrityCase, Judgment

pytestmark = pytest.mark.django_db


def test_the_justice_demo_is_modelled_on_the_cable_and_loads_once():
    institutions = generator.load_institutions()
    users = {user.username: user for user, _ in generator.load_users(institutions, "demo-password-2026")}
    created = justice_demo.load_justice(users)
    assert created == Complaint.objects.count() >= 200
    assert CriminalCase.objects.count() >= 90
    years = {day.year for day in CriminalCase.objects.values_list("opened_on", flat=True)}
    assert min(years) == 2003 and max(years) >= 2025
    departments = set(CriminalCase.objects.values_list("department__name", flat=True))
    assert {"Escuintla", "Santa Rosa", "Guatemala"} <= departments
    assert CriminalCase.objects.filter(number__in=["9023-03", "10395-03"], phase="investigation").count() == 2
    victims = {code for case in CriminalCase.objects.prefetch_related("victims") for v in case.victims.all()
               for code in v.citizenships}  # fmt: skip
    assert {"SV", "HN", "NI"} <= victims
    assert Charge.objects.filter(provision__offence="aggravated_pimping").exists()
    assert Judgment.objects.filter(verdict="conviction").exists()
    officials = set(IntegrityCase.objects.values_list("official_institution__code", flat=True))
    assert officials == {"dgm", "pnc"}
    assert justice_demo.load_justice(users) == 0
