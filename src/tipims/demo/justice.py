"""Synthetic justice data modelled on the cable's prosecution section: complaints and criminal cases
from 2003 to 2026, mostly bars in Escuintla, Santa Rosa and Guatemala province with minors from El
Salvador, Honduras and Nicaragua, aggravated pimping charges, arrests, bail, judgments and appeals;
and integrity cases against officials of the Immigration Directorate and the police.

Every name is invented (tipims.demo.names); the two case numbers the cable gives (9023-03 and
10395-03, Escuintla, under investigation) are used as case numbers only. Everything goes through the
services (audited), is seeded, and nothing happens when complaints exist already.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from tipims.accounts.models import Institution, User
from tipims.core.models import Department, Municipality
from tipims.demo.names import GIVEN_FEMININE, GIVEN_MASCULINE, SURNAMES
from tipims.justice import services
from tipims.justice.models import Complaint, LegalProvision
from tipims.people import services as people_services

FIRST_YEAR, LAST_DAY = 2003, datetime.date(2026, 6, 30)
CASES_PER_YEAR = 4
OTHER_COMPLAINTS_PER_YEAR = 6  # complaints referred, closed or still waiting for triage
PLACES = [
    ("Escuintla", 30),
    ("Santa Rosa", 22),
    ("Guatemala", 25),
    ("Quetzaltenango", 6),
    ("San Marcos", 7),
    ("Izabal", 5),
    ("Petén", 3),
    ("Jutiapa", 2),
]
BARS = [
    "El Faro",
    "La Cabaña",
    "Las Palmas",
    "El Oasis",
    "La Fogata",
    "El Paraíso",
    "Los Arcos",
    "La Estrella",
]
VICTIM_NATIONALITIES = [("SV", 30), ("HN", 30), ("NI", 18), ("GT", 22)]
DEFENDANT_NATIONALITIES = [("GT", 75), ("NI", 7), ("SV", 7), ("HN", 6), ("MX", 5)]
CHANNELS = [
    ("hotline", 25),
    ("ngo", 25),
    ("walk_in", 15),
    ("ex_officio", 20),
    ("border_post", 8),
    ("online", 7),
]
REFORM_DAY = datetime.date(2009, 4, 3)
BORDER_POSITIONS = [
    "Delegado de migración, Tecún Umán",
    "Inspector de migración, La Aurora",
    "Delegado de migración, El Carmen",
    "Dirigente sindical, Migración",
]
POLICE_POSITIONS = ["Agente de la PNC, Coatepeque", "Subinspector de la PNC, Escuintla"]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _days(day: datetime.date, rng: random.Random, low: int, high: int) -> datetime.date:
    return min(day + datetime.timedelta(days=rng.randint(low, high)), LAST_DAY)


def _person(rng, actor, *, feminine: bool, age: int, on: datetime.date, nationality: str):
    given = rng.choice(GIVEN_FEMININE if feminine else GIVEN_MASCULINE)
    born = on - datetime.timedelta(days=age * 365 + rng.randint(0, 300))
    return people_services.person_record_create(
        actor=actor,
        values={
            "given_names": given,
            "surname1": rng.choice(SURNAMES),
            "surname2": rng.choice(SURNAMES),
            "sex": "Feminine" if feminine else "Masculine",
            "birth_date": born,
            "birth_date_precision": "exact" if rng.random() < 0.6 else "year",
            "citizenships": [nationality],
        },
    )


def _reform() -> LegalProvision:
    """A reform raising the trafficking penalty, to show how ranges follow the date of the offence.
    Modelled on Guatemala's 2009 reform (Decree 9-2009); an example for the demo, not legal advice."""
    existing = LegalProvision.objects.filter(code="cp-194", effective_from=REFORM_DAY).first()
    return existing or services.legal_provision_add_reform(
        actor=None,
        code="cp-194",
        effective_from=REFORM_DAY,
        article="202 Ter",
        min_years=8,
        max_years=18,
        min_fine_gtq=300000,
        max_fine_gtq=500000,
        note_es="Reforma de ejemplo en la demostración (modelada en el Decreto 9-2009).",
        note_en="Example reform in the demo (modelled on Decree 9-2009).",
    )


