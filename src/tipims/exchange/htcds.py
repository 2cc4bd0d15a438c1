"""HTCDS 2.0 export and import (IOM's Human Trafficking Case Data Standard, CC BY 4.0).

Field names and picklist values are HTCDS's (reference/htcds/htcds-field-standards-2.0.csv). One table
per HTCDS section, joined by identifier columns (``org_ID``, ``prs_ID``, ``vic_ID``, ``cas_ID``): HTCDS
is a Salesforce data model whose records carry their Id; a flat exchange needs the same keys.

What TIPIMS holds and HTCDS has no field for travels in ``x_tipims_*`` columns (HTCDS allows
extensions), so an export read back into TIPIMS loses nothing:
- persons: the second surname (HTCDS has FirstName/MiddleName/SecondName), the precision of the date
  of birth and an estimated age, identity documents (type and issuing country beside prs_IdentityNumber);
- victims: the identification date and the place of recruitment as text (HTCDS: a lookup to an
  organisation);
- cases: opening and closing dates; consent: purpose, institution shared with, date given, withdrawal.
What HTCDS has and TIPIMS does not hold (left empty on export, ignored on import): salutation, marital
status, number of children, languages, education, e-mail, recruitment/exploitation websites and apps,
vulnerabilities, historic trafficking events (hte_*), case comments (TIPIMS keeps case notes private to
the owning institution and does not export them), incoming referral details, assessments.
Not preserved by an import: the dates TIPIMS sets itself (a referral's date, the time a consent was
withdrawn, a support plan's actual end): they become the date of the import.
Perpetrator contexts (per_RoleInProcess of justice defendants) are exported; they are not imported,
because a defendant belongs to a criminal case that only a prosecutor opens.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts import services as account_services
from tipims.accounts.models import Institution
from tipims.accounts.policy import Action, Capability, FieldGroup
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.core import countries, vocabularies
from tipims.exchange.framework import (
    ImportContext,
    ImportReport,
    Row,
    RowError,
    RowFailed,
    run_import,
)
from tipims.exchange.models import ExternalKey
from tipims.exchange.tables import read_csv, read_xlsx, text_of, write_csv, write_xlsx
from tipims.people import services as people_services
from tipims.people.models import PersonRecord
from tipims.protection import services as protection_services
from tipims.protection.models import Consent, ProtectionCase, Referral, SupportPlan, Victim

MULTI = ";"  # Salesforce's multiselect picklist separator, used by HTCDS


@dataclass(frozen=True)
class Table:
    name: str
    id_column: str
    columns: tuple[str, ...]


TABLES: tuple[Table, ...] = (
    Table("organisations", "org_ID", ("org_ID", "org_Name", "org_Type", "org_ShippingCountry")),
    Table(
        "persons",
        "prs_ID",
        (
            "prs_ID",
            "org_ID",
            "prs_FirstName",
            "prs_SecondName",
            "x_tipims_SecondSurname",
            "prs_Birthdate",
            "x_tipims_BirthdatePrecision",
            "x_tipims_EstimatedAge",
            "x_tipims_AgeEstimatedOn",
            "prs_Gender",
            "prs_Citizenship",
            "prs_MobilePhone",
            "prs_MailingStreet",
        ),
    ),
    Table(
        "identity_documents",
        "",
        ("prs_ID", "x_tipims_DocumentType", "prs_IdentityNumber", "x_tipims_IssuingCountry"),
    ),
    Table(
        "victims",
        "vic_ID",
        (
            "vic_ID",
            "prs_ID",
            "x_tipims_IdentifiedOn",
            "vic_TraffickingStatus",
            "vic_TraffickingStatusDecisionMakingOrg",
            "vic_RelationshipToTrafficker",
            "vic_AgeWhenTrafficked",
            "vic_MethodOfRecruitment",
            "x_tipims_PlaceOfRecruitment",
            "vic_MethodsOfControl",
            "vic_TypeOfExploitation",
            "vic_ForcedLabourIndustry",
            "vic_TypeOfSexExploitation",
        ),
    ),
    Table(
        "consents",
        "con_ID",
        (
            "con_ID",
            "vic_ID",
            "con_Consent",
            "x_tipims_Purpose",
            "x_tipims_SharedWith",
            "x_tipims_GivenOn",
            "x_tipims_Withdrawn",
        ),
    ),
    Table(
        "cases",
        "cas_ID",
        (
            "cas_ID",
            "vic_ID",
            "cas_Status",
            "cas_ReasonForCaseClosure",
            "x_tipims_OpenedOn",
            "x_tipims_ClosedOn",
        ),
    ),
    Table(
        "support_plans",
        "",
        ("cas_ID", "spl_Type", "spl_Objectives", "spl_PlannedEndDate", "spl_ActualEndDate"),
    ),
    Table(
        "referrals",
        "ref_ID",
        (
            "ref_ID",
            "vic_ID",
            "cas_ReferredOrganisation",
            "cas_ReasonForOutgoingReferral",
            "cas_OutgoingReferralDate",
            "cas_OutgoingReferralDetails",
            "x_tipims_LegalBasis",
            "x_tipims_LegalBasisReference",
        ),
    ),
    Table("perpetrators", "", ("prs_ID", "per_RoleInProcess")),
)
TABLE_BY_NAME = {table.name: table for table in TABLES}
IMPORTED_TABLES = ("organisations", "persons", "identity_documents", "victims", "consents", "cases",
                   "support_plans", "referrals")  # fmt: skip

# The model field each column writes, for errors from the services named by the file's columns.
COLUMNS = {
    "given_names": "prs_FirstName",
    "surname1": "prs_SecondName",
    "surname2": "x_tipims_SecondSurname",
    "birth_date": "prs_Birthdate",
    "birth_date_precision": "x_tipims_BirthdatePrecision",
    "estimated_age": "x_tipims_EstimatedAge",
    "age_estimated_on": "x_tipims_AgeEstimatedOn",
    "sex": "prs_Gender",
    "citizenships": "prs_Citizenship",
    "phone": "prs_MobilePhone",
    "address": "prs_MailingStreet",
    "document_type": "x_tipims_DocumentType",
    "number": "prs_IdentityNumber",
    "issuing_country": "x_tipims_IssuingCountry",
    "identified_on": "x_tipims_IdentifiedOn",
    "trafficking_status": "vic_TraffickingStatus",
    "status_decided_by": "vic_TraffickingStatusDecisionMakingOrg",
    "relationship_to_trafficker": "vic_RelationshipToTrafficker",
    "age_when_trafficked": "vic_AgeWhenTrafficked",
    "recruitment_methods": "vic_MethodOfRecruitment",
    "recruitment_place": "x_tipims_PlaceOfRecruitment",
    "control_methods": "vic_MethodsOfControl",
    "exploitation_types": "vic_TypeOfExploitation",
    "forced_labour_industry": "vic_ForcedLabourIndustry",
    "sex_exploitation_types": "vic_TypeOfSexExploitation",
    "purpose": "x_tipims_Purpose",
    "shared_with": "x_tipims_SharedWith",
    "given_on": "x_tipims_GivenOn",
    "status": "cas_Status",
    "closure_reason": "cas_ReasonForCaseClosure",
    "closed_on": "x_tipims_ClosedOn",
    "opened_on": "x_tipims_OpenedOn",
    "plan_type": "spl_Type",
    "objectives": "spl_Objectives",
    "planned_end": "spl_PlannedEndDate",
    "to_institution": "cas_ReferredOrganisation",
    "reason": "cas_ReasonForOutgoingReferral",
    "details": "cas_OutgoingReferralDetails",
    "legal_basis": "x_tipims_LegalBasis",
    "legal_basis_reference": "x_tipims_LegalBasisReference",
    "consent": "x_tipims_SharedWith",
}


# --- export ----------------------------------------------------------------------------------------


def _label(record: Model) -> str:
    return record._meta.label_lower


def _external_ids(model: type[Model], ids: Iterable[int], institution_id: int) -> dict[int, str]:
    keys = ExternalKey.objects.filter(
        institution_id=institution_id, object_type=model._meta.label_lower, object_id__in=list(ids)
    )
    return {key.object_id: key.external_id for key in keys}


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _multi(values: Sequence[str]) -> str:
    return MULTI.join(values)


def export_tables(actor) -> dict[str, list[list[Any]]]:
    """The rows of every HTCDS table the actor may export with identities: its institution's own.

    Identities are exported only where the policy grants EXPORT on the identity field group; the
    export is recorded in the audit trail with the ids of every person exported.
    """
    persons = [
        person
        for person in policy.scoped(actor, PersonRecord.objects.all(), action=Action.EXPORT)
        .select_related("institution")
        .prefetch_related("documents")
        .order_by("id")
        if policy.can(actor, Action.EXPORT, person, FieldGroup.IDENTITY)
    ]
    person_ids = {person.pk for person in persons}
    inst = actor.institution_id
    person_keys = _external_ids(PersonRecord, person_ids, inst)
    person_key = {p.pk: person_keys.get(p.pk, p.reference) for p in persons}
    victims = list(
        policy.scoped(actor, Victim.objects.filter(person_id__in=person_ids), action=Action.EXPORT).order_by(
            "id"
        )
    )
    victim_keys = _external_ids(Victim, [v.pk for v in victims], inst)
    victim_key = {v.pk: victim_keys.get(v.pk, v.reference) for v in victims}
    consents = list(
        Consent.objects.filter(victim_id__in=victim_key, institution_id=inst)
        .select_related("shared_with")
        .order_by("id")
    )
    consent_keys = _external_ids(Consent, [c.pk for c in consents], inst)
    cases = list(ProtectionCase.objects.filter(victim_id__in=victim_key, institution_id=inst).order_by("id"))
    case_keys = _external_ids(ProtectionCase, [c.pk for c in cases], inst)
    case_key = {c.pk: case_keys.get(c.pk, c.reference) for c in cases}
    plans = list(SupportPlan.objects.filter(case_id__in=case_key).order_by("id"))
    referrals = list(
        Referral.objects.filter(victim_id__in=victim_key, institution_id=inst)
        .select_related("to_institution")
        .order_by("id")
    )
    referral_keys = _external_ids(Referral, [r.pk for r in referrals], inst)

    organisations: dict[str, Institution] = {actor.institution.code: actor.institution}
    for consent in consents:
        if consent.shared_with:
            organisations[consent.shared_with.code] = consent.shared_with
    for referral in referrals:
        organisations[referral.to_institution.code] = referral.to_institution

    tables: dict[str, list[list[Any]]] = {
        "organisations": [
            [org.code, org.name, org.org_type, org.country]
            for org in sorted(organisations.values(), key=lambda o: o.code)
        ],
        "persons": [
            [
                person_key[p.pk],
                p.institution.code,
                p.given_names,
                p.surname1,
                p.surname2,
                _date(p.birth_date),
                p.birth_date_precision,
                "" if p.estimated_age is None else p.estimated_age,
                _date(p.age_estimated_on),
                p.sex,
                _multi(p.citizenships),
                p.phone,
                p.address,
            ]
            for p in persons
        ],
        "identity_documents": [
            [person_key[p.pk], d.document_type, d.number, d.issuing_country]
            for p in persons
            for d in p.documents.all()
        ],
        "victims": [
            [
                victim_key[v.pk],
                person_key[v.person_id],
                _date(v.identified_on),
                v.trafficking_status,
                v.status_decided_by,
                v.relationship_to_trafficker,
                "" if v.age_when_trafficked is None else v.age_when_trafficked,
                _multi(v.recruitment_methods),
                v.recruitment_place,
                _multi(v.control_methods),
                _multi(v.exploitation_types),
                v.forced_labour_industry,
                _multi(v.sex_exploitation_types),
            ]
            for v in victims
        ],
        "consents": [
            [
                consent_keys.get(c.pk, f"CON-{c.pk}"),
                victim_key[c.victim_id],
                "true",
                c.purpose,
                c.shared_with.code if c.shared_with else "",
                _date(c.given_on),
                "true" if c.withdrawn_at else "false",
            ]
            for c in consents
        ],
        "cases": [
            [
                case_key[c.pk],
                victim_key[c.victim_id],
                c.status,
                c.closure_reason,
                _date(c.opened_on),
                _date(c.closed_on),
            ]
            for c in cases
        ],
        "support_plans": [
            [case_key[s.case_id], s.plan_type, s.objectives, _date(s.planned_end), _date(s.actual_end)]
            for s in plans
        ],
        "referrals": [
            [
                referral_keys.get(r.pk, r.reference),
                victim_key[r.victim_id],
                r.to_institution.code,
                r.reason,
                _date(r.created_at.date()),
                r.details,
                r.legal_basis,
                r.legal_basis_reference,
            ]
            for r in referrals
        ],
        "perpetrators": _perpetrators(actor, person_key),
    }
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="people.personrecord",
        object_id="htcds",
        fields=["identity", "contact", "case"],
        object_ids=[p.pk for p in persons],
    )
    return tables


def _perpetrators(actor, person_key: dict[int, str]) -> list[list[Any]]:
    from tipims.justice.models import Defendant

    rows = []
    for defendant in Defendant.objects.filter(person_id__in=person_key).order_by("person_id", "id"):
        rows.append([person_key[defendant.person_id], _multi(defendant.roles)])
    return rows


def export_htcds(actor, directory: Path, *, formats: Sequence[str] = ("csv", "xlsx")) -> list[Path]:
    """Write htcds_<table>.csv files and one htcds.xlsx workbook into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    tables = export_tables(actor)
    written = []
    if "csv" in formats:
        for table in TABLES:
            path = directory / f"htcds_{table.name}.csv"
            write_csv(path, table.columns, tables[table.name])
            written.append(path)
    if "xlsx" in formats:
        path = directory / "htcds.xlsx"
        write_xlsx(path, {table.name: (table.columns, tables[table.name]) for table in TABLES})
        written.append(path)
    return written


