"""Reads of the linkage graph: the review queue, one pair side by side, and unique counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from tipims.accounts import policy
from tipims.accounts.policy import Capability, FieldGroup
from tipims.linkage.models import MatchJudgement, PersonResolution, Source
from tipims.linkage.services import REVIEW_CEILING, SUGGESTION_FLOOR, effective_judgements
from tipims.people.models import PersonRecord
from tipims.people.selectors import PersonView, person_view


def review_queue_for_user(user) -> list[MatchJudgement]:
    """Machine suggestions in the uncertain band that no human has settled, most uncertain first."""
    if not policy.has_capability(user, Capability.REVIEW_LINKAGE):
        return []
    pending = [
        j
        for j in effective_judgements().values()
        if j.source == Source.MACHINE and SUGGESTION_FLOOR <= (j.score or 0) < REVIEW_CEILING
    ]
    return sorted(pending, key=lambda j: abs((j.score or 0) - 0.9))


@dataclass
class PairView:
    judgement: MatchJudgement
    left: PersonView
    right: PersonView
    identities_shown: bool
    history: list[MatchJudgement]


def pair_for_user(user, judgement_id: int) -> PairView:
    if not policy.has_capability(user, Capability.REVIEW_LINKAGE):
        raise Http404
    judgement = MatchJudgement.objects.filter(pk=judgement_id).first()
    if judgement is None:
        raise Http404
    records = {
        r.pk: r
        for r in PersonRecord.objects.select_related("institution").filter(
            pk__in=[judgement.record_a_id, judgement.record_b_id]
        )
    }
    left, right = records[judgement.record_a_id], records[judgement.record_b_id]
    # Full identities only to a reviewer allowed to see both records; otherwise both stay pseudonymous.
    both = all(FieldGroup.IDENTITY in policy.field_groups(user, record) for record in (left, right))
    left_view, right_view = (
        (person_view(user, left), person_view(user, right))
        if both
        else (
            _pseudonymous(user, left),
            _pseudonymous(user, right),
        )
    )
    history = list(
        MatchJudgement.objects.filter(record_a_id=judgement.record_a_id, record_b_id=judgement.record_b_id)
    )
    return PairView(judgement, left_view, right_view, both, history)


def _pseudonymous(user, record: PersonRecord) -> PersonView:
    from tipims.people.selectors import _view

    return _view(user, record, frozenset({FieldGroup.CASE}), with_changes=False)


def unique_persons(records: QuerySet[PersonRecord]) -> int:
    """How many humans these records are: each resolved person once, unresolved records one each."""
    resolved = PersonResolution.objects.filter(record__in=records).values("person").distinct().count()
    unresolved = records.exclude(pk__in=PersonResolution.objects.values("record")).count()
    return resolved + unresolved
