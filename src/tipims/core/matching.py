"""Comparisons of two people's names, dates of birth and documents, for screening and linkage.

Each comparison is a small function. The function that decides a field's agreement level names it, and
its docstring is the explanation a reviewer sees (``explain``), so what the reviewer reads is exactly
what the code did. Names are compared as Hispanic names are written: given names and both surnames
separately and crosswise, particles (de, del, de la, y) and accents ignored (``normalise.name_tokens``),
typing errors tolerated through Jaro-Winkler similarity (rapidfuzz), dates with swapped day and month
recognised, documents compared only by their keyed hash.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz.distance import JaroWinkler

from tipims.core.normalise import name_tokens

SIMILAR = 0.88  # Jaro-Winkler similarity from which two name words count as "the same but for a typo"


@dataclass(frozen=True)
class Name:
    """One way a person's name is written, normalised once so it can be compared many times."""

    given: tuple[str, ...]
    surname1: str
    surname2: str

    @classmethod
    def of(cls, given_names: str, surname1: str, surname2: str = "") -> Name:
        first = " ".join(name_tokens(surname1 or ""))
        second = " ".join(name_tokens(surname2 or ""))
        if not first and second:  # a record with only a "second" surname has one surname
            first, second = second, ""
        return cls(tuple(name_tokens(given_names or "")), first, second)

    @cached_property  # read many times per comparison; the dataclass is frozen, so it never changes
    def surnames(self) -> tuple[str, ...]:
        return tuple(s for s in (self.surname1, self.surname2) if s)


@dataclass(frozen=True)
class Person:
    """What screening and linkage compare: name variants, date of birth, document blind indexes."""

    names: tuple[Name, ...]
    birth_date: datetime.date | None = None
    birth_year_only: bool = False
    documents: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Agreement:
    field: str  # "surnames", "given_names", "birth_date", "document"
    level: str  # the name of the comparison function that decided it
    score: float  # 0..1

    @property
    def explanation(self) -> str:
        return explain(self.level)


def similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two normalised words or phrases (1.0 = identical)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return JaroWinkler.normalized_similarity(a, b)


# --- surnames ---------------------------------------------------------------------------------------

ALMOST = 0.80  # the weaker of two surnames may be this far off when the pair is SIMILAR on average


def surname_similarity(a: str, b: str) -> float:
    """Similarity of two surnames, also word by word for compound ones ('dee jaguia', 'jaguia')."""
    best = similarity(a, b)
    if " " in a or " " in b:
        for x in a.split():
            for y in b.split():
                if len(x) > 3 and len(y) > 3:
                    best = max(best, similarity(x, y) * 0.98)
    return best


def _pair(x: float, y: float) -> bool:
    return min(x, y) >= ALMOST and (x + y) / 2 >= SIMILAR


def surnames_exact(a: Name, b: Name) -> float | None:
    """Both surnames agree."""
    if a.surname2 and b.surname2 and a.surname1 == b.surname1 and a.surname2 == b.surname2:
        return 1.0
    return None


def surnames_swapped(a: Name, b: Name) -> float | None:
    """Both surnames agree, in swapped order (the first surname of one is the second of the other)."""
    if a.surname2 and b.surname2 and a.surname1 == b.surname2 and a.surname2 == b.surname1:
        return 0.95
    return None


def surnames_similar(a: Name, b: Name) -> float | None:
    """Both surnames agree apart from typing errors."""
    if not (a.surname2 and b.surname2):
        return None
    first, second = surname_similarity(a.surname1, b.surname1), surname_similarity(a.surname2, b.surname2)
    if _pair(first, second):
        return 0.97 * (first + second) / 2
    return None


def surnames_similar_swapped(a: Name, b: Name) -> float | None:
    """Both surnames agree apart from typing errors, in swapped order."""
    if not (a.surname2 and b.surname2):
        return None
    first, second = surname_similarity(a.surname1, b.surname2), surname_similarity(a.surname2, b.surname1)
    if _pair(first, second):
        return 0.92 * (first + second) / 2
    return None


def one_surname_missing(a: Name, b: Name) -> float | None:
    """One record has a single surname, and it agrees with one of the other's surnames."""
    if len(a.surnames) == 1 or len(b.surnames) == 1:
        single, other = (a, b) if len(a.surnames) == 1 else (b, a)
        if not single.surnames or not other.surnames:
            return None
        best = max(surname_similarity(single.surname1, surname) for surname in other.surnames)
        if best >= SIMILAR:
            return 0.85 * best
    return None


