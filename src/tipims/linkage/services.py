"""Writes of the linkage graph: machine suggestions from a linkage run, human decisions, and the
resolved persons recomputed from them. Judgements are only ever added."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.core.writes import field_error
from tipims.linkage import clustering, engine, model
from tipims.linkage.models import (
    Decision,
    MatchJudgement,
    PersonResolution,
    ResolvedPerson,
    Source,
    TrainedModel,
)
from tipims.people.models import PersonRecord

SUGGESTION_FLOOR = 0.5  # machine pairs below this are not kept
MERGE_THRESHOLD = 0.9  # a machine suggestion at or above this joins two records
REVIEW_CEILING = 0.99  # machine suggestions between the floor and this wait for a human


@dataclass(frozen=True)
class RunResult:
    records: int
    suggestions: int
    persons: int


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def effective_judgements() -> dict[tuple[int, int], MatchJudgement]:
    """Per pair, the judgement that counts: the newest human one, else the newest machine one."""
    chosen: dict[tuple[int, int], MatchJudgement] = {}
    for judgement in MatchJudgement.objects.order_by("created_at", "id").iterator():
        key = (judgement.record_a_id, judgement.record_b_id)
        current = chosen.get(key)
        if current is None or judgement.source == Source.HUMAN or current.source == Source.MACHINE:
            chosen[key] = judgement
    return chosen


def resolve_persons() -> int:
    """Recompute resolved persons: human "same" links first, then machine suggestions by falling
    score; no link may join two groups that a human judged not the same person."""
    judgements = effective_judgements()
    apart: dict[int, set[int]] = {}
    for (a, b), judgement in judgements.items():
        if judgement.source == Source.HUMAN and judgement.decision == Decision.NOT_SAME:
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)
    assignment = clustering.cluster(
        PersonRecord.objects.values_list("pk", flat=True),
        (
            (j.score or 0.0, *key)
            for key, j in judgements.items()
            if j.source == Source.MACHINE and j.decision == Decision.SAME
        ),
        threshold=MERGE_THRESHOLD,
        apart=apart,
        first=(
            key for key, j in judgements.items() if j.source == Source.HUMAN and j.decision == Decision.SAME
        ),
    )
    groups: dict[str, list[int]] = {}
    for record_id, group in assignment.items():
        groups.setdefault(group, []).append(record_id)
    with transaction.atomic():
        _store_groups(list(groups.values()))
    return len(groups)


def _store_groups(groups: list[list[int]]) -> None:
    """Write the grouping, touching only the groups that changed: a decision on one pair rewrites a
    few rows of a register of hundreds of thousands, and the resolved persons that did not change
    keep their ids (pages and exports that name them stay right)."""
    current: dict[int, int] = dict(PersonResolution.objects.values_list("record_id", "person_id"))
    members: dict[int, set[int]] = {}
    for record_id, person_id in current.items():
        members.setdefault(person_id, set()).add(record_id)
    changed = []
    for group in groups:
        person_id = current.get(group[0])
        if person_id is None or members[person_id] != set(group):
            changed.append(group)
    if not changed:
        return
    moving = [record_id for group in changed for record_id in group]
    persons = ResolvedPerson.objects.bulk_create([ResolvedPerson() for _ in changed])
    for part in range(0, len(moving), 900):  # under SQLite's limit of variables in one statement
        PersonResolution.objects.filter(record_id__in=moving[part : part + 900]).delete()
    PersonResolution.objects.bulk_create(
        [
            PersonResolution(record_id=record_id, person=person)
            for person, group in zip(persons, changed, strict=True)
            for record_id in group
        ],
        batch_size=2000,
    )
    left = sorted({current[record_id] for record_id in moving if record_id in current})
    for part in range(0, len(left), 900):
        ids = left[part : part + 900]
        kept = PersonResolution.objects.filter(person_id__in=ids).values_list("person_id", flat=True)
        ResolvedPerson.objects.filter(pk__in=set(ids) - set(kept)).delete()


def _people_frame(records: Iterable[PersonRecord]) -> pd.DataFrame:
    rows = []
    for record in records:
        document = next(iter(record.documents.all()), None)
        rows.append(
            {
                "record_id": str(record.pk),
                "given_names": record.given_names,
                "surname1": record.surname1,
                "surname2": record.surname2,
                "sex": {"Feminine": "f", "Masculine": "m"}.get(record.sex, ""),
                "date_of_birth": record.birth_date.isoformat() if record.birth_date else "",
                "nationality": (record.citizenships or [""])[0],
                "document_number": document.number if document else "",
                "address": record.address,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "record_id",
            "given_names",
            "surname1",
            "surname2",
            "sex",
            "date_of_birth",
            "nationality",
            "document_number",
            "address",
        ],
    )


def linkage_run(*, actor=None, progress=lambda message: None, records=None) -> RunResult:
    """Link every person record (or those of ``records``, a queryset); keep new machine suggestions and
    the trained model (for incremental runs); recompute resolved persons."""
    chosen = PersonRecord.objects.all() if records is None else records
    records = list(chosen.prefetch_related("documents").order_by("pk"))
    if len(records) < 2:
        return RunResult(len(records), 0, resolve_persons())
    result = engine.link(_people_frame(records), threshold=MERGE_THRESHOLD, progress=progress)
    with transaction.atomic():
        TrainedModel.objects.create(
            version=model.MODEL_VERSION, settings=result.model_json, records=len(records)
        )
        return _keep_suggestions(result.pairs, actor=actor, records=len(records))


def linkage_run_new(*, actor=None, progress=lambda message: None) -> RunResult:
    """Link only the records that no run has resolved yet against the whole register, with the model
    the last full run trained. Without a trained model of the current version, runs in full."""
    trained = TrainedModel.objects.filter(version=model.MODEL_VERSION).first()
    new_ids = set(PersonRecord.objects.filter(resolution__isnull=True).values_list("pk", flat=True))
    if trained is None:
        progress("no trained model of this version yet: linking every record")
        return linkage_run(actor=actor, progress=progress)
    if not new_ids:
        return RunResult(PersonRecord.objects.count(), 0, resolve_persons())
    records = list(PersonRecord.objects.prefetch_related("documents").order_by("pk"))
    progress(f"scoring {len(new_ids)} new records against {len(records) - len(new_ids)}")
    pairs = engine.link_new(
        _people_frame(records), {str(pk) for pk in new_ids}, trained.settings, threshold=SUGGESTION_FLOOR
    )
    with transaction.atomic():
        return _keep_suggestions(pairs, actor=actor, records=len(records))


def _keep_suggestions(pairs, *, actor, records: int) -> RunResult:
    """Store the machine's new suggestions (never over a judgement already kept) and re-resolve."""
    known = {
        (j.record_a_id, j.record_b_id, j.model_version)
        for j in MatchJudgement.objects.filter(source=Source.MACHINE)
    }
    new = []
    for left, right, probability, explanation in pairs.itertuples(index=False):
        if probability < SUGGESTION_FLOOR:
            continue
        a, b = _pair(int(left), int(right))
        if (a, b, model.MODEL_VERSION) in known:
            continue
        new.append(
            MatchJudgement(
                record_a_id=a,
                record_b_id=b,
                decision=Decision.SAME,
                source=Source.MACHINE,
                score=round(float(probability), 4),
                explanation=list(explanation),
                model_version=model.MODEL_VERSION,
            )
        )
    MatchJudgement.objects.bulk_create(new, batch_size=2000)
    persons = resolve_persons()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="linkage.matchjudgement",
        fields=["machine_suggestions"],
    )
    return RunResult(records, len(new), persons)


