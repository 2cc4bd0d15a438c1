"""Demo: the same victims recorded again by other institutions, then linked.

The protection demo records each synthetic victim once. In life, a girl sheltered by the Secretariat
is also met by an NGO's outreach team and by another NGO's hotline, each writing her name its own way.
Here a share of the victims is recorded again, independently, by Casa Alianza and ECPAT, with the
spelling variants of real registers (accents dropped, a second given name or surname left out, a
typing error, day and month swapped). Linkage then finds them, so that the unique counts,
the overlap table and the estimate of the hidden number have something true to show.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.db import transaction

from tipims.accounts import services as account_services
from tipims.accounts.models import Institution, User
from tipims.accounts.roles import Role
from tipims.core.normalise import strip_accents
from tipims.linkage.models import TrainedModel
from tipims.linkage.services import linkage_run
from tipims.linkage.statistics import defendant_records, victim_records
from tipims.people.models import PersonRecord
from tipims.protection import services as protection_services
from tipims.protection.models import Victim

# The chance that each other institution also recorded a victim; independent of each other, as
# multiple systems estimation assumes of its lists (heterogeneous catchability is the estimate's
# caveat, as the page says).
ALSO_RECORDED_BY = {"casa-alianza": 0.12, "ecpat": 0.07}
CASEWORKERS = {"casa-alianza": "caseworker-casa-alianza", "ecpat": "caseworker-ecpat"}


def _caseworker(code: str, institutions: dict[str, Institution]) -> User:
    user = User.objects.filter(username=CASEWORKERS[code]).first()
    return user or account_services.user_create(
        actor=None,
        username=CASEWORKERS[code],
        institution=institutions[code],
        roles=[Role.CASEWORKER],
        password=None,
        first_name=institutions[code].short_name or code,
    )


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def variant(rng: random.Random, person: PersonRecord) -> dict:
    """The values another institution would write down for this person."""
    given, first, second = person.given_names, person.surname1, person.surname2
    if rng.random() < 0.5:
        given, first, second = strip_accents(given), strip_accents(first), strip_accents(second)
    if rng.random() < 0.3 and " " in given:
        given = given.split()[0]
    if rng.random() < 0.2:
        second = ""
    if rng.random() < 0.2:
        first = _typo(rng, first)
    values = {
        "given_names": given,
        "surname1": first,
        "surname2": second,
        "sex": person.sex,
        "citizenships": list(person.citizenships or []),
        "birth_date_precision": person.birth_date_precision,
        "birth_date": person.birth_date,
        "estimated_age": person.estimated_age,
        "age_estimated_on": person.age_estimated_on,
    }
    birth = person.birth_date
    if birth and birth.day <= 12 and birth.day != birth.month and rng.random() < 0.1:
        values["birth_date"] = datetime.date(birth.year, birth.day, birth.month)
    return values


def load_linkage(
    institutions: dict[str, Institution],
    *,
    seed: int = 2006,
    progress: Callable[[str], None] = lambda message: None,
) -> int:
    """Record some victims again at other institutions, then link every person record. Nothing when a
    full linkage run has been made already. Returns the number of records added."""
    if TrainedModel.objects.exists() or not Victim.objects.exists():
        return 0
    rng = random.Random(seed)
    added = 0
    with transaction.atomic():
        workers = {code: _caseworker(code, institutions) for code in ALSO_RECORDED_BY}
        victims = list(
            Victim.objects.select_related("person", "institution").order_by("pk").iterator(chunk_size=500)
        )
        for victim in victims:
            for code, chance in ALSO_RECORDED_BY.items():
                if victim.institution.code == code or rng.random() >= chance:
                    continue
                day = victim.identified_on + datetime.timedelta(days=rng.randint(0, 90))
                protection_services.victim_identify_person(
                    actor=workers[code],
                    person_values=variant(rng, victim.person),
                    values={
                        "identified_on": min(day, datetime.date.today()),
                        "trafficking_status": victim.trafficking_status,
                        "status_decided_by": "NGO",
                        "exploitation_types": list(victim.exploitation_types),
                    },
                )
                added += 1
    progress(f"{added} victims recorded again by other institutions; linking victims and defendants")
    # The demo's 200,000 border crossings are left to `tipims resolve`: drawn from a few dozen
    # synthetic surnames, they would make blocking compare hundreds of millions of pairs.
    everyone = datetime.date.min, datetime.date.max
    linkage_run(
        progress=progress,
        records=victim_records(*everyone) | defendant_records(*everyone),
    )
    return added
