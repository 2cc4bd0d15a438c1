import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import client_for, make_institution, make_user
from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent
from tipims.core.models import Municipality
from tipims.monitoring import services
from tipims.monitoring.models import MonitoringVisit
from tipims.monitoring.statistics import monitoring_statistics
from tipims.web import charts

pytestmark = pytest.mark.django_db


@pytest.fixture
def ngo(db):
    return make_institution("casa-alianza", "NGO")


@pytest.fixture
def monitor(ngo):
    return make_user("monitor", ngo, Role.MONITOR)


@pytest.fixture
def bar(monitor):
    return services.establishment_create(
        actor=monitor, name="Bar El Sauce", kind="bar", municipality=Municipality.objects.get(code=2101)
    )


def test_a_monitor_records_an_establishment_and_a_visit(monitor, bar):
    visit = services.monitoring_visit_create(
        actor=monitor,
        establishment=bar,
        visited_on=datetime.date(2003, 5, 2),
        minors_confirmed=2,
        minors_suspected=3,
        adults=7,
        minors_by_nationality={"HN": 3, "sv": 1, "unknown": 1},
    )
    assert visit.minors_by_nationality == {"HN": 3, "SV": 1, "unknown": 1}
    assert bar.department.name == "Jalapa"
    figures = monitoring_statistics(datetime.date(2003, 1, 1), datetime.date(2003, 12, 31))
    assert figures["minors_confirmed"] == 2 and figures["minors_suspected"] == 3
    assert figures["minors_by_department"] == {"Jalapa": 5}


def test_a_nationality_breakdown_that_does_not_add_up_is_refused(monitor, bar):
    before = (MonitoringVisit.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.monitoring_visit_create(
            actor=monitor,
            establishment=bar,
            visited_on=datetime.date(2003, 5, 2),
            minors_confirmed=2,
            minors_by_nationality={"HN": 3},
        )
    assert "minors_by_nationality" in error.value.message_dict
    assert (MonitoringVisit.objects.count(), AuditEvent.objects.count()) == before


def test_a_denied_entry_cannot_have_counted_anyone(monitor, bar):
    with pytest.raises(ValidationError) as error:
        services.monitoring_visit_create(
            actor=monitor,
            establishment=bar,
            visited_on=datetime.date(2003, 5, 2),
            entry_denied=True,
            adults=2,
        )
    assert "entry_denied" in error.value.message_dict


def test_an_operation_names_its_establishments_and_institutions(outsider, monitor, bar):
    investigator_bar = services.establishment_create(
        actor=outsider, name="Sinaloa", kind="bar", municipality=Municipality.objects.get(code=601)
    )
    operation = services.operation_create(
        actor=outsider,
        kind="rescue",
        carried_out_on=datetime.date(2004, 2, 18),
        establishments=[investigator_bar],
        victims_rescued=1,
        people_arrested=1,
    )
    assert list(operation.establishments.all()) == [investigator_bar]
    assert operation.institutions.get() == outsider.institution


def test_the_dashboard_shows_the_map_and_flags_the_survey_that_does_not_add_up(monitor, bar, user_with_role):
    services.survey_report_create(
        actor=monitor,
        values={
            "title": "Establishments visited Nov 2002 - Aug 2003",
            "period_start": datetime.date(2002, 11, 1),
            "period_end": datetime.date(2003, 8, 31),
            "establishments_visited": 284,
            "minors_total": 668,
            "by_nationality": {"GT": 288, "unknown": 115, "HN": 100, "SV": 98, "NI": 61, "BZ": 3, "CR": 3},
            "by_department": {
                "Guatemala": 411,
                "Sacatepéquez": 9,
                "Escuintla": 50,
                "Huehuetenango": 8,
                "Chiquimula": 15,
                "Baja Verapaz": 2,
                "Izabal": 46,
                "Jutiapa": 23,
                "Petén": 55,
                "Quetzaltenango": 20,
                "Retalhuleu": 5,
                "San Marcos": 25,
                "Suchitepéquez": 7,
            },
            "counted_within": {"Sacatepéquez": "Guatemala"},
        },
    )
    services.monitoring_visit_create(
        actor=monitor,
        establishment=bar,
        visited_on=timezone.localdate(),
        minors_confirmed=1,
        minors_by_nationality={"HN": 1},
    )
    page = client_for(user_with_role(Role.COORDINATOR)).get("/monitoring/").content.decode()
    assert 'data-testid="department-map"' in page
    jalapa = re.search(r'fill="(#[0-9a-f]+)"[^>]*data-department="21"', page)
    assert jalapa and jalapa.group(1) != charts.NO_DATA and "Jalapa: 1" in page
    assert 'data-testid="reconciliation-by_department" class="mismatch"' in page
    assert "+8" in page and "Sacatepéquez" in page


def test_a_survey_naming_an_unknown_department_is_refused(monitor):
    with pytest.raises(ValidationError) as error:
        services.survey_report_create(
            actor=monitor,
            values={
                "title": "x",
                "period_start": datetime.date(2003, 1, 1),
                "period_end": datetime.date(2003, 2, 1),
                "minors_total": 1,
                "by_department": {"Atlantis": 1},
            },
        )
    assert "by_department" in error.value.message_dict
