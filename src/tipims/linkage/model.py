"""The linkage model: Splink comparisons built for Hispanic names, the same on DuckDB and Spark.

Each level's label is the explanation a reviewer sees for a pair.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import splink.comparison_level_library as cll
import splink.comparison_library as cl
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


def given_names() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="given",
        comparison_description="Given names",
        comparison_levels=[
            _level("given_l IS NULL OR given_r IS NULL", "given names missing on one side").configure(
                is_null_level=True
            ),
            _level("given_l = given_r", "given names identical", frequency_of="given"),
            _level(
                "given_first_l = surname1_r AND surname1_l = given_first_r",
                "given name and surname entered in each other's field",
            ),
            _level(
                "jaro_winkler_similarity(given_l, given_r) >= 0.92",
                "given names nearly identical (typing error)",
            ),
            _level(
                "given_first_l = given_first_r",
                "first given name identical, second differs or is missing",
                frequency_of="given_first",
            ),
            _level(
                "jaro_winkler_similarity(given_first_l, given_first_r) >= 0.88",
                "first given name similar",
            ),
            cll.ElseLevel(),
        ],
    )


def surnames() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="surnames",
        comparison_description="Both surnames, separately and crosswise",
        comparison_levels=[
            _level(
                "surname1_l IS NULL AND surname2_l IS NULL OR surname1_r IS NULL AND surname2_r IS NULL",
                "surnames missing on one side",
            ).configure(is_null_level=True),
            _level(
                "surname1_l = surname1_r AND surname2_l = surname2_r",
                "both surnames identical",
                frequency_of="surnames_sorted",
            ),
            _level(
                "given_first_l = surname1_r AND surname1_l = given_first_r",
                "given name and surname entered in each other's field",
            ),
            _level(
                "surnames_sorted_l = surnames_sorted_r AND surname2_l IS NOT NULL AND surname2_r IS NOT NULL",
                "both surnames identical but swapped",
                frequency_of="surnames_sorted",
            ),
            _level(
                "(surname1_l = surname1_r AND damerau_levenshtein(surname2_l, surname2_r) <= 1)"
                " OR (surname2_l = surname2_r AND damerau_levenshtein(surname1_l, surname1_r) <= 1)",
                "one surname identical, the other one typing error apart",
            ),
            _level(
                "surname1_l = surname1_r AND (surname2_l IS NULL OR surname2_r IS NULL)",
                "first surname identical, second surname missing on one side",
                frequency_of="surname1",
            ),
            _level(
                "jaro_winkler_similarity(surname1_l, surname1_r) >= 0.9 "
                "AND jaro_winkler_similarity(coalesce(surname2_l, ''), coalesce(surname2_r, '')) >= 0.9",
                "both surnames nearly identical (typing errors)",
            ),
            _level(
                "surname1_l = surname1_r",
                "first surname identical, second differs (e.g. a married name)",
                frequency_of="surname1",
            ),
            _level(
                "surname1_l = surname2_r OR surname2_l = surname1_r",
                "one surname appears in the other position",
                # The frequency of the commoner of the two first surnames: a cautious stand-in for
                # the shared surname's own, which Splink cannot name across two columns.
                frequency_of="surname1",
            ),
            _level(
                "damerau_levenshtein(surname1_l, surname1_r) <= 1 AND (surname2_l IS NULL OR surname2_r IS NULL)",
                "first surname one typing error apart, second surname missing on one side",
            ),
            _level("jaro_winkler_similarity(surname1_l, surname1_r) >= 0.88", "first surname similar"),
            cll.ElseLevel(),
        ],
    )


def date_of_birth() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="Date of birth",
        comparison_levels=[
            _level(
                "birth_year_l IS NULL OR birth_year_r IS NULL", "date of birth missing on one side"
            ).configure(is_null_level=True),
            _level("dob_l = dob_r", "date of birth identical"),
            _level("dob_l = dob_swapped_r", "date of birth identical with day and month swapped"),
            _level("damerau_levenshtein(dob_l, dob_r) <= 1", "dates of birth one typing error apart"),
            _level("substr(dob_l, 1, 7) = substr(dob_r, 1, 7)", "same year and month of birth"),
            # Two full dates that differ are evidence against a match; a year alone (an estimated age)
            # agrees with any date near it.
            _level(
                "birth_year_l = birth_year_r AND (dob_l IS NULL OR dob_r IS NULL)",
                "same year of birth, only the year known on one side",
            ),
            _level(
                "abs(birth_year_l - birth_year_r) <= 2 AND (dob_l IS NULL OR dob_r IS NULL)",
                "years of birth within two, only the year known on one side (an estimated age)",
            ),
            cll.ElseLevel(),
        ],
    )


def document() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="document",
        comparison_description="Identity document number",
        comparison_levels=[
            _level("document_l IS NULL OR document_r IS NULL", "no document on one side").configure(
                is_null_level=True
            ),
            _level("document_l = document_r", "same document number"),
            _level(
                "damerau_levenshtein(document_l, document_r) <= 1", "document numbers one typing error apart"
            ),
            cll.ElseLevel(),
        ],
    )


def address() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="address",
        comparison_description="Address, word by word",
        comparison_levels=[
            _level("address_l IS NULL OR address_r IS NULL", "no address on one side").configure(
                is_null_level=True
            ),
            _level("address_l = address_r", "same address"),
            _level(
                "jaro_winkler_similarity(address_l, address_r) >= 0.95", "addresses one typing error apart"
            ),
            _level(
                "array_length(list_intersect(address_tokens_l, address_tokens_r)) >= 4",
                "addresses share four words or more",
            ),
            _level(
                "array_length(list_intersect(address_tokens_l, address_tokens_r)) >= 2",
                "addresses share two or three words",
            ),
            cll.ElseLevel(),
        ],
    )


BLOCKING_RULES = [
    block_on("surname1"),
    block_on("given_first", "birth_year"),
    block_on("surnames_sorted"),
    block_on("document"),
    block_on("surname2", "birth_year"),
    # Pairs are generated once (left id < right id), so a crosswise rule needs both directions.
    "l.surname1 = r.surname2",
    "l.surname2 = r.surname1",
    "l.given_first = r.surname1 AND l.surname1 = r.given_first",  # name fields swapped on one record
    block_on("given_first", "substr(surname1, 1, 2)"),
    # A full date of birth with the initial of either name: catches typing errors in both names.
    block_on("dob", "substr(given_first, 1, 1)"),
    block_on("dob", "substr(surname1, 1, 1)"),
]


# Records with an address (optional in the input): the same address, or the same full date of birth
# with an address that shares words, catch pairs whose names were both badly mistyped. Without
# addresses these rules compare nothing.
ADDRESS_BLOCKING_RULES = [
    block_on("address"),
    "l.dob = r.dob AND array_length(list_intersect(l.address_tokens, r.address_tokens)) >= 3",
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
            _with_priors(cl.ExactMatch("sex"), "sex", m),
            _with_priors(
                cl.ExactMatch("nationality").configure(term_frequency_adjustments=True), "nationality", m
            ),
            _with_priors(document(), "document", m),
            _with_priors(address(), "address", m),
        ],
        blocking_rules_to_generate_predictions=BLOCKING_RULES + ADDRESS_BLOCKING_RULES,
        retain_intermediate_calculation_columns=False,
    )
