"""Synthetic monitoring data shaped like the NGO survey in the reference cable: about 300
establishments in its 13 departments, 284 of them visited (197 with minors, 85 without, 2 where entry
was denied), 179 minors confirmed and 423 apparent; a few raids and rescues; and the survey report
itself with the cable's published figures, whose department breakdown does not add up."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from tipims.accounts.models import User
from tipims.core.models import Department, Municipality
from tipims.monitoring import services
from tipims.monitoring.models import Establishment

REFERENCE_DAY = datetime.date(2026, 6, 30)
# The cable's minors by department (which add up to 676, not 668).
BY_DEPARTMENT = {
    "Guatemala": 411, "Sacatepéquez": 9, "Escuintla": 50, "Chiquimula": 15, "Baja Verapaz": 2,
    "Huehuetenango": 8, "Izabal": 46, "Jutiapa": 23, "Petén": 55, "Quetzaltenango": 20,
    "Retalhuleu": 5, "San Marcos": 25, "Suchitepéquez": 7,
}  # fmt: skip
BY_NATIONALITY = {"GT": 288, "unknown": 115, "HN": 100, "SV": 98, "NI": 61, "BZ": 3, "CR": 3}
KINDS = [("bar", 40), ("cantina", 20), ("nightclub", 18), ("massage_parlour", 12), ("hotel", 6), ("other", 4)]
ESTABLISHMENTS = 300
NAMES = """El Sauce, La Frontera, Las Palmas, El Paraíso, La Estrella, El Rancho, Los Arcos, La Cabaña,
El Faro, La Luna, El Puerto, La Cascada, El Oasis, Las Brisas, El Rincón, La Bahía, El Mirador""".split(",")


def _pick(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _establishments(rng, monitor: User) -> list[Establishment]:
    departments = {d.name: d for d in Department.objects.filter(name__in=BY_DEPARTMENT)}
    # 32 municipalities, as in the survey: at least one per department, the rest where most minors were.
    chosen: list[Municipality] = []
    for name in BY_DEPARTMENT:
        chosen.append(rng.choice(list(departments[name].municipalities.all())))
    weighted = [(name, count) for name, count in BY_DEPARTMENT.items()]
    while len(chosen) < 32:
        municipality = rng.choice(list(departments[_pick(rng, weighted)].municipalities.all()))
        if municipality not in chosen:
            chosen.append(municipality)
    by_department: dict[int, list[Municipality]] = {}
    for municipality in chosen:
        by_department.setdefault(municipality.department_id, []).append(municipality)
    made = []
    for i in range(ESTABLISHMENTS):
        department = departments[_pick(rng, [(n, max(c, 6)) for n, c in BY_DEPARTMENT.items()])]
        kind = _pick(rng, KINDS)
        made.append(
            services.establishment_create(
                actor=monitor,
                name=f"{rng.choice(NAMES).strip()} {i + 1}",
                kind=kind,
                municipality=rng.choice(by_department[department.code]),
            )
        )
    return made


def _split(rng, total: int, parts: int) -> list[int]:
    """``total`` spread over ``parts`` buckets, each at least 1."""
    counts = [1] * parts
    for _ in range(total - parts):
        counts[rng.randrange(parts)] += 1
    return counts


def _visits(rng, monitor: User, establishments: list[Establishment]) -> int:
    visited = rng.sample(establishments, 284)
    with_minors, without, denied = visited[:197], visited[197:282], visited[282:]
    # 179 confirmed and 423 apparent minors over 197 visits, each visit with at least one of them.
    apparent = [n - 1 for n in _split(rng, 423 + 197, 197)]
    confirmed = [0] * 197
    for _ in range(179):
        confirmed[rng.randrange(197)] += 1
    for i in range(197):
        if confirmed[i] + apparent[i] == 0:
            donor = max(range(197), key=lambda j: apparent[j])
            apparent[donor] -= 1
            apparent[i] += 1
    nationalities = [(code, n) for code, n in BY_NATIONALITY.items()]
    start = REFERENCE_DAY - datetime.timedelta(days=300)
    for i, establishment in enumerate(with_minors):
        seen = confirmed[i] + apparent[i]
        breakdown: dict[str, int] = {}
        for _ in range(seen):
            code = _pick(rng, nationalities)
            breakdown[code] = breakdown.get(code, 0) + 1
        services.monitoring_visit_create(
            actor=monitor,
            establishment=establishment,
            visited_on=start + datetime.timedelta(days=rng.randint(0, 290)),
            minors_confirmed=confirmed[i],
            minors_suspected=apparent[i],
            adults=rng.randint(3, 25),
            minors_by_nationality=breakdown,
        )
    for establishment in without:
        services.monitoring_visit_create(
            actor=monitor,
            establishment=establishment,
            visited_on=start + datetime.timedelta(days=rng.randint(0, 290)),
            adults=rng.randint(2, 20),
            notes="Informants say minors are hidden from view during visits.",
        )
    for establishment in denied:
        services.monitoring_visit_create(
            actor=monitor,
            establishment=establishment,
            visited_on=start + datetime.timedelta(days=rng.randint(0, 290)),
            entry_denied=True,
        )
    return 284


@transaction.atomic  # one commit for the whole demo part: each service still audits its write
def load_monitoring(users: dict[str, User], *, seed: int = 2003) -> int:
    """Create the monitoring demo once; return how many visits were created (0 when it exists)."""
    if Establishment.objects.exists():
        return 0
    rng = random.Random(seed)
    monitor, investigator = users["monitor"], users["investigator"]
    establishments = _establishments(rng, monitor)
    visits = _visits(rng, monitor, establishments)
    for _ in range(6):
        services.operation_create(
            actor=investigator,
            kind=rng.choice(("raid", "rescue")),
            carried_out_on=REFERENCE_DAY - datetime.timedelta(days=rng.randint(10, 200)),
            institutions=[monitor.institution],
            establishments=rng.sample(establishments, rng.randint(1, 3)),
            victims_rescued=rng.randint(0, 6),
            people_arrested=rng.randint(0, 3),
        )
    services.survey_report_create(
        actor=monitor,
        values={
            "title": "Establecimientos visitados, noviembre 2002 – agosto 2003",
            "period_start": datetime.date(2002, 11, 1),
            "period_end": datetime.date(2003, 8, 31),
            "establishments_visited": 284,
            "establishments_with_minors": 197,
            "establishments_without_minors": 85,
            "minors_total": 668,
            "minors_confirmed": 179,
            "minors_suspected": 423,
            "by_nationality": BY_NATIONALITY,
            "by_department": BY_DEPARTMENT,
            # The cable: "the 9 minors reported in Antigua, Sacatepequez, were mistakenly counted in
            # the 411 figure for Guatemala province".
            "counted_within": {"Sacatepéquez": "Guatemala"},
        },
    )
    return visits
