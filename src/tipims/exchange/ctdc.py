"""CTDC export: victim-level records in the Counter Trafficking Data Collaborative's variable set,
k-anonymised with k = 11 and checked before anything is written.

Variables: the CTDC Global Dataset codebook (Counter Trafficking Data Collaborative, "Data Codebook",
version 6, November 2017, https://www.ctdatacollaborative.org; the same names are in the published
global k-anonymised CSV). Only the variables TIPIMS holds are filled: yearOfRegistration, Datasource,
gender, ageBroad, majorityStatus, citizenship, CountryOfExploitation, the means of control
(meansOfControlDebtBondage ...), isForcedLabour, isSexualExploitation, isOtherExploit,
typeOfSexProstitution, typeOfSexPornography, recruiterRelationFamily/Friend/Other. CTDC codes yes/no
flags as 1/0 and an unknown value as an empty cell.

k-anonymity (CTDC's method): every combination of the published values must be shared by at least k
records. Age is generalised first (exact ages never leave; CTDC's age bands), then, for the records
still in a group smaller than k, values are suppressed one variable at a time (blank cell, named in the
``suppressed`` flag column) in the order of SUPPRESSION_ORDER; records that still cannot hide among k
others are left out. ``check_k_anonymity`` recomputes the groups on the rows to be written, and the
file is refused (KAnonymityFailed) if any group is smaller than k.

The table is public: it carries the HXL hashtag row (hxlstandard.org) under its header.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tipims.accounts import policy
from tipims.accounts.policy import Capability
from tipims.audit.models import AuditAction
from tipims.audit.services import audit_record
from tipims.exchange.tables import write_csv
from tipims.people.selectors import age_on
from tipims.statistics.disclosure import DEFAULT_K

CONTROL = {
    "DebtBondage": "meansOfControlDebtBondage",
    "TakesEarnings": "meansOfControlTakesEarnings",
    "RestrictsFinancialAccess": "meansOfControlRestrictsFinancialAccess",
    "PhysicalThreats": "meansOfControlThreats",
    "PsychologicalAbuse": "meansOfControlPsychologicalAbuse",
    "PhysicalAbuse": "meansOfControlPhysicalAbuse",
    "SexualAbuse": "meansOfControlSexualAbuse",
    "FalsePromises": "meansOfControlFalsePromises",
    "WithholdsNecessities": "meansOfControlWithholdsNecessities",
    "RestrictsMedicalCare": "meansOfControlRestrictsMedicalCare",
    "ThreatensChildrenFamily": "meansOfControlThreatOfHarmFamily",
    "ThreatsLawEnforcement": "meansOfControlThreatOfLawEnforcement",
}
VARIABLES = (
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    *CONTROL.values(),
    "isForcedLabour",
    "isSexualExploitation",
    "isOtherExploit",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "recruiterRelationFamily",
    "recruiterRelationFriend",
    "recruiterRelationOther",
)
HXL = {
    "yearOfRegistration": "#date+year+registered",
    "Datasource": "#meta+source",
    "gender": "#indicator+gender",
    "ageBroad": "#indicator+age+band",
    "majorityStatus": "#indicator+age+majority",
    "citizenship": "#country+code+nationality",
    "CountryOfExploitation": "#country+code+exploitation",
    "suppressed": "#meta+suppressed",
}
# The least informative variables go first when a record must hide among others.
SUPPRESSION_ORDER = ("ageBroad", "citizenship", *CONTROL.values(), "recruiterRelationFamily",
                     "recruiterRelationFriend", "recruiterRelationOther", "typeOfSexPornography",
                     "typeOfSexProstitution", "yearOfRegistration", "gender", "majorityStatus")  # fmt: skip
AGE_BANDS = ((0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47), (48, 200))
GENDER = {"Feminine": "Female", "TransgenderFeminine": "Transgender", "Masculine": "Male",
          "TransgenderMasculine": "Transgender", "NonConforming": "Transgender"}  # fmt: skip


class KAnonymityFailed(ValueError):
    pass


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}+" if high == 200 else f"{low}--{high}"
    return ""


def _flag(condition: bool) -> str:
    return "1" if condition else "0"


def victim_row(victim) -> dict[str, str]:
    age = age_on(victim.person, victim.identified_on)
    row = {
        "yearOfRegistration": str(victim.identified_on.year),
        "Datasource": "Case Management",
        "gender": GENDER.get(victim.sex, ""),
        "ageBroad": age_band(age),
        "majorityStatus": {"minor": "Minor", "adult": "Adult"}.get(victim.age_group, ""),
        "citizenship": victim.nationality,
        "CountryOfExploitation": victim.institution.country,
    }
    for code, name in CONTROL.items():
        row[name] = _flag(code in victim.control_methods)
    types = set(victim.exploitation_types)
    row["isForcedLabour"] = _flag("ForcedLabour" in types)
    row["isSexualExploitation"] = _flag("SexualExploitation" in types)
    row["isOtherExploit"] = _flag(bool(types - {"ForcedLabour", "SexualExploitation"}))
    row["typeOfSexProstitution"] = _flag("Prostitution" in victim.sex_exploitation_types)
    row["typeOfSexPornography"] = _flag("Pornography" in victim.sex_exploitation_types)
    relation = victim.relationship_to_trafficker
    row["recruiterRelationFamily"] = _flag(relation == "Familial") if relation else ""
    row["recruiterRelationFriend"] = _flag(relation == "Acquainted") if relation else ""
    row["recruiterRelationOther"] = _flag(relation == "Unaquainted") if relation else ""
    row["suppressed"] = ""
    return row


def _key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row[name] for name in VARIABLES)


def check_k_anonymity(rows: Sequence[dict[str, str]], k: int = DEFAULT_K) -> list[tuple[str, ...]]:
    """The combinations of published values shared by fewer than k rows (empty: the file is safe)."""
    groups = Counter(_key(row) for row in rows)
    return [key for key, size in groups.items() if size < k]


def anonymise(rows: list[dict[str, str]], k: int = DEFAULT_K) -> tuple[list[dict[str, str]], int]:
    """Rows suppressed until every group has k members, and the number of rows left out."""
    rows = [dict(row) for row in rows]
    for variable in SUPPRESSION_ORDER:
        small = set(check_k_anonymity(rows, k))
        if not small:
            break
        for row in rows:
            if _key(row) in small and row[variable] != "":
                row[variable] = ""
                row["suppressed"] = ";".join(filter(None, [row["suppressed"], variable]))
    small = set(check_k_anonymity(rows, k))
    kept = [row for row in rows if _key(row) not in small]
    return kept, len(rows) - len(kept)


def export_ctdc(actor, directory: Path, *, k: int = DEFAULT_K) -> list[Path]:
    """Write ctdc_victims.csv (public: k-anonymised, HXL row) for a coordinator or an analyst."""
    from tipims.protection.models import Victim

    if not policy.has_capability(actor, Capability.VIEW_STATISTICS):
        raise PermissionDenied(_("Only the statistics roles export the public CTDC file."))
    victims = Victim.objects.select_related("person", "institution").order_by("id")
    rows, dropped = anonymise([victim_row(v) for v in victims], k)
    if check_k_anonymity(rows, k):  # never reached unless anonymise is wrong: refuse rather than leak
        raise KAnonymityFailed(_("The CTDC file fails the k-anonymity check: nothing was written."))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "ctdc_victims.csv"
    columns = [*VARIABLES, "suppressed"]
    write_csv(
        path, columns, ([row[c] for c in columns] for row in rows), hxl=[HXL.get(c, _hxl(c)) for c in columns]
    )
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="protection.victim",
        object_id="ctdc",
        fields=[f"rows:{len(rows)}", f"left_out:{dropped}", f"k:{k}"],
    )
    return [path]


def _hxl(variable: str) -> str:
    """#indicator+<name>, lower case, for the yes/no variables CTDC names in camel case."""
    return "#indicator+" + variable.lower()
