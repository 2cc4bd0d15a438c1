"""The "Done when" of issue 4, tried as a new user would, through the pages and the API only:

a border officer flags a possible victim and then cannot see her; the shelter's caseworker receives the
referral, records consent, places the child by court order, and walks the return to handover; the
procedure refuses to skip a step; the statistics show it.
"""

import json
import re

from django.contrib.messages import constants
from django.core.management import call_command

from tests.conftest import client_for
from tests.protection.conftest import TODAY
from tipims.protection.models import (
    Consent,
    Placement,
    ProtectionCase,
    Referral,
    ReturnStep,
    SafeReturn,
    Shelter,
)

STEPS_TO_HANDOVER = [
    "identification",
    "consular_notification",
    "best_interests_determination",
    "family_tracing",
    "travel_documents",
    "escort",
    "handover",
]


def refused(response) -> bool:
    """The page came back with an error message (its wording is translated, so only its level is read)."""
    return any(message.level == constants.ERROR for message in response.context["messages"])


def test_from_the_border_flag_to_the_handover_and_the_statistics(
    border_officer, caseworker, coordinator, sbs
):
    # 1. The border officer flags a girl of about thirteen and keeps only a receipt.
    officer = client_for(border_officer)
    assert officer.get("/protection/flag/").status_code == 200
    flagged = officer.post(
        "/protection/flag/",
        {
            "given_names": "Kimberly",
            "surname1": "Caal",
            "sex": "Feminine",
            "estimated_age": "13",
            "citizenship": "SV",
            "exploitation_types": ["SexualExploitation"],
            "observations": "Viaja con un adulto que guarda sus documentos.",
        },
    )
    referral = Referral.objects.get()
    victim, person = referral.victim, referral.victim.person
    assert flagged.status_code == 302 and flagged["Location"] == f"/protection/receipts/{referral.reference}/"
    receipt = officer.get(flagged["Location"])
    assert receipt.status_code == 200 and referral.reference in receipt.content.decode()
    assert "Kimberly" not in receipt.content.decode() and "Caal" not in receipt.content.decode()

    # 2. ... and then cannot see her, anywhere.
    for url in (
        f"/protection/victims/{victim.reference}/",
        f"/people/{person.reference}/",
        f"/api/protection/victims/{victim.reference}/",
        "/protection/",
    ):
        assert officer.get(url).status_code == 404, url

    # 3. The shelter's caseworker receives the referral and accepts it.
    worker = client_for(caseworker)
    incoming = worker.get("/protection/referrals/").content.decode()
    assert referral.reference in incoming
    worker.post(f"/protection/referrals/{referral.reference}/decide/", {"decision": "accept"})
    assert Referral.objects.get().status == "accepted"
    page = worker.get(f"/protection/victims/{victim.reference}/").content.decode()
    assert 'data-testid="victim-name"' in page and "Kimberly" in page
    assert 'data-testid="child-banner"' in page  # a minor, handled as a child throughout

    # 4. She records the girl's consent to services and opens a protection case.
    worker.post(
        f"/protection/victims/{victim.reference}/consents/", {"purpose": "services", "given_on": TODAY}
    )
    assert Consent.objects.filter(victim=victim, purpose="services", withdrawn_at__isnull=True).count() == 1
    opened = worker.post(f"/protection/victims/{victim.reference}/cases/", {"opened_on": TODAY})
    case = ProtectionCase.objects.get(victim=victim)
    assert opened["Location"] == f"/protection/cases/{case.reference}/" and case.caseworker == caseworker

    # 5. She places the child in a shelter by court order; the occupancy shows it.
    worker.post(
        "/protection/shelters/",
        {
            "name": "Casa Hogar Santa Rosa",
            "capacity_female_minor": 5,
            "capacity_male_minor": 0,
            "capacity_female_adult": 0,
            "capacity_male_adult": 0,
        },
    )
    shelter = Shelter.objects.get()
    worker.post(
        f"/protection/victims/{victim.reference}/placements/",
        {
            "shelter": shelter.pk,
            "court": "Juzgado de la Niñez y Adolescencia",
            "court_reference": "J-1-2026",
            "court_order_date": TODAY,
            "start": TODAY,
        },
    )
    placement = Placement.objects.get(victim=victim)
    assert (placement.court_reference, placement.group, placement.end) == ("J-1-2026", "female_minor", None)
    assert "1 / 5" in worker.get("/protection/shelters/").content.decode()

    # 6. She opens the return to El Salvador; the procedure refuses to skip a step.
    worker.post(
        f"/protection/victims/{victim.reference}/returns/",
        {"origin_country": "SV", "receiving_institution": "ISNA", "border_point": "pedro_de_alvarado"},
    )
    safe_return = SafeReturn.objects.get(victim=victim)
    base = f"/protection/returns/{safe_return.reference}/steps"
    step_data = {"done_on": TODAY, "responsible": "SBS", "outcome": "ok"}
    for premature in ("handover", "consular_notification"):
        response = worker.post(f"{base}/{premature}/", step_data, follow=True)
        assert refused(response), premature
    assert not ReturnStep.objects.filter(safe_return=safe_return, done_on__isnull=False).exists()

    # 7. Step by step, in order, to the handover at the border.
    for step in STEPS_TO_HANDOVER:
        response = worker.post(f"{base}/{step}/", step_data, follow=True)
        assert not refused(response), step
    safe_return.refresh_from_db()
    assert safe_return.handed_over_on == TODAY
    return_page = worker.get(f"/protection/returns/{safe_return.reference}/").content.decode()
    assert return_page.count(TODAY.strftime("%Y-%m-%d")) >= len(STEPS_TO_HANDOVER)

    # 8. The statistics show it: on the dashboard, in the API and on the command line.
    period = {"start": TODAY.replace(month=1, day=1), "end": TODAY}
    dashboard = client_for(coordinator).get("/protection/dashboard/", period)
    assert dashboard.status_code == 200 and 'data-testid="chart-nationality"' in dashboard.content.decode()
    assert "Kimberly" not in dashboard.content.decode()
    figures = client_for(coordinator).get("/api/protection/statistics/").json()["figures"]
    assert figures["victims_identified"] == 1
    assert figures["victims_identified_by_age_group"] == {"minor": 1}
    assert figures["victims_identified_by_nationality"] == {"SV": 1}
    assert figures["sheltered_now"] == 1 and figures["occupancy_by_shelter"] == {"Casa Hogar Santa Rosa": 1}
    assert figures["referrals"] == 1 and figures["referrals_by_status"] == {"accepted": 1}
    assert figures["returns_completed"] == 1
    assert figures["returns_median_days_identification_to_handover"] == 0
    out = _stats_json()
    assert out["figures"]["returns_completed"] == 1 and out["figures"]["victims_identified"] == 1


def _stats_json() -> dict:
    import io

    buffer = io.StringIO()
    day = TODAY.isoformat()
    call_command("stats", "protection", "--from", day, "--to", day, stdout=buffer)
    return json.loads(buffer.getvalue())


def test_the_dashboard_figures_are_numbers_the_page_shows(border_officer, caseworker, coordinator, sbs):
    """The dashboard's headline figures appear on the page itself, not only in the API."""
    client_for(border_officer).post(
        "/protection/flag/", {"given_names": "Ana", "sex": "Feminine", "estimated_age": "15"}
    )
    page = client_for(coordinator).get("/protection/dashboard/").content.decode()
    assert re.search(r'data-testid="card-victims"><h2>[^<]*</h2><p class="figure">1</p>', page)
