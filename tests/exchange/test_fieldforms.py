"""An NGO collects monitoring visits offline with KoboCollect or ODK Collect; its export lands as visits."""

from __future__ import annotations

import json

import pytest

from tests.conftest import make_institution, make_user
from tipims.accounts.roles import Role
from tipims.core.models import Municipality
from tipims.exchange import fieldforms
from tipims.exchange.models import ExternalKey
from tipims.monitoring import services as monitoring_services
from tipims.monitoring.models import MonitoringVisit


@pytest.fixture
def monitor(db):
    return make_user("monitor", make_institution("casa-alianza", "NGO"), Role.MONITOR)


@pytest.fixture
def bar(monitor):
    return monitoring_services.establishment_create(
        actor=monitor, name="Bar El Sauce", kind="bar", municipality=Municipality.objects.get(code=2101)
    )


def kobo_csv(bar, *rows: str) -> bytes:
    """As KoboToolbox's legacy CSV export writes it: semicolons, group paths, its own columns."""
    header = (
        "start;end;establishment;visited_on;entry_denied;counts/adults;counts/minors_confirmed;"
        "counts/minors_suspected;counts/minors_gt;counts/minors_hn;counts/minors_sv;counts/minors_ni;"
        "counts/minors_mx;counts/minors_bz;counts/minors_cr;counts/minors_unknown;notes;_id;_uuid;"
        "_submission_time;_validation_status;_index"
    )
    return (header + "\n" + "\n".join(rows) + "\n").encode()


def visit_row(
    bar, uuid: str, *, confirmed="2", suspected="1", hn="2", gt="1", day="2025-03-04", index=1
) -> str:
    return (
        f"2025-03-04T10:00:00.000-06:00;2025-03-04T10:20:00.000-06:00;{bar.pk};{day};no;5;{confirmed};"
        f"{suspected};{gt};{hn};0;0;0;0;0;0;Barra con menores;{index};{uuid};2025-03-04T17:00:00;;{index}"
    )


def test_the_generated_xlsform_converts_to_an_xform_listing_the_establishments(monitor, bar):
    xform = fieldforms.to_xform(fieldforms.visit_xlsform(monitor))
    assert fieldforms.VISIT_FORM_ID in xform
    assert "Bar El Sauce" in xform and "minors_hn" in xform


def test_an_encrypted_form_carries_the_public_key(monitor, bar):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    xform = fieldforms.to_xform(fieldforms.visit_xlsform(monitor, public_key_pem=pem))
    assert "base64RsaPublicKey" in xform


def test_a_kobo_csv_export_of_monitoring_visits_lands_as_visits(monitor, bar):
    data = kobo_csv(bar, visit_row(bar, "uuid-1"), visit_row(bar, "uuid-2", day="2025-03-05", index=2))

    report = fieldforms.import_submissions(data, "visits.csv", actor=monitor)

    assert report.applied, report.errors
    visits = MonitoringVisit.objects.order_by("visited_on")
    assert [v.minors_by_nationality for v in visits] == [{"GT": 1, "HN": 2}, {"GT": 1, "HN": 2}]
    assert visits[0].adults == 5 and visits[0].establishment == bar


def test_an_odk_central_json_export_lands_as_visits(monitor, bar):
    submissions = {
        "value": [
            {
                "__id": "uuid:5d1c",
                "establishment": str(bar.pk),
                "visited_on": "2025-03-04",
                "entry_denied": "yes",
                "counts": {"adults": None, "minors_confirmed": None},
                "meta": {"instanceID": "uuid:5d1c"},
            }
        ]
    }
    report = fieldforms.import_submissions(json.dumps(submissions).encode(), "visits.json", actor=monitor)
    assert report.applied, report.errors
    assert MonitoringVisit.objects.get().entry_denied


def test_the_same_export_imported_twice_records_each_visit_once(monitor, bar):
    data = kobo_csv(bar, visit_row(bar, "uuid-1"))
    fieldforms.import_submissions(data, "visits.csv", actor=monitor)
    again = fieldforms.import_submissions(data, "visits.csv", actor=monitor)
    assert not again.applied and again.errors[0].field == "_uuid"
    assert MonitoringVisit.objects.count() == 1


def test_a_breakdown_that_does_not_add_up_names_the_row_and_field_and_nothing_is_recorded(monitor, bar):
    data = kobo_csv(bar, visit_row(bar, "uuid-1"), visit_row(bar, "uuid-2", hn="7", index=2))

    report = fieldforms.import_submissions(data, "visits.csv", actor=monitor)

    assert [(e.row, e.field) for e in report.errors] == [(3, "minors_by_nationality")]
    assert MonitoringVisit.objects.count() == 0 and ExternalKey.objects.count() == 0