def export_xlsx_bytes(actor) -> bytes:
    tables = export_tables(actor)
    buffer = io.BytesIO()
    write_xlsx(buffer, {table.name: (table.columns, tables[table.name]) for table in TABLES})
    return buffer.getvalue()


# --- import ----------------------------------------------------------------------------------------


def read_htcds(path: Path) -> tuple[list[Row], list[RowError]]:
    """The rows of an HTCDS export: a workbook, one CSV, or a directory of htcds_<table>.csv files."""
    path = Path(path)
    if path.is_dir():
        files = {table.name: path / f"htcds_{table.name}.csv" for table in TABLES}
        tables, errors = {}, []
        for name, file in files.items():
            if file.exists():
                rows, file_errors = read_csv(file.read_bytes(), name)
                tables[name] = rows
                errors.extend(file_errors)
        if not tables:
            errors.append(RowError(path.name, 1, "__all__", _("The folder holds no htcds_<table>.csv file.")))
        return _ordered(tables), errors
    data = path.read_bytes()
    return read_htcds_bytes(data, path.name)


def read_htcds_bytes(data: bytes, name: str) -> tuple[list[Row], list[RowError]]:
    if name.lower().endswith(".xlsx"):
        sheets, errors = read_xlsx(data)
        unknown = sorted(set(sheets) - set(TABLE_BY_NAME))
        for sheet in unknown:
            errors.append(
                RowError(sheet, 1, "__all__", _("Not an HTCDS table of TIPIMS: the sheet is ignored."))
            )
        return _ordered({k: v for k, v in sheets.items() if k in TABLE_BY_NAME}), [
            e for e in errors if e.sheet not in unknown
        ]
    stem = Path(name).stem.removeprefix("htcds_")
    table = stem if stem in TABLE_BY_NAME else _guess_table(data)
    if table is None:
        return [], [RowError(name, 1, "__all__", _("Cannot tell which HTCDS table this file holds."))]
    rows, errors = read_csv(data, table)
    return _ordered({table: rows}), errors


