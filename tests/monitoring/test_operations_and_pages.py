"""Operations linked to the victims and defendants other institutions recorded; establishments with
their owner and manager; the published survey form; the detail pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import client_for, make_institution, make_user
from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent
from tipims.core.models import Municipality
from tipims.justice import services as justice_services
from tipims.monitoring import services
from tipims.monitoring.models import Establishment, Operation, SurveyReport
from tipims.people import services as people_services
from tipims.protection import services as protection_services

pytestmark = pytest.mark.django_db
D = datetime.date
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def police(db):
    return make_institution("pnc", "LawEnforcement")


@pytest.fixture
def investigator(police):
    return make_user("investigator", police, Role.INVESTIGATOR)


@pytest.fixture
def monitor(db):
    return make_user("monitor", make_institution("casa-alianza", "NGO"), Role.MONITOR)


@pytest.fixture
def bar(investigator):
    return services.establishment_create(
        actor=investigator, name="Bar Sinaloa", kind="bar", municipality=Municipality.objects.get(code=2101)
    )


@pytest.fixture
def rescued_girl(db):
    """A girl the secretariat's shelter identified as a victim after the rescue."""
    caseworker = make_user(
        "caseworker", make_institution("sbs", "CentralGovernmentOrganisation"), Role.CASEWORKER
    )
    return protection_services.victim_identify_person(
        actor=caseworker,
        person_values={
            "given_names": "Yesenia",
            "surname1": "Tzoc",
            "sex": "Feminine",
            "citizenships": ["HN"],
        },
        values={
            "identified_on": D(2004, 2, 3),
            "trafficking_status": "ActualVictimOfTrafficking",
            "status_decided_by": "NonPoliceGovernmentalOrganization",
            "exploitation_types": ["SexualExploitation"],
        },
    )


@pytest.fixture
def bar_owner_defendant(owner):
    """The bar's owner, a defendant in the prosecutor's case 9023-03."""
    accused = people_services.person_record_create(
        actor=owner, values={"given_names": "Rudy", "surname1": "Sagastume", "sex": "Masculine"}
    )
    case = justice_services.criminal_case_open(
        actor=owner,
        number="9023-03",
        offence_date=D(2004, 2, 1),
        opened_on=D(2004, 2, 12),
        district="Jalapa",
        court="Juzgado de Paz de Jalapa",
        unit="Fiscalía contra la Trata",
        exploitation_types=["SexualExploitation"],
    )
    return justice_services.defendant_add(actor=owner, case=case, person=accused, roles=["Exploiter"])


def test_a_rescue_is_linked_to_the_victim_and_the_defendant_by_their_references(
    investigator, bar, rescued_girl, bar_owner_defendant, monitor
):
    client = client_for(investigator)
    response = client.post(
        "/monitoring/operations/new/",
        {
            "kind": "rescue",
            "carried_out_on": "2004-02-02",
            "establishments": [bar.pk],
            "victims_rescued": 3,
            "people_arrested": 1,
            "victims": rescued_girl.reference.lower(),
            "defendants": bar_owner_defendant.person.reference,
        },
    )
    assert response.status_code == 302
    operation = Operation.objects.get()
    assert list(operation.victims.all()) == [rescued_girl]
    assert list(operation.defendants.all()) == [bar_owner_defendant]
    page = client.get(response["Location"]).content.decode()
    assert rescued_girl.reference in page and bar_owner_defendant.person.reference in page
    # A monitor sees the operation, but not who the people behind its counts are.
    seen_by_monitor = client_for(monitor).get(response["Location"]).content.decode()
    assert 'data-testid="operation"' in seen_by_monitor
    assert rescued_girl.reference not in seen_by_monitor and 'data-testid="victims"' not in seen_by_monitor


