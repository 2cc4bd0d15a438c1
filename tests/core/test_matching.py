"""The name, date and document comparisons that screening and linkage share."""

import datetime

from tipims.core import matching
from tipims.core.matching import Name, Person, compare


def person(given, s1, s2="", born=None, documents=()):
    return Person((Name.of(given, s1, s2),), born, documents=frozenset(documents))


def test_particles_and_accents_are_ignored():
    assert Name.of("María de los Ángeles", "de León", "") == Name.of("Maria Angeles", "Leon", "")


def test_swapped_surnames_agree_crosswise():
    surnames, _ = matching.compare_names(Name.of("Ana", "López", "Cruz"), Name.of("Ana", "Cruz", "López"))
    assert surnames.level == "surnames_swapped"


def test_a_missing_second_surname_still_agrees():
    surnames, _ = matching.compare_names(Name.of("Ana", "López", "Cruz"), Name.of("Ana", "López"))
    assert surnames.level == "one_surname_missing"


def test_typing_errors_are_tolerated():
    surnames, given = matching.compare_names(
        Name.of("Yesenia", "Hernández", "Cifuentes"), Name.of("Yessenia", "Hernandes", "Sifuentes")
    )
    assert surnames.level == "surnames_similar" and given.level == "given_names_similar"


def test_day_and_month_swapped_are_recognised():
    agreement = matching.compare_dates(datetime.date(1990, 4, 11), datetime.date(1990, 11, 4))
    assert agreement.level == "dates_day_month_swapped"


def test_the_explanation_is_the_docstring_of_the_deciding_function():
    assert matching.explain("dates_day_month_swapped") == matching.dates_day_month_swapped.__doc__.strip()


def test_different_people_score_low_and_the_same_person_high():
    a = person("José Luis", "Recinos", "Tux", datetime.date(1982, 7, 1))
    assert compare(a, person("Jose Luis", "Recinos", "Tux", datetime.date(1982, 7, 1))).score == 1.0
    assert compare(a, person("Wendy", "Barrios", "Caal", datetime.date(1999, 1, 9))).score < 0.3


def test_a_shared_document_hash_is_a_match_whatever_the_names():
    match = compare(person("A", "B", documents={"h1"}), person("C", "D", documents={"h1", "h2"}))
    assert match.score >= matching.DOCUMENT_SCORE and match.agreements[0].level == "documents_same"


def test_blocking_keeps_variants_together():
    a = person("Byron", "Sagastume", "Orellana")
    for variant in (
        person("Biron", "Orellana", "Sagastume"),
        person("Byron", "Sagastune", "Orelana"),
        person("Byron", "Sagastume"),
    ):
        assert matching.blocking_keys(a) & matching.blocking_keys(variant)


def test_spanish_sound_alike_keys():
    assert matching.phonetic("vasquez") == matching.phonetic("basques")
    assert matching.phonetic("xicara") == matching.phonetic("xikara")
