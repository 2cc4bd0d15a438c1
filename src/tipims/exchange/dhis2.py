"""DHIS2: TIPIMS's indicators as a dataValueSets JSON, disaggregated by sex, age group and form of
exploitation.

The category option combinations are a documented mapping (exchange/data/dhis2.json): codes, so the
file imports into any DHIS2 instance that created the same codes (POST /api/dataValueSets with
dataElementIdScheme=CODE, categoryOptionComboIdScheme=CODE, orgUnitIdScheme=CODE). Periods are
months (DHIS2's "YYYYMM"); the organisation unit is the country's ISO code.

The file is for the national statistics system, not for the public: only the statistics roles export
it, and its cells are counts as they are (DHIS2 computes its own totals, so suppression would have to
be applied again on every published DHIS2 table; publish from DHIS2 through the CTDC/HXL exports
instead).
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from functools import cache
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record

_MAPPING = Path(__file__).parent / "data" / "dhis2.json"


@cache
def mapping() -> dict:
    return json.loads(_MAPPING.read_text(encoding="utf-8"))


def _sex(code: str) -> str:
    for name, codes in mapping()["sex"].items():
        if code in codes:
            return name
    return "Other"


def _form(exploitation: str) -> str:
    return {"SexualExploitation": "Sexual", "ForcedLabour": "Labour"}.get(exploitation, "Other")


def combo_code(sex: str, age_group: str, exploitation: str) -> str:
    """The category option combination of one victim: sex x age group x main form of exploitation."""
    wanted = (_sex(sex), age_group if age_group in ("minor", "adult") else "unknown", _form(exploitation))
    for combo in mapping()["categoryOptionCombos"]:
        if (combo["sex"], combo["age_group"], combo["form"]) == wanted:
            return combo["code"]
    raise LookupError(f"no category option combo for {wanted}")


def _period(day: datetime.date) -> str:
    return f"{day.year:04d}{day.month:02d}"


def data_value_set(actor, *, start: datetime.date, end: datetime.date) -> dict:
    """The dataValueSets document of the indicators between two dates (inclusive)."""
    from tipims.protection.models import ProtectionCase, Victim

    if not policy.has_capability(actor, Capability.VIEW_STATISTICS):
        raise PermissionDenied(_("Only the statistics roles export indicators to DHIS2."))
    if end < start:
        raise ValueError(_("The period ends before it starts."))
    elements = mapping()["dataElements"]
    counts: Counter[tuple[str, str, str]] = Counter()
    victims = Victim.objects.filter(identified_on__range=(start, end))
    for sex, age_group, exploitation, flagged, day in victims.values_list(
        "sex", "age_group", "main_exploitation", "flagged", "identified_on"
    ):
        combo = combo_code(sex, age_group, exploitation)
        counts[(elements["victims_identified"]["code"], _period(day), combo)] += 1
        if flagged:
            counts[(elements["victims_flagged"]["code"], _period(day), combo)] += 1
    cases = ProtectionCase.objects.filter(opened_on__range=(start, end)).values_list(
        "victim__sex", "victim__age_group", "victim__main_exploitation", "opened_on"
    )
    for sex, age_group, exploitation, day in cases:
        counts[
            (elements["cases_opened"]["code"], _period(day), combo_code(sex, age_group, exploitation))
        ] += 1
    org_unit = actor.institution.country
    document = {
        "dataSet": mapping()["dataSet"],
        "completeDate": datetime.date.today().isoformat(),
        "orgUnit": org_unit,
        "dataValues": [
            {
                "dataElement": element,
                "period": period,
                "orgUnit": org_unit,
                "categoryOptionCombo": combo,
                "value": str(value),
            }
            for (element, period, combo), value in sorted(counts.items())
        ],
    }
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="exchange.dhis2",
        object_id=f"{start.isoformat()}..{end.isoformat()}",
        fields=[f"values:{len(document['dataValues'])}"],
    )
    return document


def export_dhis2(actor, directory: Path, *, start: datetime.date, end: datetime.date) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "dhis2_dataValueSets.json"
    path.write_text(json.dumps(data_value_set(actor, start=start, end=end), indent=1), encoding="utf-8")
    return [path]
