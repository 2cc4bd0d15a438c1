"""Indicator rules: patterns at the border that suggest trafficking, with thresholds in a data file
(``data/indicator_rules.json``). Each rule returns the plain explanation of why it fired, quoting the
threshold it used, or None."""

from __future__ import annotations

import bisect
import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils.translation import get_language

from tipims.core import matching

RULES_FILE = Path(__file__).parent / "data" / "indicator_rules.json"
_REQUIRED = {
    "minor_unrelated_adult": ("relations_that_protect",),
    "adult_many_minors": ("days", "minors", "relations_of_family"),
    "document_many_names": ("days",),
    "repeated_deportation": ("days", "times"),
    "frequent_crossings": ("days", "crossings"),
}


@cache
def load_rules() -> dict:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    rules = data.get("rules", {})
    for name, keys in _REQUIRED.items():
        rule = rules.get(name)
        if rule is None:
            raise ImproperlyConfigured(f"{RULES_FILE.name}: the rule {name!r} is missing")
        for key in (*keys, "enabled", "es", "en"):
            if key not in rule:
                raise ImproperlyConfigured(f"{RULES_FILE.name}: the rule {name!r} lacks {key!r}")
    threshold = data.get("screening_threshold")
    if not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise ImproperlyConfigured(f"{RULES_FILE.name}: screening_threshold must be between 0 and 1")
    return data


def screening_threshold() -> float:
    return float(load_rules()["screening_threshold"])


def rule(name: str) -> dict:
    return load_rules()["rules"][name]


def _say(name: str, **values) -> str:
    settings = rule(name)
    language = (get_language() or "es")[:2]
    text = settings["en"] if language == "en" else settings["es"]
    return text.format(**{**settings, **values})


@dataclass(frozen=True)
class Finding:
    kind: str
    explanation: str
    details: dict


def _window(crossing, days: int) -> tuple[datetime.datetime, datetime.datetime]:
    return crossing.crossed_at - datetime.timedelta(days=days), crossing.crossed_at


def minor_unrelated_adult(crossing) -> Finding | None:
    settings = rule("minor_unrelated_adult")
    if not settings["enabled"] or not crossing.is_minor:
        return None
    unprotected = [
        c for c in crossing.companions.all() if c.relation not in settings["relations_that_protect"]
    ]
    if not unprotected:
        return None
    relations = ", ".join(sorted({c.relation for c in unprotected}))
    return Finding(
        "minor_unrelated_adult",
        _say("minor_unrelated_adult", relation=relations),
        {"adults": [c.adult.reference for c in unprotected], "relations": relations},
    )


def _adult_q(adult) -> Q:
    indexes = [d.number_index for d in adult.documents.all()]
    condition = Q(adult=adult)
    if indexes:
        condition |= Q(adult__documents__number_index__in=indexes)
    return condition


def adult_many_minors(crossing) -> Finding | None:
    from tipims.border.models import CrossingCompanion

    settings = rule("adult_many_minors")
    if not settings["enabled"] or not crossing.is_minor:
        return None
    start, end = _window(crossing, settings["days"])
    protective = settings["relations_of_family"]
    for companion in crossing.companions.all():
        if companion.relation in protective:
            continue
        minors = (
            CrossingCompanion.objects.filter(
                _adult_q(companion.adult),
                crossing__crossed_at__range=(start, end),
                crossing__is_minor=True,
            )
            .exclude(relation__in=protective)
            .values_list("crossing__person_id", flat=True)
            .distinct()
        )
        count = len(set(minors))
        if count >= settings["minors"]:
            return Finding(
                "adult_many_minors",
                _say("adult_many_minors", count=count),
                {"adult": companion.adult.reference, "minors": count},
            )
    return None


def document_many_names(crossing) -> Finding | None:
    from tipims.border.models import Crossing

    settings = rule("document_many_names")
    if not settings["enabled"] or not crossing.document_index:
        return None
    start, end = _window(crossing, settings["days"])
    others = (
        Crossing.objects.filter(document_index=crossing.document_index, crossed_at__range=(start, end))
        .exclude(person_id=crossing.person_id)
        .select_related("person")[:50]
    )
    names = [
        matching.Name.of(crossing.person.given_names, crossing.person.surname1, crossing.person.surname2)
    ]
    for other in others:
        name = matching.Name.of(other.person.given_names, other.person.surname1, other.person.surname2)
        if all(_different(name, known) for known in names):
            names.append(name)
    if len(names) < 2:
        return None
    return Finding(
        "document_many_names", _say("document_many_names", count=len(names)), {"names": len(names)}
    )


def _different(a: matching.Name, b: matching.Name) -> bool:
    surnames, given = matching.compare_names(a, b)
    return surnames.score < 0.8 or given.score < 0.8


def repeated_deportation(crossing) -> Finding | None:
    from tipims.border.models import Crossing

    settings = rule("repeated_deportation")
    if not settings["enabled"] or not crossing.deported or not crossing.document_index:
        return None
    start, end = _window(crossing, settings["days"])
    count = Crossing.objects.filter(
        document_index=crossing.document_index, deported=True, crossed_at__range=(start, end)
    ).count()
    if count >= settings["times"]:
        return Finding("repeated_deportation", _say("repeated_deportation", count=count), {"times": count})
    return None


