"""The linkage model: Splink comparisons built for Hispanic names, the same on DuckDB and Spark.

Each level's label is the explanation a reviewer sees for a pair.
"""

from __future__ import annotations

import json
from pathlib import Path

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

MODEL_VERSION = "hispanic-names-1"
PRIORS = Path(__file__).with_name("priors.json")


def _level(sql: str, label: str) -> cll.CustomLevel:
    return cll.CustomLevel(sql, label_for_charts=label, base_dialect_str="duckdb")


def given_names() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="given",
        comparison_description="Given names",
        comparison_levels=[
            _level("given_l IS NULL OR given_r IS NULL", "given names missing on one side").configure(
                is_null_level=True
            ),
            _level("given_l = given_r", "given names identical"),
            _level(
                "jaro_winkler_similarity(given_l, given_r) >= 0.92",
                "given names nearly identical (typing error)",
            ),
            _level(
                "given_first_l = given_first_r", "first given name identical, second differs or is missing"
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
            _level("surname1_l = surname1_r AND surname2_l = surname2_r", "both surnames identical"),
            _level(
                "surnames_sorted_l = surnames_sorted_r AND surname2_l IS NOT NULL AND surname2_r IS NOT NULL",
                "both surnames identical but swapped",
            ),
            _level(
                "surname1_l = surname1_r AND (surname2_l IS NULL OR surname2_r IS NULL)",
                "first surname identical, second surname missing on one side",
            ),
            _level(
                "jaro_winkler_similarity(surname1_l, surname1_r) >= 0.9 "
                "AND jaro_winkler_similarity(coalesce(surname2_l, ''), coalesce(surname2_r, '')) >= 0.9",
                "both surnames nearly identical (typing errors)",
            ),
            _level(
                "surname1_l = surname1_r", "first surname identical, second differs (e.g. a married name)"
            ),
            _level(
                "surname1_l = surname2_r OR surname2_l = surname1_r",
                "one surname appears in the other position",
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
            _level("substr(dob_l, 1, 7) = substr(dob_r, 1, 7)", "same year and month of birth"),
            _level("birth_year_l = birth_year_r", "same year of birth (or only the year is known)"),
            _level("abs(birth_year_l - birth_year_r) <= 2", "years of birth within two (an estimated age)"),
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
            cll.ElseLevel(),
        ],
    )


BLOCKING_RULES = [
    block_on("surname1"),
    block_on("given_first", "birth_year"),
    block_on("surnames_sorted"),
    block_on("document"),
    block_on("surname2", "birth_year"),
    "l.surname1 = r.surname2",
    block_on("given_first", "substr(surname1, 1, 2)"),
]


def _with_priors(comparison, name: str, priors: dict | None):
    """Start a comparison from the calibrated m probabilities (priors.json), kept away from 0 and 1:
    synthetic data never mistypes a sex or a document, real records sometimes do."""
    if priors is None or name not in priors:
        return comparison
    values = [min(max(p, 0.001), 0.999) for p in priors[name] if p is not None]
    return comparison.configure(m_probabilities=values)


def load_priors() -> dict | None:
    data = json.loads(PRIORS.read_text()) if PRIORS.exists() else None
    if not data or data.get("model_version") != MODEL_VERSION:
        return None
    return data["m"]


def settings(*, priors: bool = True) -> SettingsCreator:
    m = load_priors() if priors else None
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            _with_priors(given_names(), "given", m),
            _with_priors(surnames(), "surnames", m),
            _with_priors(date_of_birth(), "dob", m),
            _with_priors(cl.ExactMatch("sex"), "sex", m),
            _with_priors(cl.ExactMatch("nationality"), "nationality", m),
            _with_priors(document(), "document", m),
        ],
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_intermediate_calculation_columns=False,
    )