def _sentence(rng, provision: LegalProvision, factors) -> tuple[Decimal | None, Decimal | None]:
    limits = provision.sentence_range(factors)
    years = fine = None
    if limits["min_years"] is not None:
        low, high = limits["min_years"], limits["max_years"]
        years = (low + (high - low) * Decimal(rng.randint(0, 4)) / 4).quantize(Decimal("0.01"))
    if limits["min_fine_gtq"] is not None:
        low, high = limits["min_fine_gtq"], limits["max_fine_gtq"]
        fine = (low + (high - low) * Decimal(rng.randint(0, 4)) / 4).quantize(Decimal("0.01"))
    return years, fine


class _Builder:
    def __init__(self, users: dict[str, User], institutions: dict[str, Institution], rng: random.Random):
        self.rng = rng
        self.prosecutor = users["prosecutor"]
        self.investigator = users["investigator"]
        self.integrity = users["integrity_officer"]
        self.institutions = institutions
        self.departments = {d.name: d for d in Department.objects.all()}
        self.municipalities: dict[int, list[Municipality]] = {}
        for municipality in Municipality.objects.all():
            self.municipalities.setdefault(municipality.department_id, []).append(municipality)
        self.numbers: set[str] = set()
        self.provisions = {p.code: p for p in LegalProvision.objects.filter(effective_from__lt=REFORM_DAY)}
        self.reform = _reform()
        self.complaints = self.cases = 0

    def owner_of(self, complaint: Complaint) -> User:
        return (
            self.prosecutor
            if complaint.institution_id == self.prosecutor.institution_id
            else self.investigator
        )

    def number(self, year: int, fixed: str | None = None) -> str:
        number = fixed
        while number is None or number in self.numbers:
            number = f"{self.rng.randint(100, 19999)}-{year % 100:02d}"
        self.numbers.add(number)
        return number

    def complaint(self, offence: datetime.date, department: Department, *, channel: str = "", actor=None):
        rng = self.rng
        received = _days(offence, rng, 1, 40)
        municipality = rng.choice(self.municipalities[department.pk])
        channel = channel or _weighted(rng, CHANNELS)
        police = channel in ("ex_officio", "walk_in") and rng.random() < 0.4
        actor = actor or (self.investigator if police else self.prosecutor)
        self.complaints += 1
        return services.complaint_create(
            actor=actor,
            channel=channel,
            received_on=received,
            occurred_on=offence,
            department=department,
            municipality=municipality,
            narrative=f"Se denuncia la presencia de menores extranjeras en el bar «{rng.choice(BARS)}» "
            f"de {municipality.name}. (Texto sintético de demostración.)",
            indicators=rng.sample(
                [
                    "minor_in_bar",
                    "foreign_minor",
                    "documents_withheld",
                    "confinement",
                    "debt_bondage",
                    "deceptive_offer",
                ],
                k=rng.randint(1, 3),
            ),
            exploitation_types=["SexualExploitation"] if rng.random() < 0.9 else ["ForcedLabour"],
        )

    def case(
        self, offence: datetime.date, department: Department, *, number: str | None = None, stop: str = ""
    ):
        rng = self.rng
        complaint = self.complaint(offence, department)
        if complaint.institution_id != self.prosecutor.institution_id:
            services.complaint_triage(
                actor=self.investigator,
                complaint=complaint,
                decision="referred",
                reason="Remitida a la Fiscalía contra la Trata.",
                referred_to=self.prosecutor.institution,
                on=complaint.received_on,
            )
            complaint = self.complaint(offence, department, channel="ex_officio", actor=self.prosecutor)
        opened = _days(complaint.received_on, rng, 0, 10)
        victims = [
            _person(
                rng,
                self.prosecutor,
                feminine=rng.random() < 0.9,
                age=rng.randint(12, 17),
                on=offence,
                nationality=_weighted(rng, VICTIM_NATIONALITIES),
            )
            for _ in range(rng.choice([1, 1, 1, 2]))
        ]
        case = services.criminal_case_open(
            actor=self.prosecutor,
            number=self.number(opened.year, number),
            offence_date=offence,
            opened_on=opened,
            district=department.name,
            court=f"Juzgado de Primera Instancia Penal de {department.name}",
            unit="Fiscalía contra la Trata de Personas",
            department=department,
            exploitation_types=complaint.exploitation_types,
            summary="Hechos sintéticos de demostración: explotación sexual de menores en un bar.",
            complaints=[complaint],
            victims=victims,
        )
        self.cases += 1
        day = _days(opened, rng, 3, 30)
        services.criminal_case_advance(actor=self.prosecutor, case=case, phase="investigation", date=day)
        if stop == "investigation" or day >= LAST_DAY:
            return case
        defendants = []
        for _ in range(rng.choice([1, 1, 2])):
            person = _person(
                rng,
                self.prosecutor,
                feminine=rng.random() < 0.25,
                age=rng.randint(22, 68),
                on=offence,
                nationality=_weighted(rng, DEFENDANT_NATIONALITIES),
            )
            defendant = services.defendant_add(
                actor=self.prosecutor,
                case=case,
                person=person,
                roles=rng.sample(
                    ["Exploiter", "RecruiterOrIntermediary", "HarbouredIndividual", "Transporter"], k=1
                ),
            )
            arrest = _days(opened, rng, 0, 20)
            services.measure_record(
                actor=self.prosecutor,
                defendant=defendant,
                kind="arrest",
                date=arrest,
                place=f"Bar «{rng.choice(BARS)}», {department.name}",
            )
            if rng.random() < 0.35:
                bail = rng.choice([5000, 10000, 25000])
                services.measure_record(
                    actor=self.prosecutor,
                    defendant=defendant,
                    kind="bail",
                    date=_days(arrest, rng, 2, 10),
                    bail_gtq=bail,
                )
            else:
                services.measure_record(
                    actor=self.prosecutor,
                    defendant=defendant,
                    kind="pretrial_detention",
                    date=_days(arrest, rng, 0, 2),
                    ordered_by="Juez de paz",
                )
            defendants.append((defendant, arrest))
        outcome = rng.random()
        if outcome < 0.2:  # archived or dismissed in investigation
            end = _days(day, rng, 60, 300)
            if end < LAST_DAY:
                services.criminal_case_dispose(
                    actor=self.prosecutor,
                    case=case,
                    disposition=rng.choice(["archived", "dismissed"]),
                    date=end,
                )
            return case
        day = _days(day, rng, 30, 120)
        services.criminal_case_advance(actor=self.prosecutor, case=case, phase="preparatory", date=day)
        charges = []
        for defendant, arrest in defendants:
            filed = max(day, arrest)
            if offence >= REFORM_DAY and rng.random() < 0.5:
                provision, factors = (
                    self.reform,
                    rng.sample(["victim_under_12", "for_profit", "deceit_violence_abuse"], k=1),
                )
            elif offence < REFORM_DAY and rng.random() < 0.3:
                provision, factors = self.provisions["cp-194"], ["for_profit"]
            else:
                provision, factors = self.provisions["cp-192"], ["victim_minor"]
            charges.append(
                services.charge_file(
                    actor=self.prosecutor,
                    defendant=defendant,
                    provision=provision,
                    filed_on=filed,
                    aggravating_factors=factors,
                )
            )
        if stop == "preparatory" or day >= LAST_DAY or outcome < 0.3:
            return case
        if outcome < 0.36:
            services.criminal_case_dispose(
                actor=self.prosecutor,
                case=case,
                disposition="opportunity_criterion",
                date=_days(day, rng, 20, 90),
            )
            return case
        for phase, low, high in (("intermediate", 60, 150), ("trial", 30, 90), ("judgment", 20, 120)):
            day = _days(day, rng, low, high)
            if day >= LAST_DAY:
                return case
            services.criminal_case_advance(actor=self.prosecutor, case=case, phase=phase, date=day)
        verdicts = []
        for charge in charges:
            convicted = rng.random() < 0.7
            years, fine = (
                _sentence(rng, charge.provision, charge.aggravating_factors) if convicted else (None, None)
            )
            suspended = bool(convicted and years and years <= 3 and rng.random() < 0.3)
            judgment = services.judgment_record(
                actor=self.prosecutor,
                charge=charge,
                verdict="conviction" if convicted else "acquittal",
                date=day,
                prison_years=years,
                fine_gtq=fine,
                suspended=suspended,
                is_final=True,
            )
            verdicts.append(judgment.verdict)
            if rng.random() < 0.25 and _days(day, rng, 5, 15) < LAST_DAY:
                filed = _days(day, rng, 5, 15)
                decided = _days(filed, rng, 60, 200)
                services.appeal_record(
                    actor=self.prosecutor,
                    judgment=judgment,
                    filed_by="defence" if convicted else "prosecution",
                    filed_on=filed,
                    court=f"Sala de Apelaciones de {department.name}",
                    outcome=rng.choice(["upheld", "upheld", "modified"]) if decided < LAST_DAY else "pending",
                    decided_on=decided if decided < LAST_DAY else None,
                )
        disposition = "mixed" if len(set(verdicts)) > 1 else verdicts[0]
        end = _days(day, rng, 30, 240)
        if end < LAST_DAY:
            services.criminal_case_dispose(
                actor=self.prosecutor, case=case, disposition=disposition, date=end
            )
        return case

    def cable_cases(self) -> None:
        """The cases the cable describes, with invented names: two Escuintla cases under investigation,
        a bar manager in Cuilapa charged with aggravated pimping after a 13-year-old Salvadoran was
        rescued, and a bar in Villa Canales with a 17-year-old Guatemalan."""
        escuintla, santa_rosa = self.departments["Escuintla"], self.departments["Santa Rosa"]
        self.case(datetime.date(2003, 6, 2), escuintla, number="9023-03", stop="investigation")
        self.case(datetime.date(2003, 7, 14), escuintla, number="10395-03", stop="investigation")
        bar_case = self.case(datetime.date(2004, 2, 10), santa_rosa, stop="investigation")
        manager = _person(
            self.rng, self.prosecutor, feminine=False, age=68, on=datetime.date(2004, 2, 18), nationality="GT"
        )
        defendant = services.defendant_add(
            actor=self.prosecutor, case=bar_case, person=manager, roles=["Exploiter"]
        )
        services.measure_record(
            actor=self.prosecutor,
            defendant=defendant,
            kind="arrest",
            date=datetime.date(2004, 2, 18),
            place="Bar «La Estrella», Cuilapa, Santa Rosa",
        )
        services.measure_record(
            actor=self.prosecutor,
            defendant=defendant,
            kind="pretrial_detention",
            date=datetime.date(2004, 2, 18),
            place="Cuilapa",
            ordered_by="Juzgado de Paz de Cuilapa",
        )
        services.charge_file(
            actor=self.prosecutor,
            defendant=defendant,
            provision=self.provisions["cp-192"],
            filed_on=max(datetime.date(2004, 2, 19), bar_case.opened_on),
            aggravating_factors=["victim_minor"],
        )
        girl = _person(
            self.rng, self.prosecutor, feminine=True, age=13, on=datetime.date(2004, 2, 18), nationality="SV"
        )
        services.criminal_case_add_victim(actor=self.prosecutor, case=bar_case, person=girl)

    def integrity_cases(self) -> int:
        rng = self.rng
        dgm, pnc = self.institutions["dgm"], self.institutions["pnc"]
        plan = [
            (2003, "criminal_prosecution", 4),
            (2003, "dismissal_for_cause", 16),
            (2003, "disciplinary", 10),
        ]
        plan += [
            (year, rng.choice(["criminal_prosecution", "dismissal_for_cause", "disciplinary"]), 1)
            for year in range(2004, 2027)
            for _ in range(rng.randint(0, 2))
        ]
        count = 0
        for year, proceeding, how_many in plan:
            for _ in range(how_many):
                at_border = rng.random() < 0.7
                opened = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                if opened > LAST_DAY:
                    continue
                official = _person(
                    rng,
                    self.integrity,
                    feminine=rng.random() < 0.2,
                    age=rng.randint(24, 58),
                    on=opened,
                    nationality="GT",
                )
                case = services.integrity_case_open(
                    actor=self.integrity,
                    official=official,
                    official_institution=dgm if at_border else pnc,
                    position=rng.choice(BORDER_POSITIONS if at_border else POLICE_POSITIONS),
                    allegations=rng.sample(
                        [
                            "bribery",
                            "illegal_transit",
                            "protection_of_prostitution",
                            "abuse_of_authority",
                            "document_fraud",
                        ],
                        k=rng.randint(1, 2),
                    ),
                    proceeding=proceeding,
                    opened_on=opened,
                )
                decided = _days(opened, rng, 30, 300)
                if decided < LAST_DAY and rng.random() < 0.85:
                    outcome = {
                        "criminal_prosecution": rng.choice(["convicted", "acquitted", "dismissed_from_post"]),
                        "dismissal_for_cause": "dismissed_from_post",
                        "disciplinary": rng.choice(["suspended", "sanctioned", "cleared"]),
                    }[proceeding]
                    services.integrity_case_decide(
                        actor=self.integrity, case=case, outcome=outcome, outcome_on=decided
                    )
                count += 1
        return count


