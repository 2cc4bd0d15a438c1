"""The audit trail is append-only and its hash chain shows any tampering, naming the first bad event."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tipims.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from tipims.audit.services import audit_record
from tipims.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(owner):
    for number in range(5):
        audit_record(
            actor=owner,
            action="change",
            object_type="people.personrecord",
            object_id=str(number),
            fields=["sex"],
        )
    return list(AuditEvent.objects.order_by("seq"))


def drop_triggers():
    """What an insider with database access would do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("audit_event_no_update", "audit_event_no_delete", "audit_head_no_delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent")
            cursor.execute("DROP TRIGGER IF EXISTS audit_head_no_delete ON audit_audithead")


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_event_hashes_the_one_before(events):
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1
    assert AuditHead.objects.get().hash == events[-1].hash


def test_an_intact_chain_verifies(events, capsys):
    result = verify_chain()
    assert result.ok and result.events == len(events) + AuditEvent.objects.count() - len(events)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "audit chain intact" in out and events[-1].hash in out


def test_the_database_refuses_to_update_an_event(events):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("UPDATE audit_auditevent SET action = 'view' WHERE seq = %s", [events[1].seq])


def test_the_database_refuses_to_delete_an_event(events):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM audit_auditevent WHERE seq = %s", [events[1].seq])


def test_the_orm_cannot_delete_events_either(events):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()


def test_verify_names_an_altered_event(events):
    drop_triggers()
    target = events[2]
    raw("UPDATE audit_auditevent SET fields = %s WHERE seq = %s", ['["given_names"]', target.seq])
    result = verify_chain()
    assert not result.ok and result.bad_seq == target.seq
    assert "altered" in result.reason
    with pytest.raises(CommandError, match=f"event #{target.seq}") as error:
        call_command("audit", "verify")
    assert error.value.returncode == 1


def test_verify_names_the_gap_of_a_removed_event(events):
    drop_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [events[2].seq])
    result = verify_chain()
    assert not result.ok and result.bad_seq == events[3].seq
    assert "removed" in result.reason


def test_verify_notices_an_inserted_event_even_with_a_recomputed_hash(events):
    """An insider who recomputes one row's hash still breaks the link of the next one."""
    drop_triggers()
    forged = AuditEvent(
        **{f.name: getattr(events[2], f.name) for f in AuditEvent._meta.concrete_fields if f.name != "id"}
    )
    forged.action = "delete"
    forged.hash = forged.compute_hash()
    raw(
        "UPDATE audit_auditevent SET action = %s, hash = %s WHERE seq = %s",
        [forged.action, forged.hash, events[2].seq],
    )
    result = verify_chain()
    assert not result.ok and result.bad_seq == events[3].seq


def test_verify_notices_that_the_newest_events_were_removed(events):
    drop_triggers()
    raw("DELETE FROM audit_auditevent WHERE seq >= %s", [events[3].seq])
    result = verify_chain()
    assert not result.ok
    assert "newest events were removed" in result.reason


def test_verify_with_an_expected_head_catches_a_replaced_trail(events):
    with pytest.raises(CommandError, match="not the expected"):
        call_command("audit", "verify", "--expect-head", "f" * 64)
