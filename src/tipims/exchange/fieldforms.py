"""Field forms: TIPIMS's monitoring-visit form as an XLSForm for ODK Collect and KoboCollect, and the
submissions partners export from KoboToolbox or ODK Central (CSV or JSON) imported as visits.

The XLSForm is generated from the monitoring model's vocabulary and the establishments the user's
institution may record visits at, and converted with pyxform to check it (the same converter Kobo and
ODK Central run on upload). Submissions are read whatever the exporter did with group names
("group/field" in Kobo, "group-field" in ODK Central's CSV, nested objects in Central's OData JSON).
Each submission keeps its instance id (Kobo ``_uuid``, ODK ``meta/instanceID`` or ``KEY``) so the same
export loaded twice does not record the visits twice.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.exchange.framework import ImportContext, ImportReport, Row, RowError, RowFailed, run_import
from tipims.exchange.models import ExternalKey
from tipims.exchange.tables import read_csv, read_json_records, text_of

VISIT_FORM_ID = "tipims_monitoring_visit"
VISIT_FORM_VERSION = "2026113001"
NATIONALITIES = ("GT", "HN", "SV", "NI", "MX", "BZ", "CR", "unknown")
ID_COLUMNS = ("_uuid", "meta/instanceID", "instanceID", "KEY", "__id")
_YES = {"yes", "true", "1", "si", "sí", "y"}
_NO = {"no", "false", "0", "n", ""}


def visit_form_rows(establishments: Iterable) -> dict[str, list[dict[str, Any]]]:
    """The XLSForm's survey, choices and settings sheets as rows (column name -> value)."""
    survey = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "select_one establishment", "name": "establishment", "label": _("Establishment"), "required": "yes"},
        {"type": "date", "name": "visited_on", "label": _("Date of the visit"), "required": "yes",
         "constraint": ". <= today()", "constraint_message": _("The visit cannot be in the future.")},
        {"type": "select_one yes_no", "name": "entry_denied", "label": _("Was entry denied?"), "required": "yes"},
        {"type": "begin_group", "name": "counts", "label": _("People inside"), "relevant": "${entry_denied} = 'no'"},
        {"type": "integer", "name": "adults", "label": _("Adults"), "constraint": ". >= 0"},
        {"type": "integer", "name": "minors_confirmed", "label": _("Minors confirmed"), "constraint": ". >= 0"},
        {"type": "integer", "name": "minors_suspected", "label": _("Persons who appeared to be minors"),
         "constraint": ". >= 0"},
        *[
            {"type": "integer", "name": f"minors_{code.lower()}",
             "label": _("Minors of nationality %(code)s") % {"code": code}, "constraint": ". >= 0"}
            for code in NATIONALITIES
        ],
        {"type": "end_group", "name": ""},
        {"type": "text", "name": "notes", "label": _("Notes")},
    ]  # fmt: skip
    choices = [{"list_name": "yes_no", "name": "yes", "label": _("Yes")}]
    choices.append({"list_name": "yes_no", "name": "no", "label": _("No")})
    choices += [
        {"list_name": "establishment", "name": str(e.pk), "label": f"{e.name} ({e.municipality})"}
        for e in establishments
    ]
    settings = [
        {"form_title": _("Monitoring visit"), "form_id": VISIT_FORM_ID, "version": VISIT_FORM_VERSION}
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def visit_xlsform(actor, *, public_key_pem: str = "") -> bytes:
    """The XLSForm workbook for the user's institution; with a public key, submissions are encrypted.

    Written by hand rather than from monitoring's VisitForm: offline, minors by nationality are one
    number per country (with constraints) instead of the page's free-text breakdown."""
    from tipims.monitoring.models import Establishment

    establishments = policy.scoped(actor, Establishment.objects.select_related("municipality")).order_by(
        "name"
    )
    sheets = visit_form_rows(establishments)
    if public_key_pem:
        sheets["settings"][0]["public_key"] = _bare_key(public_key_pem)
    return _workbook(sheets)


def to_xform(xlsform: bytes) -> str:
    """The XForm XML pyxform makes of the workbook: what ODK Collect downloads."""
    from pyxform.xls2xform import convert

    return convert(xlsform=xlsform, file_type=".xlsx").xform


# --- any TIPIMS form as an XLSForm ----------------------------------------------------------------

SCREENING_FORM_ID = "tipims_screening"
SCREENING_FORM_VERSION = "2026113001"


def _choices_of(field) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in field.choices if str(value) != ""]


