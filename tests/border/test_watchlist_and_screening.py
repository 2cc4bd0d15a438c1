import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from tests.border.conftest import an_hour_ago, record_person
from tipims.border import services
from tipims.border.models import Alert, WatchlistEntry
from tipims.border.selectors import alerts_for_user, watchlist_for_user
from tipims.people.services import DocumentInput

pytestmark = pytest.mark.django_db


def _propose(actor, source, **extra):
    values = {
        "given_names": "Mario",
        "surname1": "Cifuentes",
        "surname2": "Ajanel",
        "reason": "arrest_warrant",
        "source_institution": source,
        "expires_on": timezone.localdate() + datetime.timedelta(days=90),
    } | extra
    return services.watchlist_entry_create(actor=actor, values=values)


def test_an_entry_stays_inactive_until_a_second_user_approves_it(detective, second_detective, police_unit):
    entry = _propose(detective, police_unit)
    assert entry.status == "pending"
    with pytest.raises(ValidationError) as error:
        services.watchlist_entry_approve(actor=detective, entry=entry)
    assert "approved_by" in error.value.message_dict
    entry = services.watchlist_entry_approve(actor=second_detective, entry=entry)
    assert entry.status == "active" and entry.approved_by == second_detective


def test_the_database_itself_refuses_an_entry_approved_by_its_author(detective, police_unit):
    from django.db import IntegrityError, transaction

    entry = _propose(detective, police_unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchlistEntry.objects.filter(pk=entry.pk).update(status="active", approved_by=detective)


def test_documents_are_kept_only_as_keyed_hashes(detective, police_unit):
    entry = services.watchlist_entry_create(
        actor=detective,
        values={
            "surname1": "Cifuentes",
            "reason": "stolen_document",
            "source_institution": police_unit,
            "expires_on": timezone.localdate() + datetime.timedelta(days=9),
        },
        documents=[DocumentInput("PASSPORT", "GT 5550001")],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM border_watchlistdocument WHERE entry_id = %s", [entry.pk])
        row = cursor.fetchone()
    assert "5550001" not in str(row)


def test_an_entry_with_an_expiry_in_the_past_is_refused(detective, police_unit):
    with pytest.raises(ValidationError) as error:
        _propose(detective, police_unit, expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert "expires_on" in error.value.message_dict
    assert WatchlistEntry.objects.count() == 0


def test_a_border_officer_cannot_read_or_write_the_watchlist(officer, wanted, migration):
    assert not watchlist_for_user(officer).exists()
    with pytest.raises(PermissionDenied):
        _propose(officer, migration)


def test_a_misspelled_watchlisted_name_at_el_carmen_sends_to_secondary_inspection(officer, detective, wanted):
    # Surnames swapped, accents and a typing error, day and month of birth swapped.
    traveller = record_person(
        officer, "Biron Estuardo", "Orellana", "Sagastume", born=datetime.date(1975, 12, 3)
    )
    crossing = services.crossing_create(
        actor=officer, person=traveller, point="el-carmen", direction="in", crossed_at=an_hour_ago()
    )
    crossing.refresh_from_db()
    assert crossing.inspection == "secondary"
    alert = Alert.objects.get(crossing=crossing, kind="watchlist")
    assert alert.entry == wanted and alert.institution == wanted.institution
    assert alert.score >= 0.85
    assert "swapped order" in alert.explanation and "day and month swapped" in alert.explanation
    assert list(alerts_for_user(detective)) == [alert]
    assert not alerts_for_user(officer).exists()  # the officer sees only the outcome


def test_a_document_on_the_watchlist_is_found_whatever_the_name(officer, wanted):
    traveller = record_person(officer, "Juan", "Pérez")
    crossing = services.crossing_create(
        actor=officer,
        person=traveller,
        point="la-aurora",
        direction="out",
        crossed_at=an_hour_ago(),
        document_type="PASSPORT",
        document_number="gt-998877",
    )
    alert = Alert.objects.get(crossing=crossing, kind="watchlist")
    assert "keyed hash" in alert.explanation


def test_an_unrelated_traveller_is_not_stopped(officer, wanted):
    traveller = record_person(
        officer, "Sofía", "Xicará", "Paiz", sex="Feminine", born=datetime.date(1990, 5, 1)
    )
    crossing = services.crossing_create(
        actor=officer, person=traveller, point="el-carmen", direction="in", crossed_at=an_hour_ago()
    )
    crossing.refresh_from_db()
    assert crossing.inspection == "clear" and not Alert.objects.exists()


def test_a_withdrawn_entry_no_longer_screens(officer, detective, wanted):
    services.watchlist_entry_set_status(actor=detective, entry=wanted, status="withdrawn")
    traveller = record_person(
        officer, "Byron Estuardo", "Sagastume", "Orellana", born=datetime.date(1975, 3, 12)
    )
    crossing = services.crossing_create(
        actor=officer, person=traveller, point="el-carmen", direction="in", crossed_at=an_hour_ago()
    )
    assert not Alert.objects.filter(crossing=crossing).exists()


def test_an_investigator_confirms_or_dismisses_an_alert_with_a_reason(officer, detective, outsider, wanted):
    traveller = record_person(officer, "Byron", "Sagastume", "Orellana", born=datetime.date(1975, 3, 12))
    crossing = services.crossing_create(
        actor=officer, person=traveller, point="el-carmen", direction="in", crossed_at=an_hour_ago()
    )
    alert = Alert.objects.get(crossing=crossing)
    with pytest.raises(ValidationError) as error:
        services.alert_decide(actor=detective, alert=alert, decision="confirmed", reason="  ")
    assert "decision_reason" in error.value.message_dict
    from django.http import Http404

    with pytest.raises(Http404):  # another police unit's alert is not theirs to decide
        services.alert_decide(actor=outsider, alert=alert, decision="dismissed", reason="no")
    alert = services.alert_decide(
        actor=detective, alert=alert, decision="confirmed", reason="Same person, checked"
    )
    assert alert.status == "confirmed" and alert.decided_by == detective
    with pytest.raises(ValidationError):
        services.alert_decide(actor=detective, alert=alert, decision="dismissed", reason="changed my mind")