def test_an_unknown_victim_reference_is_refused_and_nothing_is_saved(investigator, bar, rescued_girl):
    before = (Operation.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.operation_create(
            actor=investigator,
            kind="rescue",
            carried_out_on=D(2004, 2, 2),
            establishments=[bar],
            victims_rescued=2,
            victims=[rescued_girl.reference, "V-ZZZZZZZZ"],
        )
    assert (
        set(error.value.message_dict) == {"victims"}
        and "V-ZZZZZZZZ" in error.value.message_dict["victims"][0]
    )
    assert (Operation.objects.count(), AuditEvent.objects.count()) == before


def test_more_victims_named_than_rescued_is_refused(investigator, bar, rescued_girl):
    with pytest.raises(ValidationError) as error:
        services.operation_create(
            actor=investigator, kind="rescue", carried_out_on=D(2004, 2, 2), victims=[rescued_girl.reference]
        )
    assert set(error.value.message_dict) == {"victims"}
    assert Operation.objects.count() == 0


def test_an_investigator_records_the_owner_and_manager_as_person_records(investigator):
    owner = people_services.person_record_create(
        actor=investigator, values={"given_names": "Rudy", "surname1": "Sagastume", "sex": "Masculine"}
    )
    client = client_for(investigator)
    response = client.post(
        "/monitoring/establishments/new/",
        {"name": "Cantina La Frontera", "kind": "cantina", "municipality": Municipality.objects.get(code=2101).pk,
         "owner": owner.reference, "manager": ""},
    )  # fmt: skip
    assert response.status_code == 302
    establishment = Establishment.objects.get()
    assert establishment.owner == owner and establishment.manager is None
    assert owner.reference in client.get(response["Location"]).content.decode()


def test_an_owner_reference_from_another_institution_is_refused(investigator, monitor, owner):
    stranger = people_services.person_record_create(
        actor=owner, values={"given_names": "Ana", "surname1": "López", "sex": "Feminine"}
    )
    response = client_for(investigator).post(
        "/monitoring/establishments/new/",
        {"name": "Bar X", "kind": "bar", "municipality": Municipality.objects.get(code=2101).pk,
         "owner": stranger.reference},
    )  # fmt: skip
    assert response.status_code == 200 and Establishment.objects.count() == 0
    assert "owner" in response.context["form"].errors


def test_a_monitor_is_not_offered_owner_and_manager(monitor):
    form = client_for(monitor).get("/monitoring/establishments/new/").context["form"]
    assert "name" in form.fields and "owner" not in form.fields and "manager" not in form.fields


def test_the_survey_form_names_the_field_of_a_malformed_line_and_saves_nothing(monitor):
    response = client_for(monitor).post(
        "/monitoring/surveys/new/",
        {"title": "Survey", "period_start": "2003-01-01", "period_end": "2003-06-30", "establishments_visited": 10,
         "minors_total": 5, "by_nationality": "GT: 5", "by_department": "Guatemala 5"},
    )  # fmt: skip
    assert response.status_code == 200 and "by_department" in response.context["form"].errors
    assert SurveyReport.objects.count() == 0


def test_the_survey_form_refuses_an_unknown_department(monitor):
    response = client_for(monitor).post(
        "/monitoring/surveys/new/",
        {"title": "Survey", "period_start": "2003-01-01", "period_end": "2003-06-30", "establishments_visited": 10,
         "minors_total": 5, "by_department": "Atlantis: 5"},
    )  # fmt: skip
    assert response.status_code == 200 and "by_department" in response.context["form"].errors
    assert SurveyReport.objects.count() == 0


def test_visit_and_establishment_pages_show_the_breakdown_and_the_history(monitor, bar):
    visit = services.monitoring_visit_create(
        actor=monitor,
        establishment=bar,
        visited_on=D(2003, 5, 2),
        minors_confirmed=2,
        minors_suspected=1,
        minors_by_nationality={"HN": 2, "unknown": 1},
    )
    client = client_for(monitor)
    page = client.get(f"/monitoring/visits/{visit.pk}/", **ENGLISH).content.decode()
    assert "Honduras" in page and 'data-testid="minors-confirmed">2<' in page
    history = client.get(f"/monitoring/establishments/{bar.pk}/", **ENGLISH).content.decode()
    assert f"/monitoring/visits/{visit.pk}/" in history
    assert 'data-testid="owner"' not in history  # the monitor does not see who owns it


def test_a_visit_of_another_institution_is_hidden_from_a_border_officer(monitor, bar):
    visit = services.monitoring_visit_create(actor=monitor, establishment=bar, visited_on=D(2003, 5, 2))
    officer = make_user("officer", make_institution("dgm", "ImmigrationService"), Role.BORDER_OFFICER)
    assert client_for(officer).get(f"/monitoring/visits/{visit.pk}/").status_code == 404


def test_the_api_records_a_rescue_and_shows_its_people_only_to_who_may_see_them(
    investigator, bar, rescued_girl, bar_owner_defendant, monitor, police
):
    client = client_for(investigator)
    body = {
        "kind": "rescue",
        "carried_out_on": "2004-02-02",
        "institutions": ["pnc"],
        "establishments": [bar.pk],
        "victims_rescued": 3,
        "people_arrested": 1,
        "victims": [rescued_girl.reference.lower()],
        "defendants": [bar_owner_defendant.person.reference],
    }
    response = client.post("/api/monitoring/operations/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["victims"] == [rescued_girl.reference]
    assert created["defendants"] == [bar_owner_defendant.person.reference]
    assert created["institutions"] == ["pnc"] and created["establishments"] == [bar.pk]
    listed = client.get("/api/monitoring/operations/").json()["results"]
    assert [o["victims"] for o in listed] == [[rescued_girl.reference]]
    # The monitor sees the operation and its counts, not who the people are.
    seen = client_for(monitor).get("/api/monitoring/operations/").json()["results"]
    assert [(o["id"], o["victims_rescued"], o["victims"], o["defendants"]) for o in seen] == [
        (created["id"], 3, [], [])
    ]


def test_the_api_refuses_an_unknown_reference_naming_the_field_and_saves_nothing(
    investigator, bar, rescued_girl, monitor
):
    before = (Operation.objects.count(), AuditEvent.objects.count())
    client = client_for(investigator)
    for field, body in (
        ("victims", {"victims": [rescued_girl.reference, "V-ZZZZZZZZ"], "victims_rescued": 2}),
        ("institutions", {"institutions": ["no-such-office"]}),
        ("victims_rescued", {"victims_rescued": -1}),
    ):
        response = client.post(
            "/api/monitoring/operations/",
            {"kind": "rescue", "carried_out_on": "2004-02-02", "establishments": [bar.pk], **body},
            content_type="application/json",
        )
        assert response.status_code == 400 and field in response.json(), (field, response.content)
        if field == "institutions":  # said in the user's language, naming what was wrong
            assert "Códigos de institución desconocidos: no-such-office" in str(response.json()[field])
    assert client_for(monitor).post(
        "/api/monitoring/operations/", {"kind": "raid", "carried_out_on": "2004-02-02"}
    ).status_code in (403, 404)
    assert (Operation.objects.count(), AuditEvent.objects.count()) == before
