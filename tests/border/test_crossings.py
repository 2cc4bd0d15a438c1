import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.border.conftest import an_hour_ago, record_person
from tipims.audit.models import AuditEvent
from tipims.border import services
from tipims.border.models import Alert, Crossing, CrossingPoint, DeportationReception

pytestmark = pytest.mark.django_db


def test_the_real_crossing_points_are_there_with_department_and_neighbour():
    el_carmen = CrossingPoint.objects.get(code="el-carmen")
    assert el_carmen.department.name == "San Marcos" and el_carmen.neighbour_country == "MX"
    assert CrossingPoint.objects.get(code="agua-caliente").neighbour_country == "HN"
    assert CrossingPoint.objects.get(code="la-aurora").kind == "air"
    assert (
        CrossingPoint.objects.filter(
            code__in=["tecun-uman", "la-mesilla", "pedro-de-alvarado", "valle-nuevo", "puerto-barrios"]
        ).count()
        == 5
    )


def test_an_officer_records_a_crossing_and_it_is_audited_without_values(officer):
    person = record_person(officer, "Kevin", "Tzoc", "Pop", born=datetime.date(1990, 1, 5))
    crossing = services.crossing_create(
        actor=officer,
        person=person,
        point="el-carmen",
        direction="in",
        crossed_at=an_hour_ago(),
        document_type="DPI",
        document_number="2345 67890 1201",
    )
    assert crossing.inspection == "clear" and not crossing.is_minor
    event = AuditEvent.objects.filter(object_type="border.crossing").get()
    assert "document_number" in event.fields and "2345" not in str(event.fields)


