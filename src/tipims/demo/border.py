"""Synthetic border data: a watchlist, a year of crossings at the real crossing points (loaded through
the bulk importer, which validates, screens and audits them), minors crossing with adults, and the
daily deportation receptions at El Carmen."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from tipims.accounts import services as account_services
from tipims.accounts.models import User
from tipims.accounts.roles import Role
from tipims.border import services
from tipims.border.imports import import_rows
from tipims.border.models import Crossing, WatchlistEntry
from tipims.demo.names import GIVEN_FEMININE, GIVEN_MASCULINE, SURNAMES
from tipims.people import services as people_services
from tipims.people.services import DocumentInput

REFERENCE_DAY = datetime.date(2026, 6, 30)
WATCHLIST_SIZE = 5_000  # as issue 5 asks: a watchlist of 5,000
CROSSINGS = 200_000  # a year at the real crossing points, through the bulk importer
# Crossing points and their share of the traffic.
POINTS = [
    ("tecun-uman", 26),
    ("el-carmen", 22),
    ("la-aurora", 18),
    ("la-mesilla", 9),
    ("pedro-de-alvarado", 6),
    ("valle-nuevo", 4),
    ("san-cristobal", 3),
    ("agua-caliente", 4),
    ("el-florido", 2),
    ("corinto", 1),
    ("puerto-barrios", 2),
    ("melchor-de-mencos", 2),
    ("el-ceibo", 1),
]
NATIONALITIES = [("GT", 60), ("MX", 10), ("SV", 9), ("HN", 12), ("NI", 4), ("EC", 3), ("US", 2)]
DEPORTED = [("GT", 48), ("HN", 25), ("SV", 15), ("NI", 5), ("EC", 5), ("CN", 2)]
REVIEWER = "investigador-revisor"


def _pick(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "swap", "double"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def _reviewer(investigator: User) -> User:
    """A second investigator of the same unit: watchlist entries need a second user's approval."""
    found = User.objects.filter(username=REVIEWER).first()
    if found is None:
        found = account_services.user_create(
            actor=None, username=REVIEWER, institution=investigator.institution, roles=[Role.INVESTIGATOR]
        )
    return found


def make_watchlist(rng, investigator: User, size: int) -> list[dict]:
    """``size`` entries (one in twenty left pending approval); the people of the active ones."""
    reviewer = _reviewer(investigator)
    listed = []
    for i in range(size):
        feminine = rng.random() < 0.3
        person = {
            "given_names": rng.choice(GIVEN_FEMININE if feminine else GIVEN_MASCULINE),
            "surname1": rng.choice(SURNAMES),
            "surname2": rng.choice(SURNAMES),
            "birth_date": datetime.date(rng.randint(1950, 1998), rng.randint(1, 12), rng.randint(1, 28)),
        }
        reason = _pick(
            rng,
            [("suspected_trafficker", 60), ("arrest_warrant", 25), ("travel_ban", 10), ("missing_minor", 5)],
        )
        documents = []
        if rng.random() < 0.5:
            documents.append(DocumentInput("PASSPORT", f"GT{7000000 + i}"))
        entry = services.watchlist_entry_create(
            actor=investigator,
            values={
                **person,
                "name_variants": f"{person['given_names']} / {person['surname2']} /"
                if rng.random() < 0.2
                else "",
                "nationalities": [_pick(rng, NATIONALITIES[:4])],
                "reason": reason,
                "source_institution": investigator.institution,
                "expires_on": timezone.localdate() + datetime.timedelta(days=rng.randint(60, 720)),
            },
            documents=documents,
        )
        if i % 20 != 0:  # a few stay pending, to show the approval step
            services.watchlist_entry_approve(actor=reviewer, entry=entry)
            listed.append(person)
    return listed


