"""Malformed files thrown at every importer: never a crash, never a partial write, always a report that
names the row and the field (hypothesis generates the files)."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipims.exchange import fieldforms, htcds, pprl
from tipims.exchange.framework import ImportReport
from tipims.exchange.models import ExternalKey, PartnerEncoding
from tipims.monitoring.models import MonitoringVisit
from tipims.people.models import PersonRecord
from tipims.protection.models import Victim

EXAMPLES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MODELS = (PersonRecord, Victim, MonitoringVisit, ExternalKey, PartnerEncoding)

cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "Feminine", "2024-05-02", "2099-01-01", "-1", "=1+1", "ActualVictimOfTrafficking",
                     "P-1", "HN;XX", "yes", "NaN", "1e9", "\x00"]),
)  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def assert_sound(report: ImportReport, before: dict[str, int]) -> None:
    if not report.applied:
        assert counts() == before
    if not report.ok:
        assert report.errors, "a failed import must say why"
        for error in report.errors:
            assert error.row >= 1 and error.field and error.message and error.sheet


def csv_of(header: list[str], rows: list[list[str]]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


@pytest.mark.django_db
@EXAMPLES
@given(
    table=st.sampled_from(htcds.TABLES),
    rows=st.lists(st.lists(cell, min_size=0, max_size=16), max_size=5),
)
def test_htcds_csv_with_random_cells(caseworker, table, rows):
    before = counts()
    try:
        data = csv_of(list(table.columns), rows)
    except UnicodeEncodeError:
        return
    parsed, errors = htcds.read_htcds_bytes(data, f"htcds_{table.name}.csv")
    assert_sound(htcds.import_htcds_rows(parsed, errors, actor=caseworker, dry_run=False), before)


@pytest.mark.django_db
@EXAMPLES
@given(data=st.binary(max_size=600))
def test_htcds_random_bytes_as_csv_and_as_xlsx(caseworker, data):
    for name in ("htcds_persons.csv", "htcds.xlsx", "unknown.csv"):
        before = counts()
        parsed, errors = htcds.read_htcds_bytes(data, name)
        assert_sound(htcds.import_htcds_rows(parsed, errors, actor=caseworker, dry_run=False), before)


@pytest.mark.django_db
@EXAMPLES
@given(rows=st.lists(st.lists(cell, max_size=14), min_size=1, max_size=4))
def test_htcds_xlsx_with_random_cells(caseworker, rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "persons"
    sheet.append(list(htcds.TABLE_BY_NAME["persons"].columns))
    for row in rows:
        try:
            sheet.append(row)
        except Exception:  # openpyxl refuses control characters: not a file anyone could send
            return
    buffer = io.BytesIO()
    book.save(buffer)
    before = counts()
    parsed, errors = htcds.read_htcds_bytes(buffer.getvalue(), "htcds.xlsx")
    assert_sound(htcds.import_htcds_rows(parsed, errors, actor=caseworker, dry_run=False), before)


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)


@pytest.mark.django_db
@EXAMPLES
@given(payload=json_value)
def test_submissions_json_of_any_shape(caseworker, payload):
    before = counts()
    report = fieldforms.import_submissions(json.dumps(payload).encode(), "s.json", actor=caseworker)
    assert_sound(report, before)


@pytest.mark.django_db
@EXAMPLES
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "establishment": cell,
                "visited_on": cell,
                "entry_denied": cell,
                "counts/adults": cell,
                "_uuid": cell,
            }
        ),
        max_size=4,
    )
)
def test_submissions_csv_with_random_cells(caseworker, rows):
    header = ["establishment", "visited_on", "entry_denied", "counts/adults", "_uuid"]
    try:
        data = csv_of(header, [[row[name] for name in header] for row in rows])
    except UnicodeEncodeError:
        return
    before = counts()
    assert_sound(fieldforms.import_submissions(data, "s.csv", actor=caseworker), before)


@pytest.mark.django_db
@EXAMPLES
@given(payload=json_value, data=st.binary(max_size=200))
def test_pprl_encodings_of_any_shape(caseworker, payload, data):
    for blob in (json.dumps({"scheme": pprl.SCHEME, "country": "MX", "encodings": payload}).encode(), data):
        before = counts()
        assert_sound(pprl.import_encodings(blob, "p.json", actor=caseworker, partner="MX"), before)


@pytest.mark.django_db
@EXAMPLES
@given(
    lines=st.lists(
        st.one_of(
            json_value.map(json.dumps),
            st.fixed_dictionaries(
                {"id": st.text(max_size=6), "schema": st.sampled_from(["Person", "Passport", "Company", "Nope"]),
                 "properties": st.dictionaries(st.sampled_from(["name", "birthDate", "nationality", "holder", "number"]),
                                               st.lists(cell, max_size=2), max_size=4)}
            ).map(json.dumps),
            st.text(max_size=20),
        ),
        max_size=5,
    )
)  # fmt: skip
def test_ftm_entities_of_any_shape(db, lines):
    from tests.conftest import make_institution, make_user
    from tipims.accounts.models import Institution, User
    from tipims.accounts.roles import Role
    from tipims.border.models import WatchlistEntry
    from tipims.exchange import ftm

    investigator = User.objects.filter(username="ftm-investigator").first() or make_user(
        "ftm-investigator", make_institution("pnc-ftm"), Role.INVESTIGATOR
    )
    partner = Institution.objects.filter(code="mx-ftm").first() or make_institution("mx-ftm")
    before = (counts(), WatchlistEntry.objects.count())
    report = ftm.import_ftm(
        "\n".join(lines).encode("utf-8", "replace"), actor=investigator, partner_code=partner.code
    )
    if not report.applied:
        assert (counts(), WatchlistEntry.objects.count()) == before
    if not report.ok:
        assert all(error.row >= 1 and error.field and error.message for error in report.errors)