def test_a_crossing_in_the_future_is_refused_and_nothing_is_saved(officer):
    person = record_person(officer, "Kevin", "Tzoc")
    before = (Crossing.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.crossing_create(
            actor=officer,
            person=person,
            point="el-carmen",
            direction="in",
            crossed_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert "crossed_at" in error.value.message_dict
    assert "futuro" in error.value.message_dict["crossed_at"][0]  # Spanish: the default language
    assert (Crossing.objects.count(), AuditEvent.objects.count()) == before


def test_a_crossing_at_an_unknown_point_is_refused(officer):
    person = record_person(officer, "Kevin", "Tzoc")
    with pytest.raises(ValidationError) as error:
        services.crossing_create(
            actor=officer, person=person, point="nowhere", direction="in", crossed_at=an_hour_ago()
        )
    assert "point" in error.value.message_dict
    assert Crossing.objects.count() == 0


def test_someone_else_s_person_record_cannot_be_used(officer, person):
    with pytest.raises(ValidationError) as error:
        services.crossing_create(
            actor=officer, person=person, point="el-carmen", direction="in", crossed_at=an_hour_ago()
        )
    assert "person" in error.value.message_dict


def test_a_monitor_may_not_record_crossings(user_with_role, officer):
    from tipims.accounts.roles import Role

    person = record_person(officer, "Kevin", "Tzoc")
    with pytest.raises(PermissionDenied):
        services.crossing_create(
            actor=user_with_role(Role.MONITOR),
            person=person,
            point="el-carmen",
            direction="in",
            crossed_at=an_hour_ago(),
        )


def test_a_minor_with_an_unrelated_adult_raises_an_indicator_alert_that_investigators_review(
    officer, detective
):
    minor = record_person(officer, "Dulce", "Chávez", sex="Feminine", age=14)
    adult = record_person(officer, "Walter", "Gómez", born=datetime.date(1970, 2, 2))
    crossing = services.crossing_create(
        actor=officer,
        person=minor,
        point="tecun-uman",
        direction="out",
        crossed_at=an_hour_ago(),
        companions=[services.CompanionInput(adult, "unrelated")],
    )
    crossing.refresh_from_db()
    assert crossing.is_minor and crossing.inspection == "secondary"
    alert = Alert.objects.get(crossing=crossing)
    assert alert.kind == "minor_unrelated_adult" and "unrelated" in alert.explanation
    from tipims.border.selectors import alerts_for_user

    assert list(alerts_for_user(detective)) == [alert]  # shared with every investigating institution


def test_a_minor_with_a_parent_raises_nothing(officer):
    minor = record_person(officer, "Dulce", "Chávez", sex="Feminine", age=10)
    mother = record_person(officer, "Ana", "Chávez", sex="Feminine", born=datetime.date(1985, 2, 2))
    crossing = services.crossing_create(
        actor=officer,
        person=minor,
        point="tecun-uman",
        direction="out",
        crossed_at=an_hour_ago(),
        companions=[services.CompanionInput(mother, "parent")],
    )
    assert not Alert.objects.filter(crossing=crossing).exists()


def test_the_same_adult_with_different_unrelated_minors_is_flagged(officer):
    adult = record_person(officer, "Walter", "Gómez", born=datetime.date(1970, 2, 2))
    kinds = []
    for given in ("Dulce", "Wendy"):
        minor = record_person(officer, given, "Pop", sex="Feminine", age=15)
        crossing = services.crossing_create(
            actor=officer,
            person=minor,
            point="la-mesilla",
            direction="out",
            crossed_at=an_hour_ago(),
            companions=[services.CompanionInput(adult, "authorised_adult")],
        )
        kinds.append(set(Alert.objects.filter(crossing=crossing).values_list("kind", flat=True)))
    assert kinds == [set(), {"adult_many_minors"}]


def test_one_document_used_by_people_with_different_names_is_flagged(officer):
    for given, surname in (("Kevin", "Tzoc"), ("Marvin", "Arévalo")):
        person = record_person(officer, given, surname)
        crossing = services.crossing_create(
            actor=officer,
            person=person,
            point="valle-nuevo",
            direction="in",
            crossed_at=an_hour_ago(),
            document_type="PASSPORT",
            document_number="SV 112233",
        )
    assert Alert.objects.filter(crossing=crossing, kind="document_many_names").exists()


def test_repeated_deportation_of_the_same_document_is_flagged(officer):
    alerts = []
    for days in (200, 100, 1):
        person = record_person(officer, "Selvin", "Batz")
        crossing = services.crossing_create(
            actor=officer,
            person=person,
            point="el-carmen",
            direction="in",
            crossed_at=timezone.now() - datetime.timedelta(days=days),
            document_type="DPI",
            document_number="1111 22222 0101",
            deported=True,
        )
        alerts.append(list(Alert.objects.filter(crossing=crossing).values_list("kind", flat=True)))
    assert "repeated_deportation" in alerts[-1] and "repeated_deportation" not in alerts[0]


def test_a_screening_failure_never_loses_the_crossing_and_becomes_an_alert(officer, wanted):
    # An entry written under a key that is no longer configured cannot be decrypted: screening fails.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE border_watchlistentry SET given_names = %s", ["gAAAAAnot-a-token"])
    person = record_person(officer, "Kevin", "Tzoc")
    crossing = services.crossing_create(
        actor=officer, person=person, point="el-carmen", direction="in", crossed_at=an_hour_ago()
    )
    assert Crossing.objects.filter(pk=crossing.pk).exists()
    alert = Alert.objects.get(crossing=crossing)
    assert alert.kind == "screening_error" and "UndecryptableValue" in alert.explanation
    crossing.refresh_from_db()
    assert crossing.inspection == "secondary"


def test_deportation_receptions_are_counts_checked_for_consistency(officer):
    reception = services.deportation_reception_create(
        actor=officer,
        values={
            "received_on": timezone.localdate(),
            "point": "el-carmen",
            "nationality": "HN",
            "sex": "Feminine",
            "people": 40,
            "minors": 6,
            "unaccompanied_minors": 2,
        },
    )
    assert reception.point.code == "el-carmen"
    with pytest.raises(ValidationError) as error:
        services.deportation_reception_create(
            actor=officer,
            values={
                "received_on": timezone.localdate(),
                "point": "el-carmen",
                "nationality": "SV",
                "sex": "Masculine",
                "people": 3,
                "minors": 5,
            },
        )
    assert "minors" in error.value.message_dict
    assert DeportationReception.objects.count() == 1


def test_tipims_stats_border_counts_crossings_alerts_and_deportees(officer, detective, wanted):
    import json
    from io import StringIO

    from django.core.management import call_command

    traveller = record_person(officer, "Byron", "Sagastume", "Orellana", born=datetime.date(1975, 3, 12))
    crossing = services.crossing_create(
        actor=officer, person=traveller, point="el-carmen", direction="in", crossed_at=an_hour_ago()
    )
    services.alert_decide(
        actor=detective, alert=crossing.alerts.get(), decision="confirmed", reason="checked"
    )
    services.deportation_reception_create(
        actor=officer,
        values={"received_on": timezone.localdate(), "point": "el-carmen", "nationality": "HN",
                "sex": "Masculine", "people": 12, "minors": 2, "unaccompanied_minors": 1},
    )  # fmt: skip
    out = StringIO()
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)  # the crossing an hour ago may be yesterday's
    call_command("stats", "border", "--from", yesterday.isoformat(), "--to", today.isoformat(), stdout=out)
    figures = json.loads(out.getvalue())["figures"]
    assert (figures["crossings"], figures["alerts"], figures["alerts_confirmed"]) == (1, 1, 1)
    assert figures["deportations_received"] == {"HN": 12} and figures["minors_unaccompanied"] == 1
