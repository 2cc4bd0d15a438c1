"""FollowTheMoney: trafficker networks as entities for regional intelligence sharing, and partners'
entities into the border watchlist for review.

Export (JSON lines, one entity per line, as followthemoney's tools read them): the defendants of the
user's institution's criminal cases and the owners and managers of its establishments as ``Person``;
their identity documents as ``Passport`` or ``Identification``; establishments as ``Company``;
``Ownership`` (owner of an establishment), ``Employment`` (manager of an establishment) and
``Associate`` (defendants of the same criminal case). Entity ids are keyed hashes of TIPIMS references,
so a partner can refer back to an entity without learning a TIPIMS reference. Victims never appear.

Import: every ``Person`` (and its documents) becomes a *pending* watchlist entry through border's
service, which a second user must approve before it screens anyone; the partner is the source
institution. Entities of other schemata are counted and left out.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.policy import Action, FieldGroup
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.core import countries
from tipims.core.crypto import blind_index
from tipims.exchange.framework import (
    ImportContext,
    ImportReport,
    Row,
    RowError,
    RowFailed,
    check_size,
    run_import,
)

DOCUMENT_SCHEMA = {"PASSPORT": "Passport"}  # others are Identification
_TYPE_OF_SCHEMA = {"Passport": "PASSPORT"}


def _model():
    from followthemoney import model

    return model


def _entity_id(kind: str, reference: str) -> str:
    return "tipims-" + blind_index(f"ftm-{kind}", reference)[:32]


def _person_entity(person) -> Any:
    entity = _model().make_entity("Person")
    entity.id = _entity_id("person", person.reference)
    surnames = " ".join(part for part in (person.surname1, person.surname2) if part)
    entity.add("name", " ".join(part for part in (person.given_names, surnames) if part) or person.reference)
    entity.add("firstName", person.given_names or None)
    entity.add("fatherName", person.surname1 or None)  # Hispanic first surname: the father's
    entity.add("motherName", person.surname2 or None)
    entity.add("lastName", surnames or None)
    if person.birth_date and person.birth_date_precision == "exact":
        entity.add("birthDate", person.birth_date.isoformat())
    elif person.birth_date and person.birth_date_precision in ("month", "year"):
        entity.add(
            "birthDate", person.birth_date.isoformat()[: 7 if person.birth_date_precision == "month" else 4]
        )
    entity.add("nationality", [code.lower() for code in person.citizenships])
    entity.add("gender", {"Feminine": "female", "Masculine": "male"}.get(person.sex, "other"))
    return entity


def _document_entities(person, holder) -> list[Any]:
    entities = []
    for document in person.documents.all():
        entity = _model().make_entity(DOCUMENT_SCHEMA.get(document.document_type, "Identification"))
        entity.id = _entity_id("document", f"{person.reference}:{document.pk}")
        entity.add("holder", holder.id)
        entity.add("number", document.number)
        entity.add("type", document.document_type)
        if document.issuing_country:
            entity.add("country", document.issuing_country.lower())
        entities.append(entity)
    return entities


def network_entities(actor) -> list[Any]:
    """The entities of the trafficker networks the actor's institution recorded, identities it may export."""
    from tipims.justice.models import Defendant
    from tipims.monitoring.models import Establishment
    from tipims.people.models import PersonRecord

    exportable = {
        person.pk: person
        for person in policy.scoped(
            actor, PersonRecord.objects.prefetch_related("documents"), action=Action.EXPORT
        )
        if policy.can(actor, Action.EXPORT, person, FieldGroup.IDENTITY)
    }
    entities: dict[str, Any] = {}
    persons: dict[int, Any] = {}

    def person_entity(person_id: int):
        if person_id not in persons:
            person = exportable[person_id]
            persons[person_id] = entity = _person_entity(person)
            entities[entity.id] = entity
            for document in _document_entities(person, entity):
                entities[document.id] = document
        return persons[person_id]

    by_case: dict[int, list[int]] = defaultdict(list)
    for case_id, person_id in Defendant.objects.filter(person_id__in=exportable).values_list(
        "case_id", "person_id"
    ):
        person_entity(person_id)
        by_case[case_id].append(person_id)
    for case_id, members in by_case.items():
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                link = _model().make_entity("Associate")
                link.id = _entity_id("associate", f"{case_id}:{first}:{second}")
                link.add("person", person_entity(first).id)
                link.add("associate", person_entity(second).id)
                link.add("relationship", "co-defendants in a criminal case")
                entities[link.id] = link
    establishments = policy.scoped(actor, Establishment.objects.select_related("municipality", "department"))
    for establishment in establishments:
        company = _model().make_entity("Company")
        company.id = _entity_id("establishment", str(establishment.pk))
        company.add("name", establishment.name)
        company.add("classification", establishment.kind)
        company.add(
            "address", f"{establishment.municipality.name}, {establishment.department.name}, Guatemala"
        )
        company.add("country", "gt")
        entities[company.id] = company
        for role, person_id, schema in (
            ("owner", establishment.owner_id, "Ownership"),
            ("manager", establishment.manager_id, "Employment"),
        ):
            if person_id is None or person_id not in exportable:
                continue
            link = _model().make_entity(schema)
            link.id = _entity_id(role, f"{establishment.pk}:{person_id}")
            if schema == "Ownership":
                link.add("owner", person_entity(person_id).id)
                link.add("asset", company.id)
            else:
                link.add("employee", person_entity(person_id).id)
                link.add("employer", company.id)
                link.add("role", "manager")
            entities[link.id] = link
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="people.personrecord",
        object_id="ftm",
        fields=["identity"],
        object_ids=sorted(persons),
    )
    return list(entities.values())