def only_one_surname_agrees(a: Name, b: Name) -> float | None:
    """One surname agrees (straight or crosswise); the other differs."""
    best = max(
        (surname_similarity(x, y) for x in a.surnames for y in b.surnames),
        default=0.0,
    )
    if best >= SIMILAR:
        return 0.45 * best
    return None


def surnames_differ(a: Name, b: Name) -> float | None:
    """The surnames differ."""
    return 0.0


SURNAME_LEVELS: tuple[Callable[[Name, Name], float | None], ...] = (
    surnames_exact,
    surnames_swapped,
    surnames_similar,
    surnames_similar_swapped,
    one_surname_missing,
    only_one_surname_agrees,
    surnames_differ,
)


# --- given names ------------------------------------------------------------------------------------


def given_names_exact(a: Name, b: Name) -> float | None:
    """Given names agree."""
    if a.given and a.given == b.given:
        return 1.0
    return None


def given_names_one_is_shorter(a: Name, b: Name) -> float | None:
    """Given names agree as far as both go (one record has fewer given names, e.g. only the first)."""
    if not a.given or not b.given:
        return None
    shorter, longer = sorted((a.given, b.given), key=len)
    if set(shorter) <= set(longer):
        return 0.9
    return None


def given_names_similar(a: Name, b: Name) -> float | None:
    """Given names agree apart from typing errors."""
    if not a.given or not b.given:
        return None
    whole = similarity(" ".join(a.given), " ".join(b.given))
    first = similarity(a.given[0], b.given[0])
    best = max(whole, first * 0.9)
    if best >= SIMILAR * 0.9:
        return best
    return None


def given_names_differ(a: Name, b: Name) -> float | None:
    """Given names differ."""
    return 0.0


GIVEN_LEVELS: tuple[Callable[[Name, Name], float | None], ...] = (
    given_names_exact,
    given_names_one_is_shorter,
    given_names_similar,
    given_names_differ,
)


# --- dates of birth ---------------------------------------------------------------------------------


def dates_exact(a: datetime.date, b: datetime.date) -> float | None:
    """Dates of birth agree."""
    return 1.0 if a == b else None


def dates_day_month_swapped(a: datetime.date, b: datetime.date) -> float | None:
    """Dates of birth agree with day and month swapped (12/03 written as 03/12)."""
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return 0.9
    return None


def dates_one_digit_apart(a: datetime.date, b: datetime.date) -> float | None:
    """Dates of birth differ in one digit only (a typing error)."""
    x = f"{a.year:04}{a.month:02}{a.day:02}"  # as strftime("%Y%m%d"), at a fraction of the cost
    y = f"{b.year:04}{b.month:02}{b.day:02}"
    if sum(1 for p, q in zip(x, y, strict=True) if p != q) == 1:
        return 0.8
    return None


def dates_same_year(a: datetime.date, b: datetime.date) -> float | None:
    """Years of birth agree; day or month differ."""
    return 0.5 if a.year == b.year else None


def dates_differ(a: datetime.date, b: datetime.date) -> float | None:
    """Dates of birth differ."""
    return 0.0


DATE_LEVELS: tuple[Callable[[datetime.date, datetime.date], float | None], ...] = (
    dates_exact,
    dates_day_month_swapped,
    dates_one_digit_apart,
    dates_same_year,
    dates_differ,
)


def years_only_agree(a: datetime.date, b: datetime.date) -> float:
    """Only the year of birth is known for one of them, and the years agree."""
    return 0.8 if a.year == b.year else 0.0


# --- documents --------------------------------------------------------------------------------------


def documents_same(a: Iterable[str], b: Iterable[str]) -> bool:
    """The same document number (compared by its keyed hash, never in clear)."""
    return bool(set(a) & set(b))


# --- putting it together ----------------------------------------------------------------------------

_EXPLANATIONS: dict[str, str] = {}


def explain(level: str) -> str:
    """The docstring of the comparison function named ``level``: the reviewer's explanation."""
    if not _EXPLANATIONS:
        for function in (
            *SURNAME_LEVELS,
            *GIVEN_LEVELS,
            *DATE_LEVELS,
            years_only_agree,
            documents_same,
        ):
            _EXPLANATIONS[function.__name__] = (function.__doc__ or function.__name__).strip()
    return _EXPLANATIONS.get(level, level)


def _first_level(levels, a, b) -> tuple[str, float]:
    for level in levels:
        score = level(a, b)
        if score is not None:
            return level.__name__, score
    raise AssertionError("the last level always decides")  # pragma: no cover


WEIGHTS = {"surnames": 0.45, "given_names": 0.30, "birth_date": 0.25}
NO_DATE_CAP = 0.95  # names alone, without a date on both sides, never reach certainty
DOCUMENT_SCORE = 0.97