def django_form_rows(form, *, form_id: str, title: str, version: str) -> dict[str, list[dict[str, Any]]]:
    """The XLSForm sheets of a Django form: its fields, labels, choices and required flags, so a field
    form asks exactly what the page asks and its submissions go back through the same form."""
    from django import forms as django_forms

    survey: list[dict[str, Any]] = [{"type": "start", "name": "start"}, {"type": "end", "name": "end"}]
    choices: list[dict[str, Any]] = []
    for name, field in form.fields.items():
        row: dict[str, Any] = {"name": name, "label": str(field.label or name)}
        if field.required and not isinstance(field, django_forms.BooleanField):
            row["required"] = "yes"
        if isinstance(field, django_forms.MultipleChoiceField):
            row["type"] = f"select_multiple {name}"
        elif isinstance(field, django_forms.ChoiceField):
            row["type"] = f"select_one {name}"
        elif isinstance(field, django_forms.BooleanField):
            row["type"] = "select_one yes_no"
        elif isinstance(field, django_forms.IntegerField):
            row["type"] = "integer"
            bounds = [f". >= {field.min_value}" if field.min_value is not None else "",
                      f". <= {field.max_value}" if field.max_value is not None else ""]  # fmt: skip
            if any(bounds):
                row["constraint"] = " and ".join(bound for bound in bounds if bound)
        elif isinstance(field, django_forms.DateField):
            row["type"] = "date"
        else:
            row["type"] = "text"
        if isinstance(field, django_forms.ChoiceField):
            choices += [
                {"list_name": name, "name": value, "label": label} for value, label in _choices_of(field)
            ]
        survey.append(row)
    if any(row["type"] == "select_one yes_no" for row in survey):
        choices += [{"list_name": "yes_no", "name": "yes", "label": _("Yes")},
                    {"list_name": "yes_no", "name": "no", "label": _("No")}]  # fmt: skip
    settings = [{"form_title": title, "form_id": form_id, "version": version}]
    return {"survey": survey, "choices": choices, "settings": settings}


