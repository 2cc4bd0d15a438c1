import datetime
import json
import re

import pytest
from django.core.management import call_command

from tests.conftest import client_for
from tests.protection.conftest import TODAY, identify
from tipims.audit.models import AuditEvent
from tipims.protection import services
from tipims.protection.statistics import protection_figures

YEAR_AGO = TODAY - datetime.timedelta(days=365)


@pytest.fixture
def year_of_work(caseworker, girl, woman, shelter, ngo):
    case = services.protection_case_open(actor=caseworker, victim=girl, opened_on=TODAY)
    services.service_deliver(
        actor=caseworker, case=case, service_type="medical", delivered_on=TODAY, provider="Centro de salud"
    )
    services.service_deliver(
        actor=caseworker, case=case, service_type="legal", delivered_on=TODAY, provider="PGN"
    )
    services.placement_create(
        actor=caseworker,
        victim=girl,
        shelter=shelter,
        court="Juzgado de la Niñez",
        court_reference="J-7",
        court_order_date=TODAY,
        start=TODAY,
    )
    services.consent_record(
        actor=caseworker, victim=woman, purpose="sharing", shared_with=ngo, given_on=TODAY
    )
    services.referral_create(
        actor=caseworker, victim=woman, to_institution=ngo, reason="AdditionalServicesRequired"
    )
    safe_return = services.return_open(
        actor=caseworker,
        victim=girl,
        origin_country="HN",
        receiving_institution="DINAF",
        border_point="agua_caliente",
    )
    for step in safe_return.steps.all()[:7]:
        services.return_step_complete(
            actor=caseworker, step=step, done_on=TODAY, outcome="", responsible="SBS"
        )
    return safe_return


def test_the_statistics_count_victims_services_shelter_referrals_and_returns(year_of_work, girl):
    figures = protection_figures(YEAR_AGO, TODAY)
    assert figures["victims_identified"] == 2
    assert figures["victims_identified_by_age_group"] == {"minor": 1, "adult": 1}
    assert figures["victims_identified_by_nationality"] == {"HN": 1, "SV": 1}
    assert figures["victims_identified_by_sex"] == {"Feminine": 2}
    assert figures["victims_identified_by_exploitation"] == {"SexualExploitation": 2}
    assert figures["victims_identified_by_institution"] == {"sbs": 2}
    assert figures["services_delivered_by_type"] == {"medical": 1, "legal": 1}
    assert figures["sheltered_now"] == 1
    assert figures["occupancy_by_shelter"] == {"Hogar Seguro Virgen de la Asunción": 1}
    assert figures["referrals"] == 1 and figures["referrals_by_status"] == {"pending": 1}
    assert figures["returns_completed"] == 1
    assert figures["returns_median_days_identification_to_handover"] == (TODAY - girl.identified_on).days


def test_tipims_stats_protection_prints_json(year_of_work, capsys):
    call_command("stats", "protection", "--from", YEAR_AGO.isoformat(), "--to", TODAY.isoformat())
    body = json.loads(capsys.readouterr().out)
    assert body["module"] == "protection" and body["figures"]["victims_identified"] == 2


def test_the_dashboard_draws_svg_charts_without_inline_styles_or_scripts(year_of_work, coordinator):
    page = client_for(coordinator).get("/protection/dashboard/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'data-testid="chart-nationality"' in html
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "Yesenia" not in html


def test_the_analyst_sees_pseudonyms_only(girl, analyst):
    client = client_for(analyst)
    listing = client.get("/protection/").content
    assert girl.reference.encode() in listing and b"Yesenia" not in listing
    page = client.get(f"/protection/victims/{girl.reference}/").content
    assert girl.person.reference.encode() in page and b"Yesenia" not in page and b"Tzoc" not in page


def test_every_view_of_an_identity_is_audited(girl, caseworker, analyst):
    before = AuditEvent.objects.filter(action="view").count()
    client_for(caseworker).get(f"/protection/victims/{girl.reference}/")
    client_for(caseworker).get("/protection/")
    events = list(AuditEvent.objects.filter(action="view").order_by("seq")[before:])
    assert [e.object_type for e in events] == ["people.personrecord", "people.personrecord"]
    assert events[0].object_id == str(girl.person.pk) and events[1].object_ids == [str(girl.person.pk)]
    client_for(analyst).get(f"/protection/victims/{girl.reference}/")
    assert AuditEvent.objects.filter(action="view").count() == before + 2  # the analyst saw no identity


def test_the_victim_list_pages_without_counting_the_country(caseworker):
    victims = [identify(caseworker) for _ in range(26)]
    client = client_for(caseworker)
    first = client.get("/protection/").content.decode()
    second = client.get("/protection/?page=2").content.decode()
    assert first.count('data-testid="victim-row"') == 25 and "page=2" in first
    assert second.count('data-testid="victim-row"') == 1 and "page=1" in second
    assert client.get("/protection/?page=x").status_code == 200
    assert {v.reference for v in victims} <= set(re.findall(r"V-[0-9A-Z]{8}", first + second))