@dataclass(frozen=True)
class Match:
    score: float
    agreements: tuple[Agreement, ...]

    def explanation(self) -> str:
        return " ".join(a.explanation for a in self.agreements if a.score > 0) or explain("surnames_differ")


def compare_names(a: Name, b: Name) -> tuple[Agreement, Agreement]:
    surname_level, surname_score = _first_level(SURNAME_LEVELS, a, b)
    given_level, given_score = _first_level(GIVEN_LEVELS, a, b)
    return (
        Agreement("surnames", surname_level, surname_score),
        Agreement("given_names", given_level, given_score),
    )


def compare_dates(
    a: datetime.date | None, b: datetime.date | None, *, year_only: bool = False
) -> Agreement | None:
    if a is None or b is None:
        return None
    if year_only:
        return Agreement("birth_date", "years_only_agree", years_only_agree(a, b))
    level, score = _first_level(DATE_LEVELS, a, b)
    return Agreement("birth_date", level, score)


def compare(a: Person, b: Person) -> Match:
    """The best agreement of any name variant of ``a`` with any of ``b``, with date and documents."""
    best: tuple[float, tuple[Agreement, ...]] = (-1.0, ())
    date = compare_dates(a.birth_date, b.birth_date, year_only=a.birth_year_only or b.birth_year_only)
    for name_a in a.names:
        for name_b in b.names:
            surnames, given = compare_names(name_a, name_b)
            if date is None:
                raw = (WEIGHTS["surnames"] * surnames.score + WEIGHTS["given_names"] * given.score) / (
                    WEIGHTS["surnames"] + WEIGHTS["given_names"]
                )
                score = raw * NO_DATE_CAP
                agreements: tuple[Agreement, ...] = (surnames, given)
            else:
                score = (
                    WEIGHTS["surnames"] * surnames.score
                    + WEIGHTS["given_names"] * given.score
                    + WEIGHTS["birth_date"] * date.score
                )
                agreements = (surnames, given, date)
            if score > best[0]:
                best = (score, agreements)
    score, agreements = best
    if documents_same(a.documents, b.documents):
        agreements = (Agreement("document", "documents_same", 1.0), *agreements)
        score = max(score, DOCUMENT_SCORE)
    return Match(round(max(score, 0.0), 4), agreements)


# --- blocking ---------------------------------------------------------------------------------------

_PHONETIC_RULES = (
    (re.compile(r"qu(?=[ei])"), "k"),
    (re.compile(r"gu(?=[ei])"), "g"),
    (re.compile(r"g(?=[ei])"), "j"),
    (re.compile(r"c(?=[ei])"), "s"),
    (re.compile(r"ch"), "x"),
    (re.compile(r"h"), ""),
    (re.compile(r"[cq]"), "k"),
    (re.compile(r"z"), "s"),
    (re.compile(r"v"), "b"),
    (re.compile(r"w"), "u"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def phonetic(word: str) -> str:
    """A rough Spanish sound-alike key: 'Vásquez' and 'Basques' give the same key, as do 'Byron' and
    'Biron'; doubled letters count once ('Orellana', 'Orelana')."""
    for pattern, replacement in _PHONETIC_RULES:
        word = pattern.sub(replacement, word)
    return word


def blocking_keys(person: Person) -> set[str]:
    """Keys under which a person is indexed; two records that share none are never compared.

    Chosen so that one typing error, swapped or missing surnames and a missing date still share a key:
    the start and the end of each surname's sound-alike key, paired with the other surname, with the
    first letters of the given name or with the year of birth; and every document hash.
    """
    keys = {f"d:{index}" for index in person.documents}
    for name in person.names:
        sounds = [phonetic(s.replace(" ", "")) for s in name.surnames]
        parts = [(s[:4], s[-4:]) for s in sounds if s]
        given = phonetic(name.given[0])[:2] if name.given else ""
        if len(parts) == 2:
            for i in (0, 1):
                a, b = sorted((parts[0][i], parts[1][i]))
                keys.add(f"s:{a}|{b}")
        for prefix, suffix in parts:
            keys.add(f"g:{prefix}|{given}")
            keys.add(f"h:{suffix}|{given}")
            if person.birth_date is not None:  # a typing error at the start of the given name
                keys.add(f"y:{prefix}|{person.birth_date.year}")
        if person.birth_date is not None and given and not person.birth_year_only:
            # typing errors in both surnames: the given name and the date (day and month either way)
            born = person.birth_date
            day_month = "-".join(sorted((f"{born.day:02}", f"{born.month:02}")))
            keys.add(f"b:{given}|{born.year}|{day_month}")
    return keys
