"""Screening of people against the watchlist: an in-memory blocked index of the active entries.

The index holds the decrypted, normalised names of the active entries in the memory of the process
only (never written anywhere), and is rebuilt when the watchlist changes. A crossing is compared only
with the entries that share a blocking key with it (``matching.blocking_keys``), so one screening
costs a few hundred comparisons, not one per entry.
"""

from __future__ import annotations

import datetime
import threading
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone
from rapidfuzz import fuzz, process

from tipims.core import matching
from tipims.core.matching import Match, Name, Person

PREFILTER = 60  # token set ratio (0-100) under which two whole names cannot reach the threshold


@dataclass(frozen=True)
class Hit:
    key: Hashable  # the entry's identifier in the index (a primary key, or a CSV row's id)
    match: Match


class WatchlistIndex:
    def __init__(self, entries: Iterable[tuple[Hashable, Person]] = ()):
        self.people: dict[Hashable, Person] = {}
        self.texts: dict[Hashable, str] = {}  # every name variant's words, for the quick pre-filter
        self.blocks: dict[str, list[Hashable]] = defaultdict(list)
        for key, person in entries:
            self.add(key, person)

    def __len__(self) -> int:
        return len(self.people)

    def add(self, key: Hashable, person: Person) -> None:
        self.people[key] = person
        self.texts[key] = _text(person)
        for block in matching.blocking_keys(person):
            self.blocks[block].append(key)

    def candidates(self, person: Person) -> set[Hashable]:
        found: set[Hashable] = set()
        for block in matching.blocking_keys(person):
            found.update(self.blocks.get(block, ()))
        return found

    def screen(self, person: Person, threshold: float) -> list[Hit]:
        """The entries that agree with ``person`` at or above ``threshold``, best first.

        Candidates from the blocks first pass a quick whole-name comparison in rapidfuzz's C code
        (token set ratio, generous cut-off, so a name that could still reach the threshold is kept);
        only those, and every candidate sharing a document, get the full field-by-field comparison.
        """
        candidates = list(self.candidates(person))
        if not candidates:
            return []
        documents = {f"d:{index}" for index in person.documents}
        by_document = set()
        for block in documents:
            by_document.update(self.blocks.get(block, ()))
        texts = [self.texts[key] for key in candidates]
        kept = {
            candidates[position]
            for _, _, position in process.extract(
                _text(person), texts, scorer=fuzz.token_set_ratio, score_cutoff=PREFILTER, limit=None
            )
        }
        hits = []
        for key in kept | by_document:
            match = matching.compare(person, self.people[key])
            if match.score >= threshold:
                hits.append(Hit(key, match))
        hits.sort(key=lambda hit: -hit.match.score)
        return hits


def _text(person: Person) -> str:
    words = []
    for name in person.names:
        words.extend(name.given)
        words.extend(name.surnames)
    return " ".join(dict.fromkeys(words))


def brute_force_screen(entries: dict[Hashable, Person], person: Person, threshold: float) -> list[Hit]:
    """The same comparison with every entry: the baseline the benchmark measures the index against."""
    hits = [
        Hit(key, m) for key, p in entries.items() if (m := matching.compare(person, p)).score >= threshold
    ]
    hits.sort(key=lambda hit: -hit.match.score)
    return hits


def names_of(given_names: str, surname1: str, surname2: str, variants: str = "") -> tuple[Name, ...]:
    """The main name and every variant line ('given / first surname / second surname')."""
    names = [Name.of(given_names, surname1, surname2)]
    for line in (variants or "").splitlines():
        parts = [part.strip() for part in line.split("/")]
        if any(parts):
            parts += [""] * (3 - len(parts))
            names.append(Name.of(parts[0], parts[1], parts[2]))
    return tuple(dict.fromkeys(names))


# --- the live index of the database's active entries ---------------------------------------------

_lock = threading.Lock()
_cached: tuple[tuple, WatchlistIndex, dict[int, int]] | None = None


def _active_entries():
    from tipims.border.models import WatchlistEntry

    return WatchlistEntry.objects.filter(status="active", expires_on__gte=timezone.localdate())


def _version() -> tuple:
    summary = _active_entries().aggregate(count=Count("id"), latest=Max("updated_at"), top=Max("id"))
    return (summary["count"], summary["latest"], summary["top"], timezone.localdate())


def entry_person(entry) -> Person:
    return Person(
        names=names_of(entry.given_names, entry.surname1, entry.surname2, entry.name_variants),
        birth_date=entry.birth_date,
        birth_year_only=entry.birth_year_only,
        documents=frozenset(d.number_index for d in entry.documents.all()),
    )


def active_index() -> tuple[WatchlistIndex, dict[int, int]]:
    """The index of the active, unexpired entries and each entry's owning institution."""
    global _cached
    version = _version()
    with _lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1], _cached[2]
        index = WatchlistIndex()
        owners: dict[int, int] = {}
        for entry in _active_entries().prefetch_related("documents").iterator(chunk_size=2000):
            index.add(entry.pk, entry_person(entry))
            owners[entry.pk] = entry.institution_id
        _cached = (version, index, owners)
        return index, owners


def forget_index() -> None:
    global _cached
    with _lock:
        _cached = None


def person_of_record(record, extra_documents: Iterable[str] = ()) -> Person:
    """A person record (with its documents) as screening compares it."""
    from tipims.people.models import BirthDatePrecision

    year_only = record.birth_date_precision in (BirthDatePrecision.YEAR, BirthDatePrecision.ESTIMATED)
    birth = record.birth_date if record.birth_date_precision != BirthDatePrecision.UNKNOWN else None
    if birth is None and record.estimated_age is not None:
        estimated_on = record.age_estimated_on or timezone.localdate()
        birth = datetime.date(estimated_on.year - record.estimated_age, 1, 1)
        year_only = True
    documents = {d.number_index for d in record.documents.all()} | set(extra_documents)
    return Person(
        names=names_of(record.given_names, record.surname1, record.surname2),
        birth_date=birth,
        birth_year_only=year_only,
        documents=frozenset(index for index in documents if index),
    )
