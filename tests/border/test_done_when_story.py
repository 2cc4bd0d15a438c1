"""Issue 5's "Done when", walked through the pages as new users would, with the test client only.

An investigator proposes a trafficker for the watchlist and a colleague approves it; an officer at El
Carmen records the trafficker's crossing with the name misspelt and sees only "secondary inspection";
the investigator sees why. A minor crosses with an unrelated adult and an indicator alert is raised.
An NGO records a bar, a visit and its published survey; the monitoring dashboard shades the visit's
department on the map and the reconciliation flags the department breakdown that does not add up.
"""

import datetime
import re

import pytest
from django.utils import timezone

from tests.conftest import client_for, make_institution, make_user
from tipims.accounts.roles import Role
from tipims.border.models import Alert, Crossing, WatchlistEntry
from tipims.core.models import Municipality
from tipims.monitoring.models import Establishment, MonitoringVisit, SurveyReport
from tipims.web import charts

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
SECONDARY = "Send to secondary inspection"


def _now_at_the_post(minutes_ago: int = 10) -> str:
    return (timezone.localtime() - datetime.timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M")


def test_the_border_and_the_field_as_new_users_try_them(
    officer, detective, second_detective, police_unit, user_with_role
):
    # 1. The watchlist: proposed by one investigator, active only once another approves it.
    proposed = client_for(detective).post(
        "/border/watchlist/new/",
        {
            "given_names": "Byron Estuardo",
            "surname1": "Sagastume",
            "surname2": "Orellana",
            "birth_date": "1975-03-12",
            "reason": "suspected_trafficker",
            "source_institution": police_unit.pk,
            "expires_on": (timezone.localdate() + datetime.timedelta(days=365)).isoformat(),
        },
    )
    assert proposed.status_code == 302
    entry = WatchlistEntry.objects.get()
    assert entry.status == "pending"
    client_for(second_detective).post(proposed["Location"], {"action": "approve"})
    entry.refresh_from_db()
    assert entry.status == "active"

    # 2. At El Carmen the officer types the name as it sounds: one letter off, day and month swapped.
    officer_client = client_for(officer)
    recorded = officer_client.post(
        "/border/crossings/new/",
        {
            "point": "el-carmen",
            "direction": "in",
            "crossed_at": _now_at_the_post(),
            "sex": "Masculine",
            "given_names": "Biron Estuardo",
            "surname1": "Sagastume",
            "surname2": "Orelana",
            "birth_date": "1975-12-03",
        },
        follow=True,
        **ENGLISH,
    )
    crossing = Crossing.objects.get()
    assert crossing.point.code == "el-carmen" and crossing.inspection == "secondary"
    page = recorded.content.decode()
    assert SECONDARY in page
    assert entry.reference not in page and "trafficker" not in page.lower()  # nothing about why
    detail = officer_client.get(f"/border/crossings/{crossing.reference}/", **ENGLISH).content.decode()
    assert re.search(r'data-testid="outcome"><strong>' + SECONDARY, detail)
    alert = Alert.objects.get(kind="watchlist")
    # The officer cannot read the alert nor the entry: the answer is the one for a record that does not exist.
    assert officer_client.get(f"/border/alerts/{alert.reference}/").status_code == 404
    assert officer_client.get(f"/border/watchlist/{entry.reference}/").status_code == 404

    # 3. The investigator sees why: which fields agreed, and the score.
    why = client_for(detective).get(f"/border/alerts/{alert.reference}/", **ENGLISH).content.decode()
    explanation = re.search(r'data-testid="explanation">([^<]+)<', why).group(1)
    assert "Both surnames agree apart from typing errors." in explanation
    assert "Dates of birth agree with day and month swapped" in explanation
    assert entry.reference in why and alert.score >= 0.85

    # 4. A minor crosses with an adult who is not a parent or guardian: an indicator alert.
    officer_client.post(
        "/border/crossings/new/",
        {
            "point": "el-carmen",
            "direction": "in",
            "crossed_at": _now_at_the_post(5),
            "sex": "Masculine",
            "given_names": "Walter",
            "surname1": "Gómez",
            "birth_date": "1970-01-01",
        },
    )
    adult = Crossing.objects.get(
        person__crossings__crossed_at__gte=crossing.crossed_at, is_minor=False, inspection="clear"
    ).person
    officer_client.post(
        "/border/crossings/new/",
        {
            "point": "el-carmen",
            "direction": "in",
            "crossed_at": _now_at_the_post(4),
            "sex": "Feminine",
            "given_names": "Dulce",
            "surname1": "Chávez",
            "estimated_age": "14",
            "companion1": adult.reference,
            "relation1": "unrelated",
        },
    )
    minor = Crossing.objects.get(is_minor=True)
    assert minor.inspection == "secondary"
    indicator = Alert.objects.get(kind="minor_unrelated_adult", crossing=minor)
    shown = client_for(detective).get(f"/border/alerts/{indicator.reference}/", **ENGLISH).content.decode()
    assert "unrelated" in re.search(r'data-testid="explanation">([^<]+)<', shown).group(1)

    # 5. The field: an NGO records a bar in Jalapa, a visit, and its published survey.
    ngo = make_institution("casa-alianza", "NGO")
    monitor = client_for(make_user("monitor", ngo, Role.MONITOR))
    jalapa = Municipality.objects.get(code=2101)
    assert (
        monitor.post(
            "/monitoring/establishments/new/",
            {"name": "Bar El Sauce", "kind": "bar", "municipality": jalapa.pk},
        ).status_code
        == 302
    )
    bar = Establishment.objects.get()
    visited = monitor.post(
        "/monitoring/visits/new/",
        {
            "establishment": bar.pk,
            "visited_on": timezone.localdate().isoformat(),
            "minors_confirmed": 2,
            "minors_suspected": 1,
            "adults": 6,
            "minors_by_nationality": "HN: 2\nSV: 1",
        },
    )
    assert visited.status_code == 302 and MonitoringVisit.objects.get().minors_by_nationality == {
        "HN": 2,
        "SV": 1,
    }
    survey = monitor.post(
        "/monitoring/surveys/new/",
        {
            "title": "Bars and massage parlours, Nov 2002 - Aug 2003",
            "period_start": "2002-11-01",
            "period_end": "2003-08-31",
            "establishments_visited": 284,
            "minors_total": 668,
            "by_nationality": "GT: 288\nunknown: 115\nHN: 100\nSV: 98\nNI: 61\nBZ: 3\nCR: 3",
            "by_department": "Guatemala: 411\nSacatepéquez: 9\nEscuintla: 50\nHuehuetenango: 8\n"
            "Chiquimula: 15\nBaja Verapaz: 2\nIzabal: 46\nJutiapa: 23\nPetén: 55\nQuetzaltenango: 20\n"
            "Retalhuleu: 5\nSan Marcos: 25\nSuchitepéquez: 7",
            "counted_within": "Sacatepéquez: Guatemala",
        },
    )
    assert survey.status_code == 302, survey.content.decode()
    report = SurveyReport.objects.get()
    assert report.by_department["Guatemala"] == 411 and sum(report.by_department.values()) == 676

    # 6. The dashboard: the visit's department shaded on the map, the 676-for-668 breakdown flagged.
    coordinator = user_with_role(Role.COORDINATOR)
    dashboard = client_for(coordinator).get("/monitoring/", **ENGLISH).content.decode()
    assert 'data-testid="department-map"' in dashboard
    shade = re.search(r'fill="(#[0-9a-f]+)"[^>]*data-department="21"', dashboard)
    assert shade and shade.group(1) != charts.NO_DATA
    assert 'data-testid="reconciliation-by_department" class="mismatch"' in dashboard
    assert 'data-testid="reconciliation-by_nationality" class="mismatch"' not in dashboard  # 668 = 668
    flagged = re.search(r'reconciliation-by_department" class="mismatch">(.*?)</tr>', dashboard, re.S).group(
        1
    )
    assert "<strong>+8</strong>" in flagged and "Sacatepéquez" in flagged and "Guatemala" in flagged
    # and the survey's own page says the same, with its departments on the map
    own_page = client_for(coordinator).get(f"/monitoring/surveys/{report.pk}/", **ENGLISH).content.decode()
    assert 'data-testid="reconciliation-by_department" class="mismatch"' in own_page
    assert own_page.count("data-department=") == 22
