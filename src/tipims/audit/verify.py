"""Checking the audit chain: every event's hash, every link, the sequence and the head."""

from __future__ import annotations

from dataclasses import dataclass

from tipims.audit.models import GENESIS_HASH, AuditEvent, AuditHead


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    head_hash: str
    bad_seq: int | None = None
    bad_id: int | None = None
    reason: str = ""


def verify_chain(*, chunk_size: int = 5000, progress=None) -> Verification:
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    queryset = AuditEvent.objects.order_by("seq")
    for event in queryset.iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return Verification(
                False,
                count,
                expected_prev,
                event.seq,
                event.pk,
                f"sequence jumps from {expected_seq - 1} to {event.seq}: events were removed or inserted",
            )
        if event.prev_hash != expected_prev:
            return Verification(
                False,
                count,
                expected_prev,
                event.seq,
                event.pk,
                "its link to the previous event is broken: "
                "an event before it was altered, removed or inserted",
            )
        if event.compute_hash() != event.hash:
            return Verification(
                False,
                count,
                expected_prev,
                event.seq,
                event.pk,
                "its content does not match its hash: the row was altered",
            )
        expected_prev = event.hash
        expected_seq += 1
        count += 1
        if progress is not None and count % chunk_size == 0:
            progress(count)
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != count or head_hash != expected_prev:
        return Verification(
            False,
            count,
            expected_prev,
            count + 1 if head_seq > count else head_seq,
            None,
            f"the chain ends at event #{count} but the head records event #{head_seq}: "
            "the newest events were removed, or the head was altered",
        )
    return Verification(True, count, expected_prev)