def test_a_dry_run_records_nothing(monitor, bar):
    report = fieldforms.import_submissions(
        kobo_csv(bar, visit_row(bar, "u")), "v.csv", actor=monitor, dry_run=True
    )
    assert report.ok and report.created == {"monitoring_visits": 1}
    assert MonitoringVisit.objects.count() == 0


# --- encrypted ODK submissions ---------------------------------------------------------------------


def odk_collect_encrypt(instance_xml: str, instance_id: str, public_key) -> dict[str, bytes]:
    """What ODK Collect sends for an encrypted form: the clear manifest and submission.xml.enc."""
    import base64
    import hashlib
    import os

    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

    from tipims.exchange.odk_encryption import CFB, OAEP, iv_for

    key = os.urandom(32)
    padder = padding.PKCS7(128).padder()
    plain = instance_xml.encode()
    encryptor = Cipher(algorithms.AES(key), CFB(iv_for(instance_id, key, 0))).encryptor()
    encrypted = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    encrypted_key = base64.b64encode(public_key.encrypt(key, OAEP)).decode()
    lines = [fieldforms.VISIT_FORM_ID, fieldforms.VISIT_FORM_VERSION, encrypted_key, instance_id,
             f"submission.xml::{hashlib.md5(plain).hexdigest()}"]  # noqa: S324  # fmt: skip
    digest = hashlib.md5(("\n".join(lines) + "\n").encode()).digest()  # noqa: S324 (ODK uses MD5)
    signature = base64.b64encode(public_key.encrypt(digest, OAEP)).decode()
    manifest = (
        f'<data xmlns="http://www.opendatakit.org/xforms/encrypted" encrypted="yes" '
        f'id="{fieldforms.VISIT_FORM_ID}" version="{fieldforms.VISIT_FORM_VERSION}">'
        f"<base64EncryptedKey>{encrypted_key}</base64EncryptedKey>"
        f'<meta xmlns="http://openrosa.org/xforms"><instanceID>{instance_id}</instanceID></meta>'
        f"<encryptedXmlFile>submission.xml.enc</encryptedXmlFile>"
        f"<base64EncryptedElementSignature>{signature}</base64EncryptedElementSignature></data>"
    )
    return {"submission.xml": manifest.encode(), "submission.xml.enc": encrypted}


def visit_xml(bar, instance_id: str) -> str:
    return (
        f'<data id="{fieldforms.VISIT_FORM_ID}" version="{fieldforms.VISIT_FORM_VERSION}">'
        f"<establishment>{bar.pk}</establishment><visited_on>2025-03-04</visited_on>"
        "<entry_denied>no</entry_denied><counts><adults>4</adults><minors_confirmed>1</minors_confirmed>"
        "<minors_suspected>0</minors_suspected><minors_sv>1</minors_sv></counts><notes/>"
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    )


