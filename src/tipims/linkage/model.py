"""The linkage model: Splink comparisons built for Hispanic names, the same on DuckDB and Spark.

Each level's label is the explanation a reviewer sees for a pair.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from django.utils.translation import gettext_noop
from splink import SettingsCreator, block_on

MODEL_VERSION = "hispanic-names-3"
PRIORS = Path(__file__).with_name("priors.json")


def _level(sql: str, label: str, *, frequency_of: str | None = None) -> cll.CustomLevel:
    """A level; ``frequency_of`` names the column whose value's frequency weighs an agreement: two
    records that share a rare surname are far likelier one person than two that share "López"
    (Splink's term-frequency adjustment)."""
    level = cll.CustomLevel(sql, label_for_charts=label, base_dialect_str="duckdb")
    if frequency_of:
        # Each level's own chance agreement is the base the value's frequency is weighed against.
        level.configure(
            tf_adjustment_column=frequency_of, tf_adjustment_weight=1.0, disable_tf_exact_match_detection=True
        )
    return level


def _otherwise() -> cll.ElseLevel:
    return cll.ElseLevel().configure(label_for_charts=gettext_noop("all other comparisons"))


def _same_value(column: str, *, missing: str, same: str, frequency: bool = False) -> cl.CustomComparison:
    """Agreement on one coded value (sex, nationality); with ``frequency``, a rare value counts more."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=column,
        comparison_levels=[
            _level(f"{column}_l IS NULL OR {column}_r IS NULL", missing).configure(is_null_level=True),
            _level(f"{column}_l = {column}_r", same, frequency_of=column if frequency else None),
            _otherwise(),
        ],
    )


def given_names() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="given",
        comparison_description="Given names",
        comparison_levels=[
            _level(
                "given_l IS NULL OR given_r IS NULL", gettext_noop("given names missing on one side")
            ).configure(is_null_level=True),
            _level("given_l = given_r", gettext_noop("given names identical"), frequency_of="given"),
            _level(
                "given_first_l = surname1_r AND surname1_l = given_first_r",
                gettext_noop("given name and surname entered in each other's field"),
            ),
            _level(
                "jaro_winkler_similarity(given_l, given_r) >= 0.92",
                gettext_noop("given names nearly identical (typing error)"),
            ),
            _level(
                "given_first_l = given_first_r",
                gettext_noop("first given name identical, second differs or is missing"),
                frequency_of="given_first",
            ),
            _level(
                "jaro_winkler_similarity(given_first_l, given_first_r) >= 0.88",
                gettext_noop("first given name similar"),
            ),
            _otherwise(),
        ],
    )


def surnames() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="surnames",
        comparison_description="Both surnames, separately and crosswise",
        comparison_levels=[
            _level(
                "surname1_l IS NULL AND surname2_l IS NULL OR surname1_r IS NULL AND surname2_r IS NULL",
                gettext_noop("surnames missing on one side"),
            ).configure(is_null_level=True),
            _level(
                "surname1_l = surname1_r AND surname2_l = surname2_r",
                gettext_noop("both surnames identical"),
                frequency_of="surnames_sorted",
            ),
            _level(
                "given_first_l = surname1_r AND surname1_l = given_first_r",
                gettext_noop("given name and surname entered in each other's field"),
            ),
            _level(
                "surnames_sorted_l = surnames_sorted_r AND surname2_l IS NOT NULL AND surname2_r IS NOT NULL",
                gettext_noop("both surnames identical but swapped"),
                frequency_of="surnames_sorted",
            ),
            _level(
                "(surname1_l = surname1_r AND damerau_levenshtein(surname2_l, surname2_r) <= 1)"
                " OR (surname2_l = surname2_r AND damerau_levenshtein(surname1_l, surname1_r) <= 1)",
                gettext_noop("one surname identical, the other one typing error apart"),
            ),
            _level(
                "surname1_l = surname1_r AND (surname2_l IS NULL OR surname2_r IS NULL)",
                gettext_noop("first surname identical, second surname missing on one side"),
                frequency_of="surname1",
            ),
            _level(
                "jaro_winkler_similarity(surname1_l, surname1_r) >= 0.9 "
                "AND jaro_winkler_similarity(coalesce(surname2_l, ''), coalesce(surname2_r, '')) >= 0.9",
                gettext_noop("both surnames nearly identical (typing errors)"),
            ),
            _level(
                "surname1_l = surname1_r",
                gettext_noop("first surname identical, second differs (e.g. a married name)"),
                frequency_of="surname1",
            ),
            _level(
                "surname1_l = surname2_r OR surname2_l = surname1_r",
                gettext_noop("one surname appears in the other position"),
                # The frequency of the commoner of the two first surnames: a cautious stand-in for
                # the shared surname's own, which Splink cannot name across two columns.
                frequency_of="surname1",
            ),
            _level(
                "damerau_levenshtein(surname1_l, surname1_r) <= 1 AND (surname2_l IS NULL OR surname2_r IS NULL)",
                gettext_noop("first surname one typing error apart, second surname missing on one side"),
            ),
            _level(
                "jaro_winkler_similarity(surname1_l, surname1_r) >= 0.88",
                gettext_noop("first surname similar"),
            ),
            _otherwise(),
        ],
    )


def date_of_birth() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="Date of birth",
        comparison_levels=[
            _level(
                "birth_year_l IS NULL OR birth_year_r IS NULL",
                gettext_noop("date of birth missing on one side"),
            ).configure(is_null_level=True),
            _level("dob_l = dob_r", gettext_noop("date of birth identical")),
            _level(
                "dob_l = dob_swapped_r", gettext_noop("date of birth identical with day and month swapped")
            ),
            _level(
                "damerau_levenshtein(dob_l, dob_r) <= 1",
                gettext_noop("dates of birth one typing error apart"),
            ),
            _level("substr(dob_l, 1, 7) = substr(dob_r, 1, 7)", gettext_noop("same year and month of birth")),
            # Two full dates that differ are evidence against a match; a year alone (an estimated age)
            # agrees with any date near it.
            _level(
                "birth_year_l = birth_year_r AND (dob_l IS NULL OR dob_r IS NULL)",
                gettext_noop("same year of birth, only the year known on one side"),
            ),
            _level(
                "abs(birth_year_l - birth_year_r) <= 2 AND (dob_l IS NULL OR dob_r IS NULL)",
                gettext_noop("years of birth within two, only the year known on one side (an estimated age)"),
            ),
            _otherwise(),
        ],
    )


def document() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="document",
        comparison_description="Identity document number",
        comparison_levels=[
            _level(
                "document_l IS NULL OR document_r IS NULL", gettext_noop("no document on one side")
            ).configure(is_null_level=True),
            _level("document_l = document_r", gettext_noop("same document number")),
            _level(
                "damerau_levenshtein(document_l, document_r) <= 1",
                gettext_noop("document numbers one typing error apart"),
            ),
            _otherwise(),
        ],
    )


def address() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="address",
        comparison_description="Address, word by word",
        comparison_levels=[
            _level(
                "address_l IS NULL OR address_r IS NULL", gettext_noop("no address on one side")
            ).configure(is_null_level=True),
            _level("address_l = address_r", gettext_noop("same address")),
            _level(
                "jaro_winkler_similarity(address_l, address_r) >= 0.95",
                gettext_noop("addresses one typing error apart"),
            ),
            _level(
                "array_length(list_intersect(address_tokens_l, address_tokens_r)) >= 4",
                gettext_noop("addresses share four words or more"),
            ),
            _level(
                "array_length(list_intersect(address_tokens_l, address_tokens_r)) >= 2",
                gettext_noop("addresses share two or three words"),
            ),
            _otherwise(),
        ],
    )


# Blocking: the pairs that are scored at all. A rule alone on a common value ("López" is 4% of first
# surnames) makes billions of pairs in a million records, so every rule joins on several values at
# once and then filters with cheap comparisons. Together the rules must still bring together the
# records of one person whatever the registers got wrong (synthetic._variant): accents (normalised
# away), a second given name dropped, the second surname missing, swapped with the first or replaced
# by a married "de X", one typing error in one name field of a record (never its first letter), day
# and month swapped, only a year (an estimated age, one year off), no date, no document. Measured by
# benchmarks/linkage.py: blocking recall 0.994 on the 20,000-person synthetic set (0.993 on a million
# records); 164,000 pairs for 100,000 records and 10.1 million for a million, which DuckDB makes in
# about 23 CPU-seconds. Pairs are made once (left id < right id): a rule that is not symmetric covers
# one direction only.


def _same(*expressions: str) -> str:
    """Both records agree on each expression, written with # for the record: "left(#.surname1, 1)"."""
    return " AND ".join(f"{e.replace('#', 'l')} = {e.replace('#', 'r')}" for e in expressions)


def _similar(left: str, right: str | None = None, *, threshold: float = 0.84) -> str:
    """l's column ``left`` and r's ``right`` (the same column by default) at most a typing error apart:
    one error in a name of four letters or more leaves Jaro-Winkler at 0.84 or above."""
    return f"jaro_winkler_similarity(l.{left}, r.{right or left}) >= {threshold}"


# A name with one typing error keeps its first letter and, unless its last two letters were swapped,
# its last one: with the given name, the first and last letters of the first surname make a join
# almost as narrow as the surname itself.
_SURNAME1_SHAPE = ("#.given_first", "left(#.surname1, 1)", "right(#.surname1, 1)")
_GIVEN_SHAPE = ("left(#.given_first, 1)", "right(#.given_first, 1)")
# Two full dates of birth that could be one person's: equal, day and month swapped, or one typing
# error apart (two of year, month and day equal). The rules that use it find pairs whose names agree
# only in part, which two contradicting dates (m about 0.001) keep far below any threshold unless an
# address outweighs them: not scoring them changed no link on 100,000 synthetic records and saves a
# quarter of the scoring at a million.
_DATES_AGREE = (
    "(l.dob IS NULL OR r.dob IS NULL OR l.dob = r.dob_swapped OR substr(l.dob, 6, 5) = substr(r.dob, 6, 5)"
    " OR l.birth_year = r.birth_year"
    " AND (substr(l.dob, 6, 2) = substr(r.dob, 6, 2) OR substr(l.dob, 9, 2) = substr(r.dob, 9, 2))"
    " OR l.address IS NOT NULL AND r.address IS NOT NULL)"
)
# Years at most one apart (a year alone is often an age estimate) as joins: two rules pair years up
# in two-year spans shifted by one (1990-91, 1992-93... and 1991-92, 1993-94...), the second only for
# the pairs one year apart; a record without a date joins on names alone, one rule per side so that
# the join starts from those few records.
_YEARS = (
    f"l.birth_year // 2 = r.birth_year // 2 AND abs(l.birth_year - r.birth_year) <= 1 AND {_DATES_AGREE}",
    "(l.birth_year + 1) // 2 = (r.birth_year + 1) // 2 AND abs(l.birth_year - r.birth_year) = 1"
    f" AND {_DATES_AGREE}",
    "l.birth_year IS NULL",
    "r.birth_year IS NULL",
)
_SURNAME_INITIALS = (
    "(left(l.surname1, 1) = left(r.surname1, 1) OR left(l.surname1, 1) = left(r.surname2, 1)"
    " OR left(l.surname2, 1) = left(r.surname1, 1))"
)

BLOCKING_RULES = [
    block_on("document"),
    # The same date of birth (or with day and month swapped): the names may carry any one error each.
    f"l.dob = r.dob AND {_same('left(#.given_first, 1)')} AND {_SURNAME_INITIALS}",
    "l.dob = r.dob AND l.surname1 = r.surname1",  # given names recorded differently
    f"l.dob = r.dob_swapped AND {_same('left(#.given_first, 1)')} AND {_SURNAME_INITIALS}",
    # Both surnames, in either order, and the given name with at most a typing error: any date.
    f"{_same('left(#.given_first, 1)', '#.surnames_sorted')} AND l.surname2 IS NOT NULL"
    f" AND r.surname2 IS NOT NULL AND {_similar('given_first', threshold=0.8)}",
    # One typing error in one surname, the other surname and the given name exact: any date.
    f"{_same(*_SURNAME1_SHAPE, '#.surname2')} AND l.surname1 <> r.surname1 AND {_similar('surname1')}",
    f"{_same('#.given_first', '#.surname1', 'left(#.surname2, 1)', 'right(#.surname2, 1)')}"
    f" AND l.surname2 <> r.surname2 AND {_similar('surname2')}",
    "l.given_first = r.surname1 AND l.surname1 = r.given_first",  # name fields swapped on one record
    # One record's surnames swapped and the other's second surname missing or mistyped.
    *(
        f"l.given_first = r.given_first AND {shared} AND {years} AND {other}"
        for shared, other in (
            ("l.surname1 = r.surname2", f"(l.surname2 IS NULL OR {_similar('surname2', 'surname1')})"),
            ("l.surname2 = r.surname1", f"(r.surname2 IS NULL OR {_similar('surname1', 'surname2')})"),
        )
        for years in _YEARS
    ),
    # The second surname missing on one side: the first surname or the given name may be mistyped.
    *(
        rule
        for side in "lr"
        for years in _YEARS
        for rule in (
            f"{_same(*_SURNAME1_SHAPE)} AND {years} AND {side}.surname2 IS NULL AND {_similar('surname1')}",
            f"{_same('left(#.given_first, 1)', '#.surname1')} AND {years} AND {side}.surname2 IS NULL"
            f" AND l.given_first <> r.given_first AND {_similar('given_first', threshold=0.8)}",
        )
    ),
    # Typing errors in two name fields (one on each record), both surnames recorded.
    *(
        f"{_same(*_GIVEN_SHAPE, 'left(#.surname1, 1)', 'left(#.surname2, 1)')} AND {years}"
        f" AND {_similar('given_first', threshold=0.8)} AND {_similar('surname1')} AND {_similar('surname2')}"
        for years in _YEARS[:2]
    ),
    # Two estimated ages two years apart (one a year low, the other a year high).
    "l.given_first = r.given_first AND l.surname1 = r.surname1 AND l.dob IS NULL AND r.dob IS NULL"
    " AND abs(l.birth_year - r.birth_year) = 2",
]


# Records with an address (optional in the input): the same address, or the same full date of birth
# with an address that shares words, catch pairs whose names were both badly mistyped. Without
# addresses these rules compare nothing.
ADDRESS_BLOCKING_RULES = [
    block_on("address"),
    # "IS NOT NULL" changes no pair (a missing address has no words to share) but lets the join skip
    # the records without one: on the dates of birth alone, a million records are 27 million pairs.
    "l.dob = r.dob AND l.address IS NOT NULL AND r.address IS NOT NULL"
    " AND array_length(list_intersect(l.address_tokens, r.address_tokens)) >= 3",
]


def _with_priors(comparison, name: str, priors: dict | None):
    """Start a comparison from the calibrated m probabilities (priors.json), kept away from 0 and 1:
    synthetic data never mistypes a sex or a document, real records sometimes do."""
    if priors is None or name not in priors:
        return comparison
    # The first level of every comparison is its null level, which has no m probability; a level the
    # synthetic data never shows (a mistyped document) starts rare rather than impossible.
    values = [min(max(p if p is not None else 0.001, 0.001), 0.999) for p in priors[name][1:]]
    return comparison.configure(m_probabilities=values)


@functools.cache
def _calibration() -> dict:
    data = json.loads(PRIORS.read_text()) if PRIORS.exists() else {}
    return data if data.get("model_version") == MODEL_VERSION else {}


def load_priors() -> dict | None:
    return _calibration().get("m")


def calibrated(name: str, default: float) -> float:
    """A figure measured at calibration (priors.json) for this model version, else ``default``."""
    return _calibration().get(name, default)


def settings(*, priors: bool = True) -> SettingsCreator:
    m = load_priors() if priors else None
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            _with_priors(given_names(), "given", m),
            _with_priors(surnames(), "surnames", m),
            _with_priors(date_of_birth(), "dob", m),
            _with_priors(
                _same_value(
                    "sex", missing=gettext_noop("sex missing on one side"), same=gettext_noop("same sex")
                ),
                "sex",
                m,
            ),
            _with_priors(
                _same_value(
                    "nationality",
                    missing=gettext_noop("nationality missing on one side"),
                    same=gettext_noop("same nationality"),
                    frequency=True,
                ),
                "nationality",
                m,
            ),
            _with_priors(document(), "document", m),
            _with_priors(address(), "address", m),
        ],
        blocking_rules_to_generate_predictions=BLOCKING_RULES + ADDRESS_BLOCKING_RULES,
        retain_intermediate_calculation_columns=False,
    )