def _guess_table(data: bytes) -> str | None:
    first = data.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    for table in TABLES:
        if first.startswith(table.columns[0]) and all(column in first for column in table.columns[:2]):
            return table.name
    return None


def _ordered(tables: dict[str, list[Row]]) -> list[Row]:
    """Rows in dependency order: organisations before persons before victims before cases ..."""
    return [row for table in TABLES for row in tables.get(table.name, [])]


def _cell(row: Row, column: str) -> str:
    return text_of(row.values.get(column))


def _parse_date(row: Row, column: str, *, required: bool = False) -> datetime.date | None:
    text = _cell(row, column)
    if not text:
        if required:
            raise RowFailed(column, _("This field is required."))
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise RowFailed(column, _("Not a date: write it as YYYY-MM-DD.")) from None


def _parse_int(row: Row, column: str) -> int | None:
    text = _cell(row, column)
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise RowFailed(column, _("Not a whole number.")) from None
    if value < 0 or value > 150:
        raise RowFailed(column, _("Out of range."))
    return value


def _parse_multi(row: Row, column: str, vocabulary: str | None = None) -> list[str]:
    values = [part.strip() for part in _cell(row, column).replace(",", MULTI).split(MULTI) if part.strip()]
    if vocabulary is not None:
        unknown = [value for value in values if value not in vocabularies.codes(vocabulary)]
        if unknown:
            raise RowFailed(column, _("Not an HTCDS value: %(value)s") % {"value": unknown[0]})
    return values