def load_justice(
    users: dict[str, User], *, seed: int = 2003, progress: Callable[[int, int], None] | None = None
) -> int:
    """Complaints, cases and integrity cases; returns how many complaints were created (0 if any existed)."""
    if Complaint.objects.exists():
        return 0
    institutions = {institution.code: institution for institution in Institution.objects.all()}
    rng = random.Random(seed)
    with transaction.atomic():
        builder = _Builder(users, institutions, rng)
        builder.cable_cases()
        years = list(range(FIRST_YEAR, LAST_DAY.year + 1))
        for index, year in enumerate(years):
            for number in range(CASES_PER_YEAR + OTHER_COMPLAINTS_PER_YEAR):
                offence = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                if offence >= LAST_DAY - datetime.timedelta(days=45):
                    continue
                department = builder.departments[_weighted(rng, PLACES)]
                if number < CASES_PER_YEAR:
                    builder.case(offence, department)
                    continue
                complaint = builder.complaint(offence, department)
                if complaint.received_on < LAST_DAY and rng.random() < 0.8:
                    services.complaint_triage(
                        actor=builder.owner_of(complaint),
                        complaint=complaint,
                        decision=rng.choice(["referred", "closed"]),
                        reason="Sin elementos de trata; remitida o archivada (demostración).",
                        referred_to=institutions.get("pgn"),
                        on=_days(complaint.received_on, rng, 1, 20),
                    )
            if progress:
                progress(index + 1, len(years))
        builder.integrity_cases()
    return builder.complaints


def justice_person_ids() -> set[int]:
    """The person records the justice demo created: victims, defendants and officials."""
    from tipims.justice.models import CriminalCase, Defendant, IntegrityCase

    return (
        set(Defendant.objects.values_list("person_id", flat=True))
        | set(IntegrityCase.objects.values_list("official_id", flat=True))
        | set(CriminalCase.victims.through.objects.values_list("personrecord_id", flat=True))
    )