def _workbook(sheets: dict[str, list[dict[str, Any]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        columns = list(dict.fromkeys(column for row in rows for column in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column, "") for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def screening_xlsform(*, public_key_pem: str = "") -> bytes:
    """The screening form (protection's flag of a possible victim) for ODK Collect at border posts."""
    from tipims.protection.forms import FlagForm

    sheets = django_form_rows(
        FlagForm(),
        form_id=SCREENING_FORM_ID,
        title=_("Screening of a possible victim"),
        version=SCREENING_FORM_VERSION,
    )
    if public_key_pem:
        sheets["settings"][0]["public_key"] = _bare_key(public_key_pem)
    return _workbook(sheets)


def _bare_key(public_key_pem: str) -> str:
    return "".join(line for line in public_key_pem.strip().splitlines() if "-----" not in line)


# --- submissions ---------------------------------------------------------------------------------


def _sniff_delimiter(data: bytes) -> bytes:
    """Kobo's legacy CSV export separates with semicolons; ODK Central's with commas."""
    first = data.split(b"\n", 1)[0]
    if first.count(b";") > first.count(b","):
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace")), delimiter=";")
        out = io.StringIO()
        csv.writer(out).writerows(reader)
        return out.getvalue().encode("utf-8")
    return data


def read_submissions(data: bytes, name: str) -> tuple[list[Row], list[RowError]]:
    if name.lower().endswith(".json"):
        return read_json_records(data, "submissions")
    try:
        data = _sniff_delimiter(data)
    except csv.Error as error:
        return [], [RowError("submissions", 1, "__all__", str(error))]
    return read_csv(data, "submissions")


def _field(values: dict[str, Any], name: str) -> str:
    """A field wherever the exporter put it: bare, "group/name", "group-name" or "group.name"."""
    if name in values:
        return text_of(values[name])
    for key, value in values.items():
        for separator in ("/", "-", "."):
            if key.endswith(separator + name):
                return text_of(value)
    return ""


def _count(values: dict[str, Any], name: str) -> int:
    text = _field(values, name)
    if text in ("", "n/a"):
        return 0
    try:
        number = float(text)
    except ValueError:
        raise RowFailed(name, _("Not a whole number.")) from None
    if not number.is_integer() or number < 0:
        raise RowFailed(name, _("Counts must be whole numbers, zero or more."))
    return int(number)


def _instance_id(values: dict[str, Any]) -> str:
    for column in ID_COLUMNS:
        value = _field(values, column)
        if value:
            return value[:200]
    raise RowFailed("_uuid", _("The submission has no instance id (_uuid, meta/instanceID or KEY)."))


def _visit(row: Row, context: ImportContext) -> None:
    from tipims.monitoring import services as monitoring_services
    from tipims.monitoring.models import Establishment

    values = row.values
    instance = _instance_id(values)
    namespace = "submissions.monitoring_visit"
    if (
        ExternalKey.objects.filter(
            institution=context.actor.institution, namespace=namespace, external_id=instance
        ).exists()
        or (namespace, instance) in context.keys
    ):
        raise RowFailed("_uuid", _("This submission was imported before."))
    establishment_id = _field(values, "establishment")
    establishment = None
    if establishment_id.isdigit():
        establishment = policy.scoped(
            context.actor, Establishment.objects.filter(pk=int(establishment_id))
        ).first()
    if establishment is None:
        raise RowFailed("establishment", _("Unknown establishment."))
    day = _field(values, "visited_on")
    try:
        visited_on = datetime.date.fromisoformat(day[:10])
    except ValueError:
        raise RowFailed("visited_on", _("Not a date: write it as YYYY-MM-DD.")) from None
    denied = _field(values, "entry_denied").lower()
    if denied not in _YES | _NO:
        raise RowFailed("entry_denied", _("Answer yes or no."))
    breakdown = {code: _count(values, f"minors_{code.lower()}") for code in NATIONALITIES}
    visit = monitoring_services.monitoring_visit_create(
        actor=context.actor,
        establishment=establishment,
        visited_on=visited_on,
        entry_denied=denied in _YES,
        minors_confirmed=_count(values, "minors_confirmed"),
        minors_suspected=_count(values, "minors_suspected"),
        adults=_count(values, "adults"),
        minors_by_nationality={code: n for code, n in breakdown.items() if n},
        notes=_field(values, "notes"),
    )
    ExternalKey.objects.create(
        institution=context.actor.institution,
        namespace=namespace,
        external_id=instance,
        object_type=visit._meta.label_lower,
        object_id=visit.pk,
    )
    context.keys[(namespace, instance)] = visit
    context.report.count("monitoring_visits")


HTCDS_FORM = "htcds"
# The HTCDS XLSForm's field names (reference/htcds/htcds_xlsform.xlsx) -> TIPIMS person / victim fields.
HTCDS_PERSON = {"prs_First_Name": "given_names", "prs_Second_Name": "surname1", "prs_MobilePhone": "phone",
                "prs_MailingStreet": "address"}  # fmt: skip
HTCDS_PICKLISTS = {
    "vic_TraffickingStatus": "trafficking_status",
    "vic_TraffickingStatusDecisionMakingOrg": "status_decided_by",
}
HTCDS_MULTI = {
    "vic_MethodOfRecruitment": "recruitment_methods",
    "vic_Methods_of_Control": "control_methods",
    "vic_TypeOfExploitation": "exploitation_types",
    "vic_TypeOfSexExploitation": "sex_exploitation_types",
}
HTCDS_COLUMNS = {  # service field -> the form's field, for the report
    **{value: key for key, value in HTCDS_PERSON.items()},
    **{value: key for key, value in HTCDS_PICKLISTS.items()},
    **{value: key for key, value in HTCDS_MULTI.items()},
    "birth_date": "prs_Birthdate",
    "sex": "prs_Gender",
    "citizenships": "prs_Citizenship",
    "forced_labour_industry": "vic_ForcedLabourIndustry",
    "recruitment_place": "vic_LocationOfRecruitment",
    "identified_on": "end",
    "status": "cas_Status",
}


def _submitted_on(values: dict[str, Any]) -> datetime.date:
    """The identification date of an HTCDS form submission: when the form was completed."""
    for name in ("end", "_submission_time", "SubmissionDate", "today"):
        text = _field(values, name)
        if text:
            try:
                return datetime.date.fromisoformat(text[:10])
            except ValueError:
                raise RowFailed(name, _("Not a date: write it as YYYY-MM-DD.")) from None
    raise RowFailed("end", _("The submission has no completion date (end or _submission_time)."))


def _htcds_submission(row: Row, context: ImportContext) -> None:
    """One HTCDS form submission: a person, the victim context, consent and a case when given."""
    from tipims.people import services as people_services
    from tipims.protection import services as protection_services

    values = row.values
    instance = _instance_id(values)
    namespace = "submissions.htcds"
    if (
        ExternalKey.objects.filter(
            institution=context.actor.institution, namespace=namespace, external_id=instance
        ).exists()
        or (namespace, instance) in context.keys
    ):
        raise RowFailed("_uuid", _("This submission was imported before."))
    birth = _field(values, "prs_Birthdate")
    try:
        birth_date = datetime.date.fromisoformat(birth[:10]) if birth else None
    except ValueError:
        raise RowFailed("prs_Birthdate", _("Not a date: write it as YYYY-MM-DD.")) from None
    person_values: dict[str, Any] = {field: _field(values, name) for name, field in HTCDS_PERSON.items()}
    person_values.update(
        birth_date=birth_date,
        birth_date_precision="exact" if birth_date else "unknown",
        sex=_field(values, "prs_Gender") or "NonSpecifiedUnknown",
        citizenships=[code.upper() for code in _field(values, "prs_Citizenship").split()],
    )
    person = people_services.person_record_create(
        actor=context.actor, values={k: v for k, v in person_values.items() if v not in ("", None, [])}
    )
    industries = _field(values, "vic_ForcedLabourIndustry").split()
    if len(industries) > 1:
        raise RowFailed("vic_ForcedLabourIndustry", _("TIPIMS records one industry: choose the main one."))
    identified_on = _submitted_on(values)
    victim_values: dict[str, Any] = {field: _field(values, name) for name, field in HTCDS_PICKLISTS.items()}
    victim_values.update({field: _field(values, name).split() for name, field in HTCDS_MULTI.items()})
    victim_values.update(
        identified_on=identified_on,
        forced_labour_industry=(industries or [""])[0],
        recruitment_place=_field(values, "vic_LocationOfRecruitment"),
    )
    victim = protection_services.victim_identify(actor=context.actor, person=person, values=victim_values)
    context.report.count("persons")
    context.report.count("victims")
    if _field(values, "con_Consent").lower() in _YES:
        protection_services.consent_record(
            actor=context.actor, victim=victim, purpose="services", given_on=identified_on
        )
        context.report.count("consents")
    status = _field(values, "cas_Status")
    if status:
        case = protection_services.protection_case_open(
            actor=context.actor, victim=victim, opened_on=identified_on
        )
        if status != "Active":
            protection_services.protection_case_set_status(
                actor=context.actor,
                case=case,
                status=status,
                closure_reason=_("Closed in the field form."),
                on=identified_on,
            )
        context.report.count("cases")
    ExternalKey.objects.create(
        institution=context.actor.institution,
        namespace=namespace,
        external_id=instance,
        object_type=victim._meta.label_lower,
        object_id=victim.pk,
    )
    context.keys[(namespace, instance)] = victim


def _screening(row: Row, context: ImportContext) -> None:
    """A screening submission goes through protection's own FlagForm and flag service, as on the page."""
    from tipims.protection import services as protection_services
    from tipims.protection.forms import FlagForm

    values = row.values
    instance = _instance_id(values)
    namespace = "submissions.screening"
    if (
        ExternalKey.objects.filter(
            institution=context.actor.institution, namespace=namespace, external_id=instance
        ).exists()
        or (namespace, instance) in context.keys
    ):
        raise RowFailed("_uuid", _("This submission was imported before."))
    data = {name: _field(values, name) for name in FlagForm.base_fields}
    form = FlagForm(
        {**data, "exploitation_types": data["exploitation_types"].split()},
    )
    if not form.is_valid():
        name, messages = next(iter(form.errors.items()))
        raise RowFailed(name, str(messages[0]))
    referral = protection_services.victim_flag(
        actor=context.actor,
        person_values=form.person_values(),
        observations=form.cleaned_data.get("observations") or "",
        exploitation_types=list(form.cleaned_data.get("exploitation_types") or []),
    )
    ExternalKey.objects.create(
        institution=context.actor.institution,
        namespace=namespace,
        external_id=instance,
        object_type=referral._meta.label_lower,
        object_id=referral.pk,
    )
    context.keys[(namespace, instance)] = referral
    context.report.count("flags")


def _form_of(rows: list[Row]) -> str:
    """Which form the submissions answer: the fields they carry."""
    if not rows:
        return VISIT_FORM_ID
    values = rows[0].values
    if _field(values, "establishment") or any(key.endswith("establishment") for key in values):
        return VISIT_FORM_ID
    if any(key.split("/")[-1].startswith(("prs_", "vic_")) for key in values):
        return HTCDS_FORM
    if any(key.split("/")[-1] in ("observations", "exploitation_types") for key in values):
        return SCREENING_FORM_ID
    return ""


def import_submissions(
    data: bytes, name: str, *, actor, dry_run: bool = False, private_key_pem: bytes | None = None
) -> ImportReport:
    """Kobo or ODK submissions of TIPIMS's monitoring-visit form (as visits) or of the HTCDS form (as
    persons with their victim context, consent and case)."""
    if private_key_pem is not None:
        from tipims.exchange import odk_encryption

        rows, errors = odk_encryption.decrypt_submissions(data, private_key_pem)
    else:
        rows, errors = read_submissions(data, name)
    form = _form_of(rows)
    if rows and not form:
        errors.append(RowError("submissions", rows[0].number, "__all__",
                               _("These are not submissions of the monitoring-visit, screening or HTCDS form.")))  # fmt: skip
        rows = []
    handler = {HTCDS_FORM: _htcds_submission, SCREENING_FORM_ID: _screening}.get(form, _visit)
    columns = HTCDS_COLUMNS if form == HTCDS_FORM else None
    return run_import(
        actor=actor,
        kind="submissions",
        rows=rows,
        handler=handler,
        dry_run=dry_run,
        parse_errors=errors,
        columns=columns,
    )
