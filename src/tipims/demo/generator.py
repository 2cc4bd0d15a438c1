"""A deterministic, seeded generator of synthetic Guatemalan data. Later modules extend it with
their own ``load_*`` functions; everything goes through the services, so the demo is audited too."""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Callable

from django.db import transaction

from tipims.accounts import services as account_services
from tipims.accounts.models import Institution, User
from tipims.demo.institutions import DEMO_USERS, INSTITUTIONS
from tipims.demo.names import GIVEN_FEMININE, GIVEN_MASCULINE, SURNAMES
from tipims.people import services as people_services
from tipims.people.models import PersonRecord

# Who records persons in the demo, and how many each.
PERSON_RECORDERS = {"prosecutor": 120, "investigator": 160, "border_officer": 220, "caseworker": 150}
CITIZENSHIPS = [("GT", 55), ("HN", 14), ("SV", 13), ("NI", 8), ("MX", 5), ("BZ", 2), ("CR", 2), ("EC", 1)]
REFERENCE_DAY = datetime.date(2026, 6, 30)


def load_institutions() -> dict[str, Institution]:
    existing = {i.code: i for i in Institution.objects.all()}
    for code, name, short_name, org_type in INSTITUTIONS:
        if code not in existing:
            existing[code] = account_services.institution_create(
                actor=None, code=code, name=name, short_name=short_name, org_type=org_type, country="GT"
            )
    return existing


def new_password() -> str:
    return "demo-" + secrets.token_urlsafe(9)


def load_users(institutions: dict[str, Institution], password: str | None) -> list[tuple[User, str]]:
    """Create or reset the demo users; a second run gives each a fresh (or the given) password."""
    users = []
    for role, code in DEMO_USERS:
        chosen = password or new_password()
        user = User.objects.filter(username=role.value).first()
        if user is None:
            user = account_services.user_create(
                actor=None,
                username=role.value,
                institution=institutions[code],
                roles=[role],
                password=chosen,
                first_name=str(role.label),
            )
        else:
            account_services.user_set_roles(actor=None, user=user, roles=[role])
            account_services.user_set_password(actor=None, user=user, password=chosen)
        users.append((user, chosen))
    return users


def _weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def synthetic_person(rng: random.Random) -> tuple[dict, list[people_services.DocumentInput]]:
    feminine = rng.random() < 0.68
    given = rng.choice(GIVEN_FEMININE if feminine else GIVEN_MASCULINE)
    if rng.random() < 0.35:
        given += " " + rng.choice(GIVEN_FEMININE if feminine else GIVEN_MASCULINE)
    nationality = _weighted(rng, CITIZENSHIPS)
    minor = rng.random() < 0.55
    age = rng.randint(12, 17) if minor else rng.randint(18, 45)
    birth = REFERENCE_DAY - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
    values: dict = {
        "given_names": given,
        "surname1": rng.choice(SURNAMES),
        "surname2": rng.choice(SURNAMES) if rng.random() < 0.8 else "",
        "sex": "Feminine" if feminine else "Masculine",
        "citizenships": [nationality],
    }
    roll = rng.random()
    if roll < 0.55:
        values.update(birth_date=birth, birth_date_precision="exact")
    elif roll < 0.7:
        values.update(birth_date=birth.replace(month=1, day=1), birth_date_precision="year")
    else:
        values.update(estimated_age=age, age_estimated_on=REFERENCE_DAY, birth_date_precision="estimated")
    documents = []
    if rng.random() < 0.6:
        if nationality == "GT" and not minor:
            number = f"{rng.randint(1000, 3999)} {rng.randint(10000, 99999)} {rng.randint(101, 2217):04d}"
            documents.append(people_services.DocumentInput("DPI", number, "GT"))
        elif nationality == "GT":
            documents.append(
                people_services.DocumentInput(
                    "BIRTH_CERTIFICATE", f"RN-{rng.randint(10**6, 10**7 - 1)}", "GT"
                )
            )
        else:
            documents.append(
                people_services.DocumentInput(
                    "PASSPORT", f"{nationality}{rng.randint(10**6, 10**7 - 1)}", nationality
                )
            )
    return values, documents


def load_people(
    users: dict[str, User], *, seed: int = 2004, progress: Callable[[int, int], None] | None = None
) -> int:
    """Synthetic person records, recorded by the demo users; nothing when some exist already."""
    if PersonRecord.objects.exists():
        return 0
    rng = random.Random(seed)
    total = sum(PERSON_RECORDERS.values())
    done = 0
    with transaction.atomic():
        for username, count in PERSON_RECORDERS.items():
            actor = users[username]
            for _ in range(count):
                values, documents = synthetic_person(rng)
                if actor.username == "border_officer":
                    values = {k: v for k, v in values.items() if k not in ("phone", "address")}
                people_services.person_record_create(actor=actor, values=values, documents=documents)
                done += 1
                if progress and done % 50 == 0:
                    progress(done, total)
    return done