def frequent_crossings(crossing) -> Finding | None:
    from tipims.border.models import Crossing

    settings = rule("frequent_crossings")
    if not settings["enabled"] or not crossing.document_index:
        return None
    start, end = _window(crossing, settings["days"])
    count = Crossing.objects.filter(
        document_index=crossing.document_index, crossed_at__range=(start, end)
    ).count()
    if count >= settings["crossings"]:
        return Finding("frequent_crossings", _say("frequent_crossings", count=count), {"crossings": count})
    return None


RULES = (
    minor_unrelated_adult,
    adult_many_minors,
    document_many_names,
    repeated_deportation,
    frequent_crossings,
)


def evaluate(crossing) -> list[Finding]:
    return [finding for check in RULES if (finding := check(crossing)) is not None]


# --- the same rules over a bulk import ----------------------------------------------------------------

DOCUMENT_RULES = ("document_many_names", "repeated_deportation", "frequent_crossings")


@dataclass(frozen=True)
class _Seen:
    pk: int
    at: datetime.datetime
    deported: bool
    person_id: int


def evaluate_imported(imported: Q, documents: Iterable[str] | None = None) -> list[tuple[int, Finding]]:
    """The document rules for every crossing ``imported`` selects, in a few queries: (crossing id,
    finding) pairs, as ``evaluate`` would have found them one crossing at a time.

    The travel-companion rules need companions, which an export of crossings does not carry. Only the
    documents used more than once can fire a document rule, so only their crossings are read.
    ``documents`` are those documents (keyed hashes) when the caller knows them already: the bulk
    import learns them while it loads, which spares counting the crossings of every imported document
    (5 s for a million). Without it they are counted here.
    """
    from tipims.border.models import Crossing

    enabled = [name for name in DOCUMENT_RULES if rule(name)["enabled"]]
    if not enabled:
        return []
    mine = Crossing.objects.filter(imported).exclude(document_index="")
    if documents is None:
        repeated = (
            Crossing.objects.filter(document_index__in=mine.values("document_index"))
            .values("document_index")
            .annotate(times=Count("id"))
            .filter(times__gt=1)
            .values_list("document_index", flat=True)
        )
        documents = list(repeated)
    else:
        documents = sorted(d for d in documents if d)
    by_document: dict[str, list[_Seen]] = {}
    imported_ids = set()
    # Each document's crossings, marked when imported: one query per part (a second one for the
    # imported ones took three times as long: SQLite walked the institution's crossings for it).
    marked = Case(When(imported, then=Value(True)), default=Value(False), output_field=BooleanField())
    for start in range(0, len(documents), 900):
        part = documents[start : start + 900]
        for pk, document, at, deported, person_id, is_imported in (
            Crossing.objects.filter(document_index__in=part)
            .annotate(is_imported=marked)
            .values_list("pk", "document_index", "crossed_at", "deported", "person_id", "is_imported")
        ):
            by_document.setdefault(document, []).append(_Seen(pk, at, deported, person_id))
            if is_imported:
                imported_ids.add(pk)
    findings: list[tuple[int, Finding]] = []
    names = _NamesOnDemand()
    for seen in by_document.values():
        seen.sort(key=lambda s: (s.at, s.pk))
        times = [s.at for s in seen]
        for position, crossing in enumerate(seen):
            if crossing.pk not in imported_ids:
                continue
            for name in enabled:
                days = rule(name)["days"]
                first = bisect.bisect_left(times, crossing.at - datetime.timedelta(days=days))
                window = seen[first : position + 1]
                finding = _document_rule(name, crossing, window, names)
                if finding is not None:
                    findings.append((crossing.pk, finding))
    return findings


def _document_rule(name: str, crossing: _Seen, window: list[_Seen], names) -> Finding | None:
    settings = rule(name)
    if name == "frequent_crossings":
        count = len(window)
        if count >= settings["crossings"]:
            return Finding(name, _say(name, count=count), {"crossings": count})
    elif name == "repeated_deportation":
        if not crossing.deported:
            return None
        count = sum(1 for s in window if s.deported)
        if count >= settings["times"]:
            return Finding(name, _say(name, count=count), {"times": count})
    elif name == "document_many_names":
        people = list(dict.fromkeys([crossing.person_id, *(s.person_id for s in window)]))
        if len(people) < 2:
            return None
        distinct: list[matching.Name] = []
        for person_id in people:
            written = names.of(person_id)
            if all(_different(written, known) for known in distinct):
                distinct.append(written)
        if len(distinct) >= 2:
            return Finding(name, _say(name, count=len(distinct)), {"names": len(distinct)})
    return None


class _NamesOnDemand:
    """Person records' names, decrypted only for the documents that need them, once each."""

    def __init__(self):
        self.cache: dict[int, matching.Name] = {}

    def of(self, person_id: int) -> matching.Name:
        if person_id not in self.cache:
            from tipims.people.models import PersonRecord

            person = PersonRecord.objects.only("given_names", "surname1", "surname2").get(pk=person_id)
            self.cache[person_id] = matching.Name.of(person.given_names, person.surname1, person.surname2)
        return self.cache[person_id]