def _parse_bool(row: Row, column: str) -> bool:
    text = _cell(row, column).lower()
    if text in ("", "false", "0", "no", "n"):
        return False
    if text in ("true", "1", "yes", "y", "si", "sí"):
        return True
    raise RowFailed(column, _("Write true or false."))


def _require_id(row: Row, column: str) -> str:
    value = _cell(row, column)
    if not value:
        raise RowFailed(column, _("This field is required."))
    if len(value) > 200:
        raise RowFailed(column, _("The identifier is longer than 200 characters."))
    return value


def _remember(context: ImportContext, table: str, external_id: str, record: Model) -> None:
    if (table, external_id) in context.keys:
        raise RowFailed(TABLE_BY_NAME[table].id_column, _("This identifier appears twice in the file."))
    ExternalKey.objects.create(
        institution=context.actor.institution,
        namespace=f"htcds.{table}",
        external_id=external_id,
        object_type=_label(record),
        object_id=record.pk,
    )
    context.keys[(table, external_id)] = record


def _known(context: ImportContext, table: str, external_id: str) -> None:
    """Refuse a row imported before: a second import must not duplicate a victim."""
    if ExternalKey.objects.filter(
        institution=context.actor.institution, namespace=f"htcds.{table}", external_id=external_id
    ).exists():
        raise RowFailed(TABLE_BY_NAME[table].id_column, _("This record was imported before."))