def _crossing_rows(rng, listed: list[dict], count: int):
    start = datetime.datetime.combine(
        REFERENCE_DAY - datetime.timedelta(days=365), datetime.time(6), tzinfo=datetime.UTC
    )
    for line in range(2, count + 2):
        when = start + datetime.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        if rng.random() < 0.01 and listed:  # a watchlisted person, written as a hurried officer would
            known = rng.choice(listed)
            given, first, second = known["given_names"], known["surname1"], known["surname2"]
            if rng.random() < 0.5:
                first, second = second, first
            given = _typo(rng, given)
            born = known["birth_date"]
            if rng.random() < 0.3 and born.day <= 12:
                born = born.replace(month=born.day, day=born.month)
        else:
            feminine = rng.random() < 0.45
            given = rng.choice(GIVEN_FEMININE if feminine else GIVEN_MASCULINE)
            first, second = rng.choice(SURNAMES), rng.choice(SURNAMES) if rng.random() < 0.85 else ""
            born = datetime.date(rng.randint(1950, 2015), rng.randint(1, 12), rng.randint(1, 28))
        nationality = _pick(rng, NATIONALITIES)
        has_document = rng.random() < 0.9
        yield (
            line,
            {
                "given_names": given,
                "surname1": first,
                "surname2": second,
                "sex": rng.choice(("Feminine", "Masculine")),
                "birth_date": born.isoformat(),
                "nationality": nationality,
                "document_type": ("DPI" if nationality == "GT" else "PASSPORT") if has_document else "",
                "document_number": f"{nationality}{rng.randint(1000000, 9999999)}" if has_document else "",
                "direction": rng.choice(("in", "out")),
                "crossed_at": when.isoformat(),
                "point": _pick(rng, POINTS),
                "deported": "yes" if rng.random() < 0.05 else "no",
            },
        )


def _minors_with_adults(rng, officer: User) -> int:
    """Minors crossing with adults: most with a parent, some with an adult who is no relation."""
    made = 0
    for i in range(30):
        day = timezone.now() - datetime.timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 600))
        surname = rng.choice(SURNAMES)
        adult = people_services.person_record_create(
            actor=officer,
            values={
                "given_names": rng.choice(GIVEN_MASCULINE),
                "surname1": rng.choice(SURNAMES) if i % 3 == 0 else surname,
                "sex": "Masculine",
                "birth_date": datetime.date(rng.randint(1960, 1990), 5, 5),
                "birth_date_precision": "exact",
            },
        )
        minor = people_services.person_record_create(
            actor=officer,
            values={
                "given_names": rng.choice(GIVEN_FEMININE),
                "surname1": surname,
                "sex": "Feminine",
                "estimated_age": rng.randint(12, 17),
                "birth_date_precision": "estimated",
                "citizenships": [_pick(rng, [("HN", 4), ("SV", 3), ("GT", 2), ("NI", 1)])],
            },
        )
        point = rng.choice(("tecun-uman", "el-carmen", "la-mesilla"))
        relation = "unrelated" if i % 3 == 0 else "parent"
        services.crossing_create(actor=officer, person=adult, point=point, direction="out", crossed_at=day)
        services.crossing_create(
            actor=officer,
            person=minor,
            point=point,
            direction="out",
            crossed_at=day,
            companions=[services.CompanionInput(adult, relation)],
        )
        made += 2
    return made


def _receptions(rng, officer: User) -> int:
    made = 0
    for back in range(14):  # two weeks of daily receptions
        day = REFERENCE_DAY - datetime.timedelta(days=back)
        total = rng.randint(380, 520)  # "approximately 450 people a day" through El Carmen
        for nationality, share in DEPORTED:
            people = round(total * share / 100)
            for sex, part in (("Masculine", 0.74), ("Feminine", 0.26)):
                count = max(0, round(people * part))
                if not count:
                    continue
                minors = round(count * rng.uniform(0.04, 0.12))
                services.deportation_reception_create(
                    actor=officer,
                    values={
                        "received_on": day,
                        "point": "el-carmen",
                        "nationality": nationality,
                        "sex": sex,
                        "people": count,
                        "minors": minors,
                        "unaccompanied_minors": round(minors * rng.uniform(0.1, 0.4)),
                    },
                )
                made += 1
    return made


@transaction.atomic  # one commit for the whole demo part: each service still audits its write
def load_border(
    users: dict[str, User],
    *,
    seed: int = 2004,
    crossings: int = CROSSINGS,
    watchlist: int = WATCHLIST_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create the border demo once; return how many crossings were created (0 when it exists)."""
    if Crossing.objects.exists() or WatchlistEntry.objects.exists():
        return 0
    rng = random.Random(seed)
    officer, investigator = users["border_officer"], users["investigator"]
    listed = make_watchlist(rng, investigator, watchlist)
    result = import_rows(
        _crossing_rows(rng, listed, crossings), actor=officer, screen=True, progress=progress
    )
    made = result.loaded + _minors_with_adults(rng, officer)
    _receptions(rng, officer)
    return made