@transaction.atomic
def judgement_record(
    *, actor, record_a: PersonRecord, record_b: PersonRecord, decision: str, note: str = ""
) -> MatchJudgement:
    """A human decision on a pair; it supersedes the machine and earlier humans, and is kept forever."""
    if not policy.has_capability(actor, Capability.REVIEW_LINKAGE):
        raise PermissionDenied(_("Only linkage reviewers decide whether two records are the same person."))
    if decision not in Decision.values:
        raise field_error("decision", _("Choose same, not the same, or unsure."))
    if record_a.pk == record_b.pk:
        raise field_error("record_b", _("A record is always the same person as itself."))
    a, b = _pair(record_a.pk, record_b.pk)
    judgement = MatchJudgement.objects.create(
        record_a_id=a, record_b_id=b, decision=decision, source=Source.HUMAN, actor=actor, note=note[:300]
    )
    resolve_persons()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=judgement,
        fields=["decision", *(["note"] if note else [])],
    )
    return judgement


@transaction.atomic
def record_split(*, actor, record: PersonRecord, note: str = "") -> int:
    """Take a record out of its resolved person: judged not the same as each other member."""
    resolution = PersonResolution.objects.filter(record=record).select_related("person").first()
    if resolution is None:
        return 0
    others = PersonRecord.objects.filter(resolution__person=resolution.person).exclude(pk=record.pk)
    count = 0
    for other in others:
        judgement_record(actor=actor, record_a=record, record_b=other, decision=Decision.NOT_SAME, note=note)
        count += 1
    return count