def _lookup(context: ImportContext, row: Row, table: str, column: str) -> Model:
    external_id = _require_id(row, column)
    record = context.keys.get((table, external_id))
    if record is None:
        key = ExternalKey.objects.filter(
            institution=context.actor.institution, namespace=f"htcds.{table}", external_id=external_id
        ).first()
        if key is not None:
            record = _by_key(table, key.object_id)
    if record is None:
        record = _by_reference(context.actor, table, external_id)
    if record is None:
        raise RowFailed(column, _("No %(table)s row with this identifier.") % {"table": table})
    return record


_MODELS = {"persons": PersonRecord, "victims": Victim, "cases": ProtectionCase, "consents": Consent}


def _by_key(table: str, pk: int) -> Model | None:
    try:
        return _MODELS[table].objects.get(pk=pk)
    except ObjectDoesNotExist:
        return None


def _by_reference(actor, table: str, reference: str) -> Model | None:
    """A row may refer to a record already in TIPIMS by its reference (a victim recorded before)."""
    model = _MODELS.get(table)
    if model is None or not hasattr(model, "reference"):
        return None
    return policy.scoped(actor, model.objects.filter(reference=reference), action=Action.CHANGE).first()


def _organisation(
    context: ImportContext, row: Row, column: str, *, required: bool = True
) -> Institution | None:
    code = _cell(row, column)
    if not code:
        if required:
            raise RowFailed(column, _("This field is required."))
        return None
    institution = Institution.objects.filter(code=code).first()
    if institution is None:
        raise RowFailed(
            column, _("Unknown organisation %(code)s: import the organisations first.") % {"code": code}
        )
    return institution


