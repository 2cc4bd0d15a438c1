"""Building the report in the web app: the build records its progress step by step, the page shows
the report and its files, the coordinator's narrative survives regeneration, and only the right
people see what they may see."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import PASSWORD, client_for
from tests.reporting.conftest import END, START
from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent
from tipims.reporting import services
from tipims.reporting.models import BuildStatus, ReportBuild, ReportNarrative

pytestmark = pytest.mark.django_db


def _build(user, *, public=True, fmt="html", start=START, end=END):
    build = services.report_build_request(actor=user, start=start, end=end, fmt=fmt, public=public)
    return services.run_build(build.pk)


def test_a_build_records_each_step_of_its_progress_up_to_done(year, coordinator):
    build = _build(coordinator, public=False, fmt="pdf")
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE and build.progress == 100
    percents = [percent for percent, _step in build.history]
    assert percents == sorted(percents) and percents[0] < 50 and percents[-1] == 100
    assert len(build.history) >= 6 and all(step for _p, step in build.history)
    assert bytes(build.content).startswith(b"%PDF")
    assert "protection-victims_identified_by_sex" in build.tables
    assert 'id="report"' in build.article


def test_a_build_for_a_period_without_data_fails_with_the_reason(year, coordinator):
    build = _build(coordinator, start=datetime.date(1990, 1, 1), end=datetime.date(1990, 12, 31))
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED and build.error and build.content is None


def test_a_backward_period_is_refused_before_anything_is_queued(year, coordinator):
    before = ReportBuild.objects.count()
    with pytest.raises(Exception) as refused:
        services.report_build_request(actor=coordinator, start=END, end=START, fmt="pdf", public=True)
    assert "end" in refused.value.message_dict
    assert ReportBuild.objects.count() == before


def test_generating_a_report_is_audited(year, coordinator):
    events = AuditEvent.objects.filter(object_type="reporting.report", action="export")
    before = events.count()
    _build(coordinator, public=False)
    event = events.latest("seq")
    assert events.count() == before + 1
    assert event.actor_username == "coordinator" and event.object_id == "2025-04-01..2026-03-31"


def test_the_coordinators_narrative_survives_regeneration(year, coordinator):
    first = _build(coordinator, public=False)
    first.refresh_from_db()
    assert "A coordinator's own words" not in first.article
    client = client_for(coordinator)
    response = client.post(
        "/reports/narratives/2025-04-01/2026-03-31/protection/", {"text": "A coordinator's own words."}
    )
    assert response.status_code == 302
    assert ReportNarrative.objects.get(section="protection").text == "A coordinator's own words."
    second = _build(coordinator, public=False)
    third = _build(coordinator, public=True)
    for build in (second, third):
        build.refresh_from_db()
        assert "A coordinator&#x27;s own words." in build.article
    assert ReportNarrative.objects.count() == 1


def test_an_empty_narrative_is_refused_and_nothing_is_kept(year, coordinator):
    response = client_for(coordinator).post(
        "/reports/narratives/2025-04-01/2026-03-31/protection/", {"text": " "}
    )
    assert response.status_code == 400
    assert ReportNarrative.objects.count() == 0
    with pytest.raises(Exception) as refused:
        services.narrative_save(actor=coordinator, start=START, end=END, section="nowhere", text="x")
    assert "section" in refused.value.message_dict


def test_the_coordinator_asks_for_a_report_and_sees_its_progress_then_the_report(year, coordinator):
    client = client_for(coordinator)
    assert client.get("/reports/").status_code == 200
    response = client.post(
        "/reports/", {"start": "2025-04-01", "end": "2026-03-31", "format": "pdf", "public": "on"}
    )
    build = ReportBuild.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/builds/{build.pk}/"
    page = client.get(f"/reports/builds/{build.pk}/").content.decode()
    assert "<progress" in page and "reporting/build.js" in page and "<script>" not in page
    assert client.get(f"/reports/builds/{build.pk}/status.json").json()["status"] == "queued"
    services.run_build(build.pk, csv_base=f"/reports/builds/{build.pk}/tables/")
    status = client.get(f"/reports/builds/{build.pk}/status.json").json()
    assert status["progress"] == 100 and status["finished"]
    page = client.get(f"/reports/builds/{build.pk}/").content.decode()
    assert 'data-testid="build-done"' in page and 'id="section-tvpa"' in page and "<svg" in page
    pdf = client.get(f"/reports/builds/{build.pk}/file")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    table = client.get(f"/reports/builds/{build.pk}/tables/justice-by_department.csv")
    assert table.status_code == 200 and "justice · by_department" in table.content.decode()


def test_a_backward_period_in_the_form_names_the_field_and_queues_nothing(year, coordinator):
    response = client_for(coordinator).post(
        "/reports/", {"start": "2026-03-31", "end": "2025-04-01", "format": "pdf", "public": "on"}
    )
    assert response.status_code == 400 and "end" in response.context["form"].errors
    assert ReportBuild.objects.count() == 0


def test_the_internal_file_needs_a_recent_reauthentication(year, coordinator):
    build = _build(coordinator, public=False)
    client = client_for(coordinator)
    assert client.get(f"/reports/builds/{build.pk}/file").status_code == 302
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get(f"/reports/builds/{build.pk}/file").status_code == 200


def test_an_analyst_builds_only_the_public_version(year, analyst, coordinator):
    with pytest.raises(PermissionDenied):
        services.report_build_request(actor=analyst, start=START, end=END, fmt="pdf", public=False)
    client = client_for(analyst)
    client.post("/reports/", {"start": "2025-04-01", "end": "2026-03-31", "format": "html", "public": ""})
    assert ReportBuild.objects.get().public is True
    with pytest.raises(PermissionDenied):
        services.narrative_save(actor=analyst, start=START, end=END, section="overview", text="x")
    assert client.get("/reports/narratives/2025-04-01/2026-03-31/overview/").status_code == 404


def test_a_build_is_its_requesters_alone(year, coordinator, analyst, user_with_role):
    mine = _build(analyst, public=True)
    other_coordinator = user_with_role(Role.COORDINATOR, "second-coordinator")
    for url in (
        f"/reports/builds/{mine.pk}/",
        f"/reports/builds/{mine.pk}/status.json",
        f"/reports/builds/{mine.pk}/file",
    ):
        assert client_for(other_coordinator).get(url).status_code == 404
        assert client_for(analyst).get(url).status_code == 200


def test_population_figures_are_edited_by_the_coordinator_and_administrators(
    year, coordinator, user_with_role
):
    client = client_for(coordinator)
    response = client.post(
        "/reports/population/",
        {"year": 2025, "area": "national", "value": 18_000_000, "source": "test", "sex": "", "age_group": ""},
    )
    assert response.status_code == 302
    response = client.post(
        "/reports/population/",
        {
            "year": 2025,
            "area": "national",
            "value": 18_100_000,
            "source": "corrected",
            "sex": "",
            "age_group": "",
        },
    )
    from tipims.reporting.models import PopulationFigure

    assert PopulationFigure.objects.get().value == 18_100_000
    assert client_for(user_with_role(Role.ADMIN)).get("/reports/population/").status_code == 200
    assert (
        client_for(user_with_role(Role.CASEWORKER, "another-caseworker"))
        .get("/reports/population/")
        .status_code
        == 404
    )