@pytest.fixture
def form_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def briefcase_zip(submissions: dict[str, dict[str, bytes]]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for folder, files in submissions.items():
            for name, data in files.items():
                archive.writestr(f"instances/{folder}/{name}", data)
    return buffer.getvalue()


def test_encrypted_odk_submissions_decrypt_with_the_private_key_and_land_as_visits(monitor, bar, form_key):
    uuid = "uuid:7f2b0c1e-0000-4000-8000-000000000001"
    data = briefcase_zip({"uuid7f2b": odk_collect_encrypt(visit_xml(bar, uuid), uuid, form_key.public_key())})

    report = fieldforms.import_submissions(
        data, "instances.zip", actor=monitor, private_key_pem=pem(form_key)
    )

    assert report.applied, report.errors
    assert MonitoringVisit.objects.get().minors_by_nationality == {"SV": 1}


def test_a_submission_under_another_key_or_altered_is_refused_by_row(monitor, bar, form_key):
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    good = odk_collect_encrypt(visit_xml(bar, "uuid:a"), "uuid:a", form_key.public_key())
    tampered = odk_collect_encrypt(visit_xml(bar, "uuid:b"), "uuid:b", form_key.public_key())
    tampered["submission.xml.enc"] = tampered["submission.xml.enc"][:-1] + bytes(
        [tampered["submission.xml.enc"][-1] ^ 1]
    )
    foreign = odk_collect_encrypt(visit_xml(bar, "uuid:c"), "uuid:c", other.public_key())
    data = briefcase_zip({"a": good, "b": tampered, "c": foreign})

    report = fieldforms.import_submissions(
        data, "instances.zip", actor=monitor, private_key_pem=pem(form_key)
    )

    assert not report.applied
    assert sorted((e.row, e.field) for e in report.errors) == [
        (2, "submission.xml.enc"),
        (3, "submission.xml.enc"),
    ]
    assert MonitoringVisit.objects.count() == 0


# --- the HTCDS XLSForm ----------------------------------------------------------------------------


def test_kobo_submissions_of_the_htcds_xlsform_land_as_victims(caseworker):
    from tipims.protection.models import Consent, ProtectionCase, Victim

    header = (
        "start,end,con_Consent,prs_Salutation,prs_First_Name,prs_Second_Name,prs_Birthdate,prs_Gender,"
        "prs_Citizenship,prs_MobilePhone,vic_MethodOfRecruitment,vic_TraffickingStatus,"
        "vic_TraffickingStatusDecisionMakingOrg,vic_Methods_of_Control,vic_TypeOfExploitation,"
        "vic_ForcedLabourIndustry,vic_TypeOfSexExploitation,cas_Status,_id,_uuid,_submission_time"
    )
    row = (
        "2025-02-01T09:00:00-06:00,2025-02-01T09:30:00-06:00,TRUE,,Lesly,Ajanel,2008-07-01,Feminine,HN,,"
        "ThroughOnlineSocialNetworks,PossibleVictimOfTrafficking,NGO,DebtBondage FalsePromises,"
        "SexualExploitation,,Prostitution,Active,17,6a1f-1,2025-02-01T16:00:00"
    )
    report = fieldforms.import_submissions(f"{header}\n{row}\n".encode(), "htcds.csv", actor=caseworker)

    assert report.applied, report.errors
    victim = Victim.objects.get()
    assert victim.control_methods == ["DebtBondage", "FalsePromises"]
    assert victim.identified_on.isoformat() == "2025-02-01" and victim.person.given_names == "Lesly"
    assert Consent.objects.count() == 1 and ProtectionCase.objects.count() == 1


def test_what_tipims_cannot_hold_from_the_htcds_form_is_reported_by_field(caseworker):
    """The form lets a worker tick several industries; TIPIMS records the main one."""
    from tipims.protection.models import Victim

    header = "end,prs_First_Name,prs_Gender,vic_TraffickingStatus,vic_TypeOfExploitation,vic_ForcedLabourIndustry,_uuid"
    row = "2025-02-01,Ana,Feminine,PossibleVictimOfTrafficking,ForcedLabour,A_AgricultureForestryAndFishing C_Manufacturing,u-1"
    bad_status = "2025-02-01,Eva,Feminine,Maybe,,,u-2"
    report = fieldforms.import_submissions(
        f"{header}\n{row}\n{bad_status}\n".encode(), "htcds.csv", actor=caseworker
    )
    assert [(e.row, e.field) for e in report.errors] == [
        (2, "vic_ForcedLabourIndustry"),
        (3, "vic_TraffickingStatus"),
    ]
    assert Victim.objects.count() == 0


# --- the screening form -----------------------------------------------------------------------------


def test_the_screening_xlsform_is_generated_from_protections_flag_form():
    xform = fieldforms.to_xform(fieldforms.screening_xlsform())
    assert fieldforms.SCREENING_FORM_ID in xform
    for field in ("given_names", "exploitation_types", "observations", "SexualExploitation"):
        assert field in xform


def test_a_border_post_screening_submission_flags_a_possible_victim(shelter_institution):
    from tipims.protection.models import Referral, Victim

    officer = make_user("officer", make_institution("igm", "ImmigrationService"), Role.BORDER_OFFICER)
    header = "start,end,given_names,surname1,surname2,sex,estimated_age,citizenship,exploitation_types,observations,_uuid"
    row = "2025-03-01,2025-03-01,Kenia,Mejía,,Feminine,15,HN,SexualExploitation ForcedLabour,Viaja con adulto no pariente,s-1"
    bad = "2025-03-01,2025-03-01,Ana,,,Feminine,200,HN,,,s-2"

    report = fieldforms.import_submissions(
        f"{header}\n{row}\n{bad}\n".encode(), "screening.csv", actor=officer
    )
    assert [(e.row, e.field) for e in report.errors] == [(3, "estimated_age")]
    assert Victim.objects.count() == 0

    report = fieldforms.import_submissions(f"{header}\n{row}\n".encode(), "screening.csv", actor=officer)
    assert report.applied, report.errors
    victim = Victim.objects.get()
    assert victim.flagged and victim.institution == shelter_institution
    assert Referral.objects.get().institution == officer.institution
