import pytest

from tipims.core import countries, normalise, vocabularies
from tipims.core.models import Department, Municipality


def test_every_vocabulary_has_spanish_and_english_labels_and_unique_codes():
    vocabularies.validate_all()
    for name in vocabularies.names():
        for term in vocabularies.terms(name):
            assert term.es.strip() and term.en.strip()


def test_htcds_picklist_values_are_kept_as_codes():
    assert "LawEnforcement" in vocabularies.codes("org_Type")
    assert vocabularies.label("prs_Gender", "Feminine", "es") == "Femenino"
    assert vocabularies.label("prs_Gender", "Feminine", "en") == "Feminine"


def test_countries_have_spanish_names():
    assert countries.name("HN", "es") == "Honduras"
    assert countries.name("DE", "es") == "Alemania"
    assert countries.name("DE", "en") == "Germany"
    assert not countries.is_country("XX")


@pytest.mark.django_db
def test_guatemala_has_22_departments_and_their_municipalities():
    assert Department.objects.count() == 22
    assert Municipality.objects.count() >= 340
    escuintla = Department.objects.get(name="Escuintla")
    assert escuintla.code == 5
    assert Municipality.objects.filter(department=escuintla, name="Escuintla").exists()


def test_names_are_normalised_for_comparison():
    assert normalise.name_tokens("María de los Ángeles") == ["maria", "angeles"]
    assert normalise.document_number(" 1234 56789-0101 ") == "1234567890101"