def export_ftm(actor, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"ftm_{actor.institution.code}.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for entity in network_entities(actor):
            handle.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return [path]


# --- import into the watchlist -------------------------------------------------------------------


def _read_entities(data: bytes) -> tuple[list[Row], list[RowError]]:
    """Entities of a JSON-lines file, each validated against the FollowTheMoney schema."""
    check_size(len(data))
    rows, errors = [], []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError("entities", 1, "__all__", _("The file is not UTF-8 text."))]
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise TypeError("not an object")
            # cleaned=True keeps the partner's values as sent: followthemoney's cleaning would drop a
            # malformed date silently, and the importer must report it instead.
            entity = _model().get_proxy(raw, cleaned=True)
        except (json.JSONDecodeError, RecursionError, TypeError, ValueError, KeyError) as error:
            errors.append(
                RowError("entities", number, "schema", _("Not a FollowTheMoney entity: %(e)s") % {"e": error})
            )
            continue
        except Exception as error:  # followthemoney raises its own errors for unknown schemata
            errors.append(
                RowError("entities", number, "schema", _("Not a FollowTheMoney entity: %(e)s") % {"e": error})
            )
            continue
        rows.append(Row("entities", number, {"entity": entity}))
    return rows, errors


def _first(entity, prop: str) -> str:
    values = entity.get(prop, quiet=True)
    return str(values[0]).strip() if values else ""


def _split_name(entity) -> tuple[str, str, str]:
    """Given names and the two surnames: from the name parts, or from a full Hispanic name."""
    given = " ".join(p for p in (_first(entity, "firstName"), _first(entity, "middleName")) if p)
    father, mother = _first(entity, "fatherName"), _first(entity, "motherName")
    if father or mother:
        return given, father, mother
    last = _first(entity, "lastName")
    if last:
        parts = last.split()
        return given, parts[0], " ".join(parts[1:])
    words = _first(entity, "name").split()
    if len(words) >= 3:
        return " ".join(words[:-2]), words[-2], words[-1]
    if len(words) == 2:
        return words[0], words[1], ""
    return " ".join(words), "", ""


def import_ftm(
    data: bytes, *, actor, partner_code: str, dry_run: bool = False, valid_days: int = 365
) -> ImportReport:
    """Partners' Person entities as pending watchlist entries (a second user approves each)."""
    from tipims.accounts.models import Institution
    from tipims.border import services as border_services
    from tipims.people.services import DocumentInput

    rows, errors = _read_entities(data)
    partner = Institution.objects.filter(code=partner_code).first()
    if partner is None:
        errors.insert(
            0,
            RowError("entities", 1, "partner", _("Unknown partner institution %(c)s.") % {"c": partner_code}),
        )
        rows = []
    documents: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        entity = row.values["entity"]
        if entity.schema.is_a("Identification") or entity.schema.name == "Passport":
            documents[_first(entity, "holder")].append(entity)
    expires = timezone.localdate() + datetime.timedelta(days=valid_days)

    def handler(row: Row, context: ImportContext) -> None:
        entity = row.values["entity"]
        if not entity.schema.is_a("Person"):
            context.report.count(f"{entity.schema.name}_not_imported")
            return
        given, surname1, surname2 = _split_name(entity)
        birth = _first(entity, "birthDate")
        birth_date, year_only = None, False
        if birth:
            padded = {4: f"{birth}-01-01", 7: f"{birth}-01", 10: birth}.get(len(birth), "")
            try:
                birth_date = datetime.date.fromisoformat(padded)
                year_only = len(birth) == 4
            except ValueError:
                raise RowFailed("birthDate", _("Not a date.")) from None
        nationalities = [code.upper() for code in entity.get("nationality", quiet=True)]
        if not all(countries.is_country(code) for code in nationalities):
            raise RowFailed("nationality", _("Use ISO 3166 country codes."))
        border_services.watchlist_entry_create(
            actor=context.actor,
            values={
                "given_names": given,
                "surname1": surname1,
                "surname2": surname2,
                "birth_date": birth_date,
                "birth_year_only": year_only,
                "nationalities": nationalities,
                "reason": "suspected_trafficker",
                "source_institution": partner,
                "expires_on": expires,
            },
            documents=[
                DocumentInput(
                    document_type=_TYPE_OF_SCHEMA.get(
                        document.schema.name, _first(document, "type") or "OTHER"
                    )
                    if _first(document, "type") in ("", "PASSPORT", "NATIONAL_ID", "DPI", "OTHER")
                    or document.schema.name == "Passport"
                    else "OTHER",
                    number=_first(document, "number") or _first(document, "passportNumber"),
                    issuing_country=_first(document, "country").upper(),
                )
                for document in documents.get(entity.id, [])
                if _first(document, "number") or _first(document, "passportNumber")
            ],
        )
        context.report.count("watchlist_entries")

    return run_import(
        actor=actor,
        kind="ftm",
        rows=rows,
        handler=handler,
        dry_run=dry_run,
        parse_errors=errors,
        columns={
            "given_names": "firstName",
            "surname1": "fatherName",
            "surname2": "motherName",
            "birth_date": "birthDate",
            "nationalities": "nationality",
            "document_type": "type",
            "number": "number",
        },
    )
