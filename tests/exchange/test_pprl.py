"""Two countries find the people they have in common without a name crossing the border."""

from __future__ import annotations

import json

import pytest

from tests.conftest import make_institution, make_user
from tests.exchange.conftest import record_victim
from tipims.accounts.roles import Role
from tipims.exchange import pprl
from tipims.exchange.models import PartnerEncoding


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.TIPIMS_PPRL_SECRET = "agreed-by-guatemala-and-mexico"


@pytest.fixture
def mexico_caseworker(db):
    institution = make_institution("mx-dif", "CentralGovernmentOrganisation")
    institution.country = "MX"
    institution.save()
    return make_user("mx-caseworker", institution, Role.CASEWORKER)


def test_the_encodings_file_holds_no_name_and_no_date(caseworker, tmp_path):
    record_victim(caseworker)
    path = pprl.export_encodings(caseworker, tmp_path)
    text = path.read_text()
    for secret_word in ("Heidy", "Xicar", "Paiz", "2009", "HN 1234567"):
        assert secret_word.lower() not in text.lower()
    assert len(json.loads(text)["encodings"]) == 1


def test_a_shared_victim_is_found_and_a_stranger_is_not(caseworker, mexico_caseworker, tmp_path):
    shared = record_victim(caseworker, given="Heidy Marisol", surname1="Xicará", surname2="Paiz")
    stranger = record_victim(caseworker, given="Wendy", surname1="Ajanel", surname2="Cúmez")
    # Mexico recorded her without accents and without her second given name.
    record_victim(mexico_caseworker, given="Heidy", surname1="Xicara", surname2="Paiz")
    record_victim(mexico_caseworker, given="Rosa", surname1="Hernández", surname2="Lima")
    mexican_file = pprl.export_encodings(mexico_caseworker, tmp_path)

    report = pprl.import_encodings(
        mexican_file.read_bytes(), mexican_file.name, actor=caseworker, partner="DIF México"
    )

    assert report.applied and report.created == {"encodings": 2}
    matches = pprl.partner_matches(caseworker, shared.person)
    assert [(m.partner, m.partner_country) for m in matches] == [("DIF México", "MX")]
    assert pprl.partner_matches(caseworker, stranger.person) == []


def test_encodings_under_another_secret_match_nothing(caseworker, mexico_caseworker, tmp_path, settings):
    shared = record_victim(caseworker)
    record_victim(mexico_caseworker)
    settings.TIPIMS_PPRL_SECRET = "a-secret-guatemala-never-agreed"
    mexican_file = pprl.export_encodings(mexico_caseworker, tmp_path)
    settings.TIPIMS_PPRL_SECRET = "agreed-by-guatemala-and-mexico"
    pprl.import_encodings(mexican_file.read_bytes(), mexican_file.name, actor=caseworker, partner="DIF")
    assert pprl.partner_matches(caseworker, shared.person) == []


def test_without_a_secret_nothing_is_encoded(caseworker, tmp_path, settings):
    settings.TIPIMS_PPRL_SECRET = ""
    with pytest.raises(pprl.NoSecret):
        pprl.export_encodings(caseworker, tmp_path)


def test_a_malformed_encoding_is_reported_by_row_and_field_and_nothing_is_kept(caseworker):
    document = {
        "scheme": pprl.SCHEME,
        "country": "MX",
        "encodings": [{"token": "a", "clk": "AAAA"}, {"token": "b", "clk": "not base64!"}],
    }
    report = pprl.import_encodings(json.dumps(document).encode(), "mx.json", actor=caseworker, partner="MX")
    assert not report.applied
    assert [(e.row, e.field) for e in report.errors] == [(1, "clk"), (2, "clk")]
    assert PartnerEncoding.objects.count() == 0


def test_an_analyst_sees_no_partner_match_for_an_identity_they_may_not_see(
    caseworker, analyst, mexico_caseworker, tmp_path
):
    shared = record_victim(caseworker)
    record_victim(mexico_caseworker)
    mexican_file = pprl.export_encodings(mexico_caseworker, tmp_path)
    pprl.import_encodings(mexican_file.read_bytes(), mexican_file.name, actor=analyst, partner="MX")
    assert pprl.partner_matches(analyst, shared.person) == []


def test_bits_are_counted_the_same_with_and_without_numpys_native_count():
    import numpy as np

    words = np.array([[0, 1, 2**63, 2**64 - 1], [7, 255, 256, 12345678901234]], dtype=np.uint64)
    assert pprl.bit_counts(words, native=False).tolist() == [
        [0, 1, 1, 64],
        [3, 8, 1, bin(12345678901234).count("1")],
    ]
    assert pprl.bit_counts(words).tolist() == pprl.bit_counts(words, native=False).tolist()


def test_the_caseworker_sees_that_the_partner_has_a_matching_record(caseworker, mexico_caseworker, tmp_path):
    from tests.conftest import client_for

    shared = record_victim(caseworker)
    record_victim(mexico_caseworker)
    mexican_file = pprl.export_encodings(mexico_caseworker, tmp_path)
    pprl.import_encodings(
        mexican_file.read_bytes(), mexican_file.name, actor=caseworker, partner="DIF México"
    )

    response = client_for(caseworker).get(f"/exchange/partners/{shared.person.reference}/")

    assert response.status_code == 200
    assert [m.partner for m in response.context["matches"]] == ["DIF México"]
    assert b'data-testid="partner-match"' in response.content
    assert (
        client_for(mexico_caseworker).get(f"/exchange/partners/{shared.person.reference}/").status_code == 404
    )