def _import_organisation(row: Row, context: ImportContext) -> None:
    code = _require_id(row, "org_ID")
    if Institution.objects.filter(code=code).exists():
        context.report.count("organisations_matched")
        return
    if not policy.has_capability(context.actor, Capability.ADMINISTER):
        raise RowFailed("org_ID", _("Unknown organisation: only an administrator can add organisations."))
    org_type = _cell(row, "org_Type")
    if org_type not in vocabularies.codes("org_Type"):
        raise RowFailed("org_Type", _("Not an HTCDS value: %(value)s") % {"value": org_type})
    country = _cell(row, "org_ShippingCountry").upper() or "GT"
    if not countries.is_country(country):
        raise RowFailed("org_ShippingCountry", _("Use a two-letter ISO 3166 country code."))
    name = _cell(row, "org_Name") or code
    try:
        account_services.institution_create(
            actor=context.actor,
            code=code,
            name=name,
            short_name=name[:40],
            org_type=org_type,
            country=country,
        )
    except Exception as error:
        from django.core.exceptions import ValidationError

        if isinstance(error, ValidationError):
            raise
        raise RowFailed("org_ID", str(error)) from None
    context.report.count("organisations")


def _import_person(row: Row, context: ImportContext) -> None:
    external_id = _require_id(row, "prs_ID")
    _known(context, "persons", external_id)
    precision = _cell(row, "x_tipims_BirthdatePrecision")
    birth_date = _parse_date(row, "prs_Birthdate")
    if not precision:
        precision = "exact" if birth_date else "unknown"
    if precision not in vocabularies.codes("birth_date_precision"):
        raise RowFailed("x_tipims_BirthdatePrecision", _("Choose a value from the list."))
    values = {
        "given_names": _cell(row, "prs_FirstName"),
        "surname1": _cell(row, "prs_SecondName"),
        "surname2": _cell(row, "x_tipims_SecondSurname"),
        "birth_date": birth_date,
        "birth_date_precision": precision,
        "estimated_age": _parse_int(row, "x_tipims_EstimatedAge"),
        "age_estimated_on": _parse_date(row, "x_tipims_AgeEstimatedOn"),
        "sex": _cell(row, "prs_Gender") or "NonSpecifiedUnknown",
        "citizenships": [code.upper() for code in _parse_multi(row, "prs_Citizenship")],
        "phone": _cell(row, "prs_MobilePhone"),
        "address": _cell(row, "prs_MailingStreet"),
    }
    values = {name: value for name, value in values.items() if value not in ("", None, [])}
    person = people_services.person_record_create(actor=context.actor, values=values)
    _remember(context, "persons", external_id, person)
    context.report.count("persons")


