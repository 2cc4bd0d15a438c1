"""Synthetic Latin American person records with realistic errors and duplicates, for tests and
benchmarks: accents dropped, second surnames missing or swapped, married names ("de León"), typing
errors, day and month swapped, estimated ages, documents present on some records only."""

from __future__ import annotations

import datetime
import random

import pandas as pd

from tipims.demo.names import GIVEN_FEMININE, GIVEN_MASCULINE, SURNAMES

NATIONALITIES = ["GT"] * 6 + ["HN", "SV", "NI", "MX", "BZ", "CR"]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    action = rng.choice(("swap", "drop", "replace"))
    if action == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if action == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice("aeiourslnm") + word[i + 1 :]


def _strip_accents(word: str) -> str:
    from tipims.core.normalise import strip_accents

    return strip_accents(word)


def _variant(rng: random.Random, person: dict) -> dict:
    record = dict(person)
    roll = rng.random
    if roll() < 0.4:
        record["given_names"] = _strip_accents(record["given_names"])
        record["surname1"] = _strip_accents(record["surname1"])
        record["surname2"] = _strip_accents(record["surname2"])
    if roll() < 0.25 and " " in record["given_names"]:
        record["given_names"] = record["given_names"].split()[0]
    if roll() < 0.15:
        record["surname2"] = ""
    elif roll() < 0.1:
        record["surname1"], record["surname2"] = record["surname2"], record["surname1"]
    elif roll() < 0.06 and person["sex"] == "F":
        record["surname2"] = "de " + rng.choice(SURNAMES)
    if roll() < 0.2:
        field = rng.choice(("given_names", "surname1", "surname2"))
        record[field] = _typo(rng, record[field])
    dob = person["date_of_birth"]
    if roll() < 0.1 and dob.day <= 12 and dob.day != dob.month:
        record["date_of_birth"] = datetime.date(dob.year, dob.day, dob.month).isoformat()
    elif roll() < 0.2:
        record["date_of_birth"] = str(dob.year + rng.choice((-1, 0, 0, 1)))
    elif roll() < 0.05:
        record["date_of_birth"] = ""
    else:
        record["date_of_birth"] = dob.isoformat()
    if roll() < 0.5:
        record["document_number"] = ""
    return record


def generate(people: int, *, duplicate_rate: float = 0.5, seed: int = 7) -> pd.DataFrame:
    """Rows with a hidden ``true_id``: ``people`` distinct persons, some recorded several times."""
    rng = random.Random(seed)
    rows = []
    for number in range(people):
        feminine = rng.random() < 0.65
        given = rng.choice(GIVEN_FEMININE if feminine else GIVEN_MASCULINE)
        if rng.random() < 0.4:
            given += " " + rng.choice(GIVEN_FEMININE if feminine else GIVEN_MASCULINE)
        person = {
            "given_names": given,
            "surname1": rng.choice(SURNAMES),
            "surname2": rng.choice(SURNAMES),
            "sex": "F" if feminine else "M",
            "date_of_birth": datetime.date(1975, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 35)),
            "nationality": rng.choice(NATIONALITIES),
            "document_number": f"{rng.randrange(10**8, 10**9)}",
        }
        copies = 1 + (rng.choice((1, 1, 1, 2, 3)) if rng.random() < duplicate_rate else 0)
        for _ in range(copies):
            record = _variant(rng, person)
            record["true_id"] = number
            rows.append(record)
    rng.shuffle(rows)
    frame = pd.DataFrame(rows)
    frame.insert(0, "record_id", [f"R{n:07d}" for n in range(len(frame))])
    return frame
