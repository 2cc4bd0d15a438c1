"""Screening of people against the watchlist: an in-memory blocked index of the active entries.

The index holds the decrypted, normalised names of the active entries in the memory of the process
only (never written anywhere), and is brought up to date by the entries that changed when the
watchlist changes (approval, withdrawal, expiry). A crossing is compared only
with the entries that share a blocking key with it (``matching.blocking_keys``), so one screening
costs a few hundred comparisons, not one per entry.
"""

from __future__ import annotations

import datetime
import gc
import threading
import time
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone
from rapidfuzz import fuzz, process

from tipims.core import matching
from tipims.core.matching import Match, Name, Person

# Quick whole-name comparison (0-100, rapidfuzz's Indel ratio of the name words in sorted order, which is
# token_sort_ratio) under which a candidate is not compared field by field. Measured on the generated
# variants of benchmarks/screening.py (typing errors, swapped or missing surnames, particles, accents):
# no true hit scores between 60 and 70, and 65 compares a third as many candidates as 60.
PREFILTER = 65


@dataclass(frozen=True)
class Hit:
    key: Hashable  # the entry's identifier in the index (a primary key, or a CSV row's id)
    match: Match


class WatchlistIndex:
    """Entries by position in flat lists, their blocks as lists of positions.

    Kept flat so that one screening touches few Python objects: the candidates' positions from the
    blocks, their pre-sorted name words for the quick comparison in rapidfuzz's C code, and the full
    field-by-field comparison only for the few that pass it.
    """

    def __init__(self, entries: Iterable[tuple[Hashable, Person]] = ()):
        self.keys: list[Hashable | None] = []  # None: removed
        self.people: list[Person | None] = []
        self.texts: list[str] = []  # every name variant's words, sorted, for the quick comparison
        self.positions: dict[Hashable, int] = {}
        self.blocks: dict[str, list[int]] = defaultdict(list)
        for key, person in entries:
            self.add(key, person)

    def __len__(self) -> int:
        return len(self.positions)

    def __contains__(self, key: Hashable) -> bool:
        return key in self.positions

    def add(self, key: Hashable, person: Person) -> None:
        if key in self.positions:
            self.remove(key)
        position = len(self.keys)
        self.keys.append(key)
        self.people.append(person)
        self.texts.append(_text(person))
        self.positions[key] = position
        for block in matching.blocking_keys(person):
            self.blocks[block].append(position)

    def remove(self, key: Hashable) -> None:
        """Forget an entry (withdrawn, expired): its slot stays, empty, and no block yields it again."""
        position = self.positions.pop(key, None)
        if position is not None:
            self.keys[position] = None
            self.people[position] = None

    def person(self, key: Hashable) -> Person:
        return self.people[self.positions[key]]

    def candidates(self, person: Person) -> set[Hashable]:
        return {self.keys[p] for p in self._positions(person) if self.keys[p] is not None}

    def _positions(self, person: Person) -> set[int]:
        found: set[int] = set()
        blocks = self.blocks
        for block in matching.blocking_keys(person):
            listed = blocks.get(block)
            if listed:
                found.update(listed)
        return found

    def screen(self, person: Person, threshold: float) -> list[Hit]:
        """The entries that agree with ``person`` at or above ``threshold``, best first.

        Candidates from the blocks first pass a quick whole-name comparison (PREFILTER); only those,
        and every candidate sharing a document, get the full field-by-field comparison.
        """
        positions = list(self._positions(person))
        if not positions:
            return []
        texts = self.texts
        kept = {
            positions[n]
            for _, _, n in process.extract(
                _text(person),
                [texts[p] for p in positions],
                scorer=fuzz.ratio,
                score_cutoff=PREFILTER,
                limit=None,
            )
        }
        for index in person.documents:
            kept.update(self.blocks.get(f"d:{index}", ()))
        hits = []
        for position in kept:
            entry = self.people[position]
            if entry is None:
                continue
            match = matching.compare(person, entry)
            if match.score >= threshold:
                hits.append(Hit(self.keys[position], match))
        hits.sort(key=lambda hit: -hit.match.score)
        return hits

    def screen_many(self, people: Iterable[Person], threshold: float) -> list[list[Hit]]:
        """``screen`` for each person, in order; a person seen before is not compared again."""
        done: dict[Person, list[Hit]] = {}
        results = []
        for person in people:
            hits = done.get(person)
            if hits is None:
                hits = done[person] = self.screen(person, threshold)
            results.append(hits)
        return results


def _text(person: Person) -> str:
    words = set()
    for name in person.names:
        words.update(name.given)
        words.update(name.surnames)
    return " ".join(sorted(words))


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

# How long a process trusts its index without asking the database whether the watchlist changed. A
# change made in this process is seen at once (``watchlist_changed``); one made by another process
# (another web worker) within this many seconds. The question costs one aggregate query, which is why
# it is not asked for every crossing.
VERSION_TTL = 2.0


@dataclass
class _Live:
    version: tuple
    checked: float
    index: WatchlistIndex
    owners: dict[int, int]  # entry -> owning institution
    stamps: dict[int, datetime.datetime]  # entry -> updated_at when it was indexed


_lock = threading.Lock()
_live: _Live | None = None


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


def _index_entries(live: _Live, entries) -> None:
    for entry in entries.prefetch_related("documents").iterator(chunk_size=2000):
        live.index.add(entry.pk, entry_person(entry))
        live.owners[entry.pk] = entry.institution_id
        live.stamps[entry.pk] = entry.updated_at


def _refresh(live: _Live) -> None:
    """Bring the index up to date by the entries that changed: no full rebuild, no decryption of the
    entries that did not change (a rebuild of 100,000 entries takes seconds)."""
    current = dict(_active_entries().values_list("id", "updated_at"))
    for key in [key for key in live.stamps if key not in current]:  # withdrawn, expired
        live.index.remove(key)
        del live.owners[key], live.stamps[key]
    changed = [key for key, stamp in current.items() if live.stamps.get(key) != stamp]
    for start in range(0, len(changed), 900):
        _index_entries(live, _active_entries().filter(pk__in=changed[start : start + 900]))


def active_index() -> tuple[WatchlistIndex, dict[int, int]]:
    """The index of the active, unexpired entries and each entry's owning institution."""
    global _live
    now = time.monotonic()
    live = _live
    if live is not None and now - live.checked < VERSION_TTL:
        return live.index, live.owners
    version = _version()
    with _lock:
        if _live is None:
            _live = _Live(version, now, WatchlistIndex(), {}, {})
            _index_entries(_live, _active_entries())
            # The index lives as long as the process: move it (and what is already loaded) out of the
            # garbage collector's reach, so that full collections do not walk 100,000 entries in the
            # middle of a screening (the cause of latency spikes).
            gc.freeze()
        elif _live.version != version:
            _refresh(_live)
            _live.version = version
        _live.checked = now
        return _live.index, _live.owners


def watchlist_changed() -> None:
    """This process changed the watchlist: check the database before the next screening."""
    live = _live
    if live is not None:
        live.checked = float("-inf")


def forget_index() -> None:
    global _live
    with _lock:
        _live = None


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