def _import_document(row: Row, context: ImportContext) -> None:
    person = _lookup(context, row, "persons", "prs_ID")
    document = people_services.DocumentInput(
        document_type=_cell(row, "x_tipims_DocumentType") or "OTHER",
        number=_cell(row, "prs_IdentityNumber"),
        issuing_country=_cell(row, "x_tipims_IssuingCountry").upper(),
    )
    people_services.identity_document_add(actor=context.actor, record=person, document=document)
    context.report.count("identity_documents")


def _import_victim(row: Row, context: ImportContext) -> None:
    external_id = _require_id(row, "vic_ID")
    _known(context, "victims", external_id)
    person = _lookup(context, row, "persons", "prs_ID")
    values = {
        "identified_on": _parse_date(row, "x_tipims_IdentifiedOn", required=True),
        "trafficking_status": _cell(row, "vic_TraffickingStatus"),
        "status_decided_by": _cell(row, "vic_TraffickingStatusDecisionMakingOrg"),
        "relationship_to_trafficker": _cell(row, "vic_RelationshipToTrafficker"),
        "age_when_trafficked": _parse_int(row, "vic_AgeWhenTrafficked"),
        "recruitment_methods": _parse_multi(row, "vic_MethodOfRecruitment", "vic_MethodOfRecruitment"),
        "recruitment_place": _cell(row, "x_tipims_PlaceOfRecruitment"),
        "control_methods": _parse_multi(row, "vic_MethodsOfControl", "vic_MethodsOfControl"),
        "exploitation_types": _parse_multi(row, "vic_TypeOfExploitation", "vic_TypeOfExploitation"),
        "forced_labour_industry": _cell(row, "vic_ForcedLabourIndustry"),
        "sex_exploitation_types": _parse_multi(row, "vic_TypeOfSexExploitation", "vic_TypeOfSexExploitation"),
    }
    victim = protection_services.victim_identify(actor=context.actor, person=person, values=values)
    _remember(context, "victims", external_id, victim)
    context.report.count("victims")


def _import_consent(row: Row, context: ImportContext) -> None:
    external_id = _require_id(row, "con_ID")
    _known(context, "consents", external_id)
    victim = _lookup(context, row, "victims", "vic_ID")
    if not _parse_bool(row, "con_Consent"):
        raise RowFailed("con_Consent", _("Only consent given is recorded: con_Consent must be true."))
    consent = protection_services.consent_record(
        actor=context.actor,
        victim=victim,
        purpose=_cell(row, "x_tipims_Purpose") or "services",
        given_on=_parse_date(row, "x_tipims_GivenOn", required=True),
        shared_with=_organisation(context, row, "x_tipims_SharedWith", required=False),
    )
    _parse_bool(row, "x_tipims_Withdrawn")  # checked now, applied in the last pass (after the referrals)
    _remember(context, "consents", external_id, consent)
    context.report.count("consents")


def _import_case(row: Row, context: ImportContext) -> None:
    external_id = _require_id(row, "cas_ID")
    _known(context, "cases", external_id)
    victim = _lookup(context, row, "victims", "vic_ID")
    case = protection_services.protection_case_open(
        actor=context.actor, victim=victim, opened_on=_parse_date(row, "x_tipims_OpenedOn", required=True)
    )
    _remember(context, "cases", external_id, case)
    context.report.count("cases")


def _import_plan(row: Row, context: ImportContext) -> None:
    case = _lookup(context, row, "cases", "cas_ID")
    plan_type = _cell(row, "spl_Type")
    if plan_type not in vocabularies.codes("spl_Type"):
        raise RowFailed("spl_Type", _("Not an HTCDS value: %(value)s") % {"value": plan_type})
    protection_services.support_plan_add(
        actor=context.actor,
        case=case,
        plan_type=plan_type,
        objectives=_cell(row, "spl_Objectives"),
        planned_end=_parse_date(row, "spl_PlannedEndDate"),
    )
    context.report.count("support_plans")


