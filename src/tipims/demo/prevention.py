"""Synthetic prevention data modelled on the reference cable: the February 2004 meeting of the
Inter-Institutional Group and its promises (a national policy within six months with IOM assistance,
anti-TIP curricula at the Police Academy, a campaign at every border crossing, a massive public
education campaign, penal code reform), the Foreign Ministry's training of consular staff with IOM,
UNICEF's training of 400 justices of the peace, radio and television spots; then a seeded series of
campaigns and trainings up to 2026, and a recent plan whose commitments include late ones.

Everything goes through the services (audited), is deterministic, and nothing happens when prevention
data exists already. No real person is named: progress is recorded by the demo coordinator.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from tipims.accounts.models import Institution, User
from tipims.prevention import services
from tipims.prevention.models import Campaign, Commitment

D = datetime.date
BORDER_DEPARTMENTS = [12, 13, 17, 18, 20, 22]  # San Marcos, Huehuetenango, Petén, Izabal, Chiquimula, Jutiapa
HIGH_IMPACT = [1, 5, 9, 12, 13, 17, 18]  # the capital, Escuintla, Quetzaltenango and the border
MEDIA_BY_ERA = {
    (2003, 2011): [("radio", 5), ("television", 3), ("press", 2), ("border_posters", 2), ("schools", 2)],
    (2012, 2026): [("radio", 4), ("television", 2), ("press", 1), ("social_media", 5), ("border_posters", 2), ("schools", 3)],
}  # fmt: skip
CAMPAIGN_THEMES = [
    "No te dejes engañar: la trata existe",
    "Conoce los riesgos de viajar con coyotes",
    "Denuncia la trata al 1510",
    "Tu hijo no está en venta",
    "Trabajo digno, sin engaños",
    "Migrar informado",
    "Corazón Azul contra la trata",
    "Escuela segura, niñez protegida",
]
TRAINING_SERIES = [
    # audience, title, institution, partner, hours, share of women
    (
        "police_recruits",
        "Módulo de trata de personas, formación inicial",
        "pnc",
        "Academia de la PNC",
        12,
        0.3,
    ),
    ("mid_level_officers", "Investigación de trata para mandos medios", "pnc", "OIM", 24, 0.25),
    ("prosecutors", "Persecución penal de la trata", "mp-fiscalia-trata", "UNODC", 16, 0.55),
    ("judges", "Juzgar con enfoque de víctima", "oj", "Escuela de Estudios Judiciales", 16, 0.5),
    ("justices_of_the_peace", "Atención a niñez víctima para jueces de paz", "oj", "UNICEF", 12, 0.45),
    ("consular_staff", "Identificación de víctimas en consulados", "minex", "OIM", 20, 0.6),
    ("journalists", "Cobertura responsable de la trata", "secretaria-cit", "ECPAT Guatemala", 8, 0.5),
    (
        "teachers",
        "Prevención de la explotación sexual en el aula",
        "secretaria-cit",
        "Ministerio de Educación",
        10,
        0.75,
    ),
]


def _pick(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _split(total: int, share: float, rng: random.Random) -> tuple[int, int, int]:
    other = rng.randint(0, max(0, total // 40))
    women = round((total - other) * share)
    return women, total - other - women, other


def _cable_campaigns(coordinator: User, border_officer: User, caseworker: User, inst) -> dict[str, Campaign]:
    made = {}
    made["border"] = services.campaign_create(
        actor=border_officer,
        values={
            "title": "Campaña en puestos fronterizos: riesgos de la trata y cómo denunciar",
            "medium": "border_posters",
            "audiences": ["migrants", "travellers"],
            "start": D(2004, 3, 1),
            "end": D(2004, 4, 30),
            "reach": 45000,
            "cost": Decimal("85000.00"),
            "funding_source": "Presupuesto de la Dirección General de Migración",
            "materials": "Afiche «¿Te ofrecieron trabajo al otro lado?»\nVolante con el número de denuncia",
        },
        departments=BORDER_DEPARTMENTS,
    )
    made["social_communication"] = services.campaign_create(
        actor=coordinator,
        values={
            "title": "Campaña masiva de educación pública contra la trata en zonas de alto impacto",
            "medium": "television",
            "audiences": ["general_public", "parents"],
            "start": D(2004, 9, 1),
            "end": D(2005, 2, 28),
            "reach": 1200000,
            "cost": Decimal("640000.00"),
            "funding_source": "Presupuesto nacional y cooperación de los Estados Unidos",
            "materials": "Tres spots de televisión de 30 segundos\nTres cuñas de radio",
        },
        departments=HIGH_IMPACT,
    )
    made["radio"] = services.campaign_create(
        actor=coordinator,
        values={
            "title": "Spots de radio sobre los riesgos de viajar con coyotes",
            "medium": "radio",
            "audiences": ["migrants", "indigenous_communities"],
            "start": D(2003, 6, 1),
            "end": D(2003, 7, 31),
            "reach": 300000,
            "cost": Decimal("120000.00"),
            "funding_source": "Cooperación internacional",
            "materials": "Tres cuñas de radio en español, mam y k'iche'",
        },
        departments=[9, 12, 13],
    )
    made["women"] = services.campaign_create(
        actor=caseworker,
        values={
            "title": "Prevenir la violencia contra las mujeres, incluida la trata",
            "medium": "press",
            "audiences": ["general_public"],
            "start": D(2003, 11, 25),
            "end": D(2003, 12, 10),
            "reach": 80000,
            "cost": None,
            "funding_source": "",
            "materials": "Inserto en diarios de circulación nacional",
        },
    )
    return made


def _series_campaigns(rng: random.Random, actors: list[User], inst) -> list[Campaign]:
    made = []
    for year in range(2005, 2027):
        media = next(pairs for (low, high), pairs in MEDIA_BY_ERA.items() if low <= year <= high)
        count = 3 if year < 2025 else 5  # the reporting period 2025-2026 is fuller
        for _ in range(count):
            start = D(year, rng.randint(1, 11), rng.randint(1, 28))
            if start > D(2026, 10, 31):
                start = D(2026, rng.randint(1, 10), rng.randint(1, 28))
            medium = _pick(rng, media)
            actor = rng.choice(actors)
            audiences = rng.sample(
                [
                    "general_public",
                    "children_adolescents",
                    "parents",
                    "migrants",
                    "travellers",
                    "tourism_sector",
                ],
                rng.randint(1, 3),
            )
            departments = [] if medium == "television" else rng.sample(range(1, 23), rng.randint(1, 5))
            if medium == "border_posters":
                departments = rng.sample(BORDER_DEPARTMENTS, 3)
            cost = Decimal(rng.randint(10, 400) * 1000)
            made.append(
                services.campaign_create(
                    actor=actor,
                    values={
                        "title": f"{rng.choice(CAMPAIGN_THEMES)} ({year})",
                        "medium": medium,
                        "audiences": audiences,
                        "start": start,
                        "end": start + datetime.timedelta(days=rng.randint(14, 120)),
                        "reach": rng.randint(2, 400) * 1000,
                        "cost": cost,
                        "funding_source": rng.choice(
                            ["Presupuesto nacional", "OIM", "UNICEF", "USAID", "Unión Europea"]
                        ),
                        "materials": "",
                    },
                    departments=departments,
                    institution=actor.institution if actor.institution.code != "secretaria-cit" else None,
                )
            )
    return made


def _cable_trainings(coordinator: User, inst) -> dict:
    made = {}
    made["consular"] = services.training_create(
        actor=coordinator,
        institution=inst["minex"],
        values={
            "title": "Instrumentos internacionales contra el tráfico ilícito de migrantes y la trata",
            "audience": "consular_staff",
            "partner": "OIM",
            "start": D(2003, 7, 30),
            "end": D(2003, 8, 1),
            "hours": Decimal("24"),
            "women": 21,
            "men": 17,
            "other": 0,
        },
        by_institution=[
            services.TrainedRow("Consulados generales en México", 14),
            services.TrainedRow("Consulados generales en los Estados Unidos", 16),
            services.TrainedRow("Ministerio de Relaciones Exteriores", 8),
        ],
    )
    made["justices"] = services.training_create(
        actor=coordinator,
        institution=inst["oj"],
        values={
            "title": "Prevención de la violencia y atención a niñez víctima",
            "audience": "justices_of_the_peace",
            "partner": "UNICEF",
            "start": D(2003, 6, 2),
            "end": D(2003, 12, 12),
            "hours": Decimal("16"),
            "women": 152,
            "men": 248,
            "other": 0,
        },
        by_institution=[services.TrainedRow("Organismo Judicial – juzgados de paz", 400)],
    )
    made["journalists"] = services.training_create(
        actor=coordinator,
        values={
            "title": "Periodistas de radio: los riesgos de confiar en coyotes (Quetzaltenango)",
            "audience": "journalists",
            "partner": "Embajada de los Estados Unidos",
            "start": D(2003, 1, 13),
            "end": D(2003, 1, 22),
            "hours": Decimal("60"),
            "women": 1,
            "men": 3,
            "other": 0,
        },
    )
    for audience, title, day in (
        ("police_recruits", "Trata de personas en el currículo de formación de agentes", D(2004, 3, 15)),
        ("mid_level_officers", "Trata de personas en el currículo de mandos medios", D(2004, 5, 10)),
    ):
        made[audience] = services.training_create(
            actor=coordinator,
            institution=inst["pnc"],
            values={
                "title": title,
                "audience": audience,
                "partner": "Asistencia técnica de los Estados Unidos (formación de formadores)",
                "start": day,
                "end": day + datetime.timedelta(days=4),
                "hours": Decimal("20"),
                "women": 31 if audience == "police_recruits" else 9,
                "men": 169 if audience == "police_recruits" else 51,
                "other": 0,
            },
            by_institution=[
                services.TrainedRow(
                    "Academia de la Policía Nacional Civil", 200 if audience == "police_recruits" else 60
                )
            ],
        )
    made["teachers"] = services.training_create(
        actor=coordinator,
        values={
            "title": "Prevención de la violencia contra la mujer y la explotación sexual infantil en el currículo",
            "audience": "teachers",
            "partner": "Ministerio de Educación",
            "start": D(2004, 2, 2),
            "end": D(2004, 2, 6),
            "hours": Decimal("30"),
            "women": 96,
            "men": 34,
            "other": 0,
        },
    )
    return made


def _series_trainings(rng: random.Random, coordinator: User, inst) -> list:
    made = []
    for year in range(2005, 2027):
        for audience, title, code, partner, hours, share in rng.sample(
            TRAINING_SERIES, 3 if year < 2025 else 6
        ):
            start = D(year, rng.randint(1, 10), rng.randint(1, 28))
            total = rng.randint(15, 120)
            women, men, other = _split(total, share, rng)
            made.append(
                services.training_create(
                    actor=coordinator,
                    institution=inst[code],
                    values={
                        "title": f"{title} ({year})",
                        "audience": audience,
                        "partner": partner,
                        "start": start,
                        "end": start + datetime.timedelta(days=rng.randint(0, 4)),
                        "hours": Decimal(hours),
                        "women": women,
                        "men": men,
                        "other": other,
                    },
                    by_institution=[services.TrainedRow(inst[code].name, total - other)],
                )
            )
    return made


def _progress(coordinator, commitment, *steps) -> None:
    for on, text, status in steps:
        services.progress_update_add(
            actor=coordinator, commitment=commitment, on=on, text=text, status=status
        )


def _plan_2004(coordinator: User, inst, campaigns, trainings) -> None:
    meeting = services.meeting_create(
        actor=coordinator,
        title="Grupo Interinstitucional contra la Trata: reunión con la Embajada",
        held_on=D(2004, 2, 25),
        institutions_present=[
            inst[c]
            for c in ("secretaria-cit", "minex", "dgm", "pnc", "mp-fiscalia-trata", "sbs", "oj", "pgn")
        ],
        notes="Prioridades del nuevo gobierno en prevención, persecución y protección.",
        decisions=[
            "Diseñar e implementar una política nacional contra la trata en los próximos seis meses, con asistencia de la OIM.",
            "Integrar la formación contra la trata al currículo de agentes y mandos medios de la Academia de Policía en 2004.",
            "Lanzar en marzo y abril una campaña en todos los puestos fronterizos sobre los riesgos de la trata y cómo denunciar.",
            "Ejecutar una campaña masiva de educación pública en zonas de alto impacto.",
            "Promover la reforma del Código Penal para tipificar la trata y endurecer las penas.",
            "Construir albergues para personas deportadas en la frontera con México.",
        ],
    )
    decisions = list(meeting.decisions.all())
    dues = [D(2004, 8, 25), D(2004, 12, 31), D(2004, 4, 30), D(2005, 2, 28), D(2005, 6, 30), D(2005, 12, 31)]
    keepers = [
        ["secretaria-cit", "oim", "minex"],
        ["pnc"],
        ["dgm"],
        ["secretaria-cit"],
        ["mp-fiscalia-trata", "oj"],
        ["sbs", "dgm"],
    ]
    made = [
        services.commitment_from_decision(
            actor=coordinator, decision=decision, institutions=[inst[c] for c in codes], due_date=due
        )
        for decision, codes, due in zip(decisions, keepers, dues, strict=True)
    ]
    policy_c, police_c, border_c, mass_c, penal_c, shelters_c = made
    _progress(
        coordinator,
        policy_c,
        (
            D(2004, 5, 3),
            "Borrador de la política elaborado con la OIM; consulta con las instituciones del Grupo.",
            "in_progress",
        ),
        (D(2004, 11, 16), "Política nacional aprobada, con tres meses de retraso sobre lo previsto.", "done"),
    )
    _progress(
        coordinator,
        police_c,
        (D(2004, 11, 30), "Módulos incorporados al currículo de agentes y mandos medios.", "done"),
    )
    services.evidence_add(
        actor=coordinator, commitment=police_c, app_label="prevention", model="training",
        reference=trainings["police_recruits"].reference, note="Primera promoción formada con el nuevo módulo",
    )  # fmt: skip
    _progress(coordinator, border_c, (D(2004, 5, 5), "Campaña ejecutada en los puestos fronterizos.", "done"))
    services.evidence_add(
        actor=coordinator, commitment=border_c, app_label="prevention", model="campaign",
        reference=campaigns["border"].reference,
    )  # fmt: skip
    _progress(coordinator, mass_c, (D(2005, 3, 4), "Spots transmitidos de septiembre a febrero.", "done"))
    services.evidence_add(
        actor=coordinator, commitment=mass_c, app_label="prevention", model="campaign",
        reference=campaigns["social_communication"].reference,
    )  # fmt: skip
    _progress(
        coordinator,
        penal_c,
        (D(2005, 6, 1), "Iniciativa en discusión en el Congreso.", "in_progress"),
        (D(2009, 2, 20), "Ley contra la violencia sexual, explotación y trata de personas aprobada.", "done"),
    )
    _progress(
        coordinator,
        shelters_c,
        (D(2006, 1, 20), "Sin financiamiento: se atiende a deportados en albergues existentes.", "dropped"),
    )


def _plan_2025(coordinator: User, inst, campaigns_2025) -> None:
    meeting = services.meeting_create(
        actor=coordinator,
        title="Comisión Interinstitucional: seguimiento del plan de acción 2025-2026",
        held_on=D(2025, 5, 14),
        institutions_present=[
            inst[c]
            for c in ("secretaria-cit", "minex", "dgm", "pnc", "mp-fiscalia-trata", "sbs", "oim", "ecpat")
        ],
        notes="Revisión de compromisos y preparación del informe anual.",
        decisions=[
            "Actualizar la política nacional contra la trata para el período 2026-2036.",
            "Publicar las estadísticas anuales de la Comisión a partir de TIPIMS.",
            "Capacitar al personal de todos los puestos fronterizos en indicadores de trata.",
            "Realizar una campaña radial en idiomas mayas en Huehuetenango y San Marcos.",
            "Evaluar la cobertura de albergues especializados para adolescentes.",
        ],
    )
    first, second, third, fourth, _still_a_decision = meeting.decisions.all()
    policy_c = services.commitment_from_decision(
        actor=coordinator,
        decision=first,
        institutions=[inst["secretaria-cit"], inst["oim"]],
        due_date=D(2027, 6, 30),
    )
    _progress(
        coordinator,
        policy_c,
        (D(2025, 9, 12), "Diagnóstico concluido; talleres regionales programados.", "in_progress"),
    )
    stats_c = services.commitment_from_decision(
        actor=coordinator, decision=second, institutions=[inst["estadistica-cit"]], due_date=D(2025, 9, 30)
    )
    _progress(
        coordinator,
        stats_c,
        (
            D(2025, 8, 20),
            "Tablas preliminares listas; falta la validación de las instituciones.",
            "in_progress",
        ),
    )
    services.commitment_from_decision(
        actor=coordinator, decision=third, institutions=[inst["dgm"], inst["oim"]], due_date=D(2026, 2, 28)
    )
    radio_c = services.commitment_from_decision(
        actor=coordinator, decision=fourth, institutions=[inst["secretaria-cit"]], due_date=D(2025, 12, 31)
    )
    _progress(
        coordinator,
        radio_c,
        (D(2025, 11, 28), "Cuñas en mam y k'iche' transmitidas durante ocho semanas.", "done"),
    )
    if campaigns_2025:
        services.evidence_add(
            actor=coordinator, commitment=radio_c, app_label="prevention", model="campaign",
            reference=campaigns_2025[0].reference,
        )  # fmt: skip
    services.commitment_create(
        actor=coordinator,
        text="Incluir la prevención de la trata en el currículo nacional base del nivel medio.",
        institutions=[inst["secretaria-cit"]],
        due_date=D(2027, 3, 31),
        made_on=D(2026, 3, 10),
    )


@transaction.atomic  # one commit for the whole demo part: each service still audits its write
def load_prevention(users_by_name: dict[str, User], *, seed: int = 2004) -> int:
    """Create the prevention demo once; return how many campaigns and trainings were created."""
    if Campaign.objects.exists() or Commitment.objects.exists():
        return 0
    rng = random.Random(seed)
    inst = {i.code: i for i in Institution.objects.all()}
    coordinator = users_by_name["coordinator"]
    campaigns = _cable_campaigns(
        coordinator, users_by_name["border_officer"], users_by_name["caseworker"], inst
    )
    staff = [
        coordinator,
        users_by_name["border_officer"],
        users_by_name["caseworker"],
        users_by_name["monitor"],
    ]
    series = _series_campaigns(rng, staff, inst)
    trainings = _cable_trainings(coordinator, inst)
    more_trainings = _series_trainings(rng, coordinator, inst)
    _plan_2004(coordinator, inst, campaigns, trainings)
    radio_2025 = [c for c in series if c.medium == "radio" and D(2025, 4, 1) <= c.start <= D(2026, 3, 31)]
    _plan_2025(coordinator, inst, radio_2025)
    return len(campaigns) + len(series) + len(trainings) + len(more_trainings)
