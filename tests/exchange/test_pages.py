"""The import pages (upload, dry-run report, confirm), the exports and the API, as a user meets them."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.exchange.conftest import record_victim
from tipims.accounts.roles import Role
from tipims.audit.models import AuditEvent
from tipims.exchange import htcds
from tipims.people.models import PersonRecord
from tipims.protection.models import Victim


def htcds_workbook(caseworker) -> bytes:
    record_victim(caseworker)
    data = htcds.export_xlsx_bytes(caseworker)
    Victim.objects.all().delete()
    PersonRecord.objects.all().delete()
    from tipims.exchange.models import ExternalKey

    ExternalKey.objects.all().delete()
    return data


def test_an_upload_is_checked_then_written_only_on_confirmation(caseworker, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    data = htcds_workbook(caseworker)
    client = client_for(caseworker)

    checked = client.post(
        "/exchange/import/", {"kind": "htcds", "file": SimpleUploadedFile("htcds.xlsx", data)}
    )
    assert checked.status_code == 200
    assert Victim.objects.count() == 0
    token = checked.context["token"]

    confirmed = client.post("/exchange/import/confirm/", {"token": token})
    assert confirmed.status_code == 200 and confirmed.context["report"].applied
    assert Victim.objects.count() == 1
    assert not (tmp_path / "exchange-uploads" / token).exists()


def test_a_token_cannot_be_confirmed_twice_or_by_someone_else(caseworker, user_with_role, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    data = htcds_workbook(caseworker)
    client = client_for(caseworker)
    token = client.post(
        "/exchange/import/", {"kind": "htcds", "file": SimpleUploadedFile("h.xlsx", data)}
    ).context["token"]
    other = client_for(user_with_role(Role.CASEWORKER, "another-caseworker"))
    assert other.post("/exchange/import/confirm/", {"token": token}).status_code == 404
    assert client.post("/exchange/import/confirm/", {"token": token}).status_code == 200
    assert client.post("/exchange/import/confirm/", {"token": token}).status_code == 404
    assert Victim.objects.count() == 1


def test_a_bad_file_shows_the_row_and_field_and_offers_no_confirmation(caseworker):
    bad = b"prs_ID,prs_FirstName,prs_Birthdate\nP-1,Ana,31/12/2001\n"
    response = client_for(caseworker).post(
        "/exchange/import/", {"kind": "htcds", "file": SimpleUploadedFile("htcds_persons.csv", bad)}
    )
    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.sheet, e.row, e.field) for e in errors] == [("persons", 2, "prs_Birthdate")]
    assert response.context["token"] == ""
    assert b'data-testid="confirm"' not in response.content


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(caseworker, settings):
    settings.TIPIMS_IMPORT_MAX_BYTES = 1024
    response = client_for(caseworker).post(
        "/exchange/import/", {"kind": "htcds", "file": SimpleUploadedFile("big.csv", b"x" * 2000)}
    )
    assert response.status_code == 400 and "file" in response.context["form"].errors


def test_downloading_identities_asks_for_the_password_first(caseworker):
    record_victim(caseworker)
    client = client_for(caseworker)  # signed in without a password just now: no recent authentication
    assert client.get("/exchange/export/htcds/").status_code == 200
    response = client.post("/exchange/export/htcds/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]
    assert not AuditEvent.objects.filter(action="export").exists()


def test_after_the_password_the_workbook_downloads(caseworker):
    from tests.conftest import PASSWORD

    record_victim(caseworker)
    client = client_for(caseworker)
    client.post("/exchange/export/htcds/")
    reauth = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert reauth.status_code == 302
    response = client.post("/exchange/export/htcds/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert AuditEvent.objects.filter(action="export", object_id="htcds").exists()


def test_the_public_ctdc_file_downloads_for_an_analyst_with_the_hxl_row(caseworker, analyst):
    record_victim(caseworker)
    response = client_for(analyst).get("/exchange/export/ctdc.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response.status_code == 200 and rows[1][0].startswith("#")


def test_the_api_dry_runs_by_default_and_reports_rows_and_fields(caseworker):
    client = APIClient()
    client.force_authenticate(caseworker)
    good = b"prs_ID,prs_FirstName,prs_Gender\nP-1,Ana,Feminine\n"
    response = client.post(
        "/api/exchange/imports/", {"kind": "htcds", "file": SimpleUploadedFile("htcds_persons.csv", good)}
    )
    assert response.status_code == 200 and response.json()["created"] == {"persons": 1}
    assert PersonRecord.objects.count() == 0
    bad = b"prs_ID,prs_FirstName,prs_Gender\nP-1,Ana,Feminine\nP-2,Eva,Alien\n"
    response = client.post(
        "/api/exchange/imports/",
        {"kind": "htcds", "file": SimpleUploadedFile("htcds_persons.csv", bad), "dry_run": "false"},
    )
    assert response.status_code == 400
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(3, "prs_Gender")]
    assert PersonRecord.objects.count() == 0


def test_the_api_refuses_a_kind_the_role_may_not_import(caseworker):
    client = APIClient()
    client.force_authenticate(caseworker)
    response = client.post(
        "/api/exchange/imports/", {"kind": "submissions", "file": SimpleUploadedFile("s.csv", b"a\n1\n")}
    )
    assert response.status_code == 404


def test_the_network_export_also_asks_for_the_password(owner):
    response = client_for(owner).post("/exchange/export/ftm/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]
