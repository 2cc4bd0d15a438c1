"""Trafficker networks as FollowTheMoney entities, and partners' entities into the watchlist for review."""

from __future__ import annotations

import datetime
import json

import pytest

from tests.conftest import make_institution, make_user
from tipims.accounts.roles import Role
from tipims.border.models import WatchlistEntry
from tipims.exchange import ftm
from tipims.justice import services as justice_services
from tipims.people import services as people_services


def defendant(owner, given, surname1, surname2, passport=None):
    return people_services.person_record_create(
        actor=owner,
        values={"given_names": given, "surname1": surname1, "surname2": surname2, "sex": "Masculine",
                "birth_date": datetime.date(1980, 4, 2), "birth_date_precision": "exact", "citizenships": ["GT"]},
        documents=[people_services.DocumentInput("PASSPORT", passport, "GT")] if passport else [],
    )  # fmt: skip


@pytest.fixture
def network(owner):
    case = justice_services.criminal_case_open(
        actor=owner,
        number="1001-24",
        offence_date=datetime.date(2024, 1, 5),
        opened_on=datetime.date(2024, 2, 1),
    )
    for person in (
        defendant(owner, "Mario", "Chinchilla", "Pérez", passport="G1234567"),
        defendant(owner, "Edgar", "Lemus", "Ochoa"),
    ):
        justice_services.defendant_add(
            actor=owner, case=case, person=person, roles=["RecruiterOrIntermediary"]
        )
    return case


def read(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_network_is_exported_as_persons_documents_and_their_association(owner, network, tmp_path):
    (path,) = ftm.export_ftm(owner, tmp_path)
    entities = read(path)
    by_schema = {}
    for entity in entities:
        by_schema.setdefault(entity["schema"], []).append(entity)
    assert sorted(e["properties"]["firstName"][0] for e in by_schema["Person"]) == ["Edgar", "Mario"]
    assert by_schema["Passport"][0]["properties"]["number"] == ["G1234567"]
    (link,) = by_schema["Associate"]
    assert {link["properties"]["person"][0], link["properties"]["associate"][0]} == {
        e["id"] for e in by_schema["Person"]
    }
    assert all(not entity["id"].startswith("P-") for entity in entities)  # no TIPIMS reference leaves


def test_an_institution_without_the_case_exports_nothing_of_it(network, outsider, tmp_path):
    (path,) = ftm.export_ftm(outsider, tmp_path)
    assert read(path) == []


def test_partners_entities_become_pending_watchlist_entries_with_their_documents(owner, network, tmp_path):
    (path,) = ftm.export_ftm(owner, tmp_path)
    mexico = make_institution("mx-fgr", "LawEnforcement")
    investigator = make_user("mx-liaison", make_institution("pnc"), Role.INVESTIGATOR)

    report = ftm.import_ftm(path.read_bytes(), actor=investigator, partner_code=mexico.code)

    assert report.applied, report.errors
    assert report.created["watchlist_entries"] == 2
    entries = sorted(WatchlistEntry.objects.all(), key=lambda entry: entry.given_names)  # names are encrypted
    assert [e.status for e in entries] == ["pending", "pending"]  # a second user still approves
    assert [(e.given_names, e.surname1, e.surname2) for e in entries] == [
        ("Edgar", "Lemus", "Ochoa"),
        ("Mario", "Chinchilla", "Pérez"),
    ]
    assert entries[1].documents.count() == 1 and entries[0].source_institution == mexico


def test_a_malformed_entity_is_reported_by_line_and_nothing_is_proposed(outsider):
    mexico = make_institution("mx-fgr", "LawEnforcement")
    good = {"id": "a", "schema": "Person", "properties": {"name": ["Juan Pérez López"]}}
    bad_date = {"id": "b", "schema": "Person", "properties": {"name": ["Ana"], "birthDate": ["31/12/80"]}}
    data = "\n".join(
        [json.dumps(good), "{not json", json.dumps({"id": "c", "schema": "Spaceship"}), json.dumps(bad_date)]
    )

    report = ftm.import_ftm(data.encode(), actor=outsider, partner_code=mexico.code)

    assert not report.applied
    assert sorted((e.row, e.field) for e in report.errors) == [(2, "schema"), (3, "schema"), (4, "birthDate")]
    assert WatchlistEntry.objects.count() == 0


def test_only_those_who_keep_the_watchlist_may_import(caseworker, owner, network, tmp_path):
    (path,) = ftm.export_ftm(owner, tmp_path)
    report = ftm.import_ftm(path.read_bytes(), actor=caseworker, partner_code=owner.institution.code)
    assert not report.applied and WatchlistEntry.objects.count() == 0