def _import_referral(row: Row, context: ImportContext) -> None:
    external_id = _require_id(row, "ref_ID")
    _known(context, "referrals", external_id)
    victim = _lookup(context, row, "victims", "vic_ID")
    referral = protection_services.referral_create(
        actor=context.actor,
        victim=victim,
        to_institution=_organisation(context, row, "cas_ReferredOrganisation"),
        reason=_cell(row, "cas_ReasonForOutgoingReferral"),
        details=_cell(row, "cas_OutgoingReferralDetails"),
        legal_basis=_cell(row, "x_tipims_LegalBasis"),
        legal_basis_reference=_cell(row, "x_tipims_LegalBasisReference"),
    )
    _remember(context, "referrals", external_id, referral)
    context.report.count("referrals")


def _ignore(row: Row, context: ImportContext) -> None:
    context.report.count(f"{row.sheet}_not_imported")


HANDLERS = {
    "organisations": _import_organisation,
    "persons": _import_person,
    "identity_documents": _import_document,
    "victims": _import_victim,
    "consents": _import_consent,
    "cases": _import_case,
    "support_plans": _import_plan,
    "referrals": _import_referral,
    "perpetrators": _ignore,
}


def _handle(row: Row, context: ImportContext) -> None:
    unknown = sorted(set(row.values) - set(TABLE_BY_NAME[row.sheet].columns))
    if unknown:
        raise RowFailed(unknown[0], _("Not a column of this HTCDS table."))
    HANDLERS[row.sheet](row, context)


_STATUS_PASS = "__status_pass__"  # noqa: S105 (a marker, not a password)


def import_htcds_rows(rows: list[Row], parse_errors: list[RowError], *, actor, dry_run: bool) -> ImportReport:
    # A last pass: case statuses (support plans can be added only while a case is open) and consent
    # withdrawals (the referrals made while the consent stood must be recorded first).
    final = [
        Row(row.sheet, row.number, {**row.values, _STATUS_PASS: True})
        for row in rows
        if row.sheet in ("cases", "consents")
    ]

    def handler(row: Row, context: ImportContext) -> None:
        if row.values.get(_STATUS_PASS):
            _apply_status(row, context)
        else:
            _handle(row, context)

    report = run_import(
        actor=actor,
        kind="htcds",
        rows=[*rows, *final],
        handler=handler,
        dry_run=dry_run,
        parse_errors=parse_errors,
        columns=COLUMNS,
    )
    report.rows = len(rows)  # the last pass reads case and consent rows again: count them once
    return report


def _apply_status(row: Row, context: ImportContext) -> None:
    if row.sheet == "consents":
        consent = context.keys.get(("consents", _cell(row, "con_ID")))
        if consent is not None and _parse_bool(row, "x_tipims_Withdrawn"):
            protection_services.consent_withdraw(actor=context.actor, consent=consent)
        return
    external_id = _cell(row, "cas_ID")
    case = context.keys.get(("cases", external_id))
    if case is None:
        return  # the case row itself failed and is reported already
    status = _cell(row, "cas_Status") or "Active"
    if status not in vocabularies.codes("cas_Status"):
        raise RowFailed("cas_Status", _("Not an HTCDS value: %(value)s") % {"value": status})
    if status != "Active":
        protection_services.protection_case_set_status(
            actor=context.actor,
            case=case,
            status=status,
            closure_reason=_cell(row, "cas_ReasonForCaseClosure"),
            on=_parse_date(row, "x_tipims_ClosedOn"),
        )


def import_htcds(path: Path, *, actor, dry_run: bool = False) -> ImportReport:
    rows, errors = read_htcds(path)
    return import_htcds_rows(rows, errors, actor=actor, dry_run=dry_run)
