"""Synthetic Latin American person records with realistic errors and duplicates, for tests and
benchmarks: accents dropped, second surnames missing or swapped, married names ("de León"), typing
errors, day and month swapped, estimated ages, documents present on some records only.

Names are drawn with realistic frequencies, because blocking and false matches both depend on them: a
few surnames are very common (the commonest, López, carries about 4% of first surnames, as in
Guatemala) and a long tail is rare. The listed surnames and given names follow a Zipf law by rank; the
tail is made of invented surnames (Maya-like syllables), so that its rare names name nobody.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import random

import pandas as pd

from tipims.demo.names import GIVEN_FEMININE, GIVEN_MASCULINE, MORE_SURNAMES, SURNAMES

NATIONALITIES = ["GT"] * 6 + ["HN", "SV", "NI", "MX", "BZ", "CR"]


TAIL_SURNAMES = 6000  # invented rare surnames
TAIL_SHARE = 0.3  # of all surnames drawn, the share from the rare tail


def _zipf(count: int, offset: float) -> list[float]:
    return [1 / (rank + offset) for rank in range(1, count + 1)]


def _invented_surnames(count: int) -> list[str]:
    """Rare surnames that name nobody: two or three syllables of Maya-like sound, capitalised."""
    rng = random.Random(2004)
    onsets = [
        "",
        "ch",
        "tz",
        "x",
        "c",
        "q",
        "y",
        "b",
        "p",
        "t",
        "k",
        "j",
        "m",
        "n",
        "l",
        "r",
        "s",
        "aj",
        "ix",
    ]
    vowels = ["a", "e", "i", "o", "u", "á", "ú"]
    codas = ["", "", "n", "l", "c", "j", "x", "m", "s", "y"]
    names: set[str] = set()
    while len(names) < count:
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(rng.choice((2, 2, 3)))
        )
        if 4 <= len(word) <= 11 and word.count("á") + word.count("ú") <= 1:
            names.add(word.capitalize())
    return sorted(names)


class _Names:
    """Cumulative weights for ``random.choices``: drawing a million names stays fast."""

    def __init__(self) -> None:
        listed = SURNAMES + [s for s in MORE_SURNAMES if s not in SURNAMES]
        tail = [s for s in _invented_surnames(TAIL_SURNAMES) if s not in listed]
        head_weights = _zipf(len(listed), 3.5)
        head_scale = (1 - TAIL_SHARE) / sum(head_weights)
        tail_weights = _zipf(len(tail), 50)
        tail_scale = TAIL_SHARE / sum(tail_weights)
        self.surnames = listed + tail
        self.surname_cum = list(
            itertools.accumulate(
                [w * head_scale for w in head_weights] + [w * tail_scale for w in tail_weights]
            )
        )
        self.feminine, self.feminine_cum = (
            GIVEN_FEMININE,
            list(itertools.accumulate(_zipf(len(GIVEN_FEMININE), 3))),
        )
        self.masculine, self.masculine_cum = (
            GIVEN_MASCULINE,
            list(itertools.accumulate(_zipf(len(GIVEN_MASCULINE), 3))),
        )

    def surname(self, rng: random.Random) -> str:
        return rng.choices(self.surnames, cum_weights=self.surname_cum)[0]

    def given(self, rng: random.Random, feminine: bool) -> str:
        if feminine:
            return rng.choices(self.feminine, cum_weights=self.feminine_cum)[0]
        return rng.choices(self.masculine, cum_weights=self.masculine_cum)[0]


@functools.cache
def names() -> _Names:
    return _Names()


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
        record["surname2"] = "de " + names().surname(rng)
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


TOWNS = [
    "Guatemala", "Mixco", "Villa Nueva", "Quetzaltenango", "Escuintla", "Cobán", "Huehuetenango",
    "Chiquimula", "Jutiapa", "Puerto Barrios", "Retalhuleu", "Coatepeque", "Mazatenango", "Zacapa",
    "Totonicapán", "Sololá", "Antigua Guatemala", "Chimaltenango", "Flores", "Salamá", "Jalapa",
    "Ayutla", "Malacatán", "La Democracia", "San Marcos", "Santa Lucía Cotzumalguapa",
]  # fmt: skip


def _address(rng: random.Random) -> str:
    return (
        f"{rng.randint(1, 20)}a calle {rng.randint(1, 30)}-{rng.randint(1, 99):02} zona {rng.randint(1, 21)}, "
        f"{rng.choice(TOWNS)}"
    )


def _address_variant(rng: random.Random, address: str) -> str:
    """Half the records carry no address; some people moved; the rest are typed with errors."""
    roll = rng.random()
    if roll < 0.5:
        return ""
    if roll < 0.6:
        return _address(rng)  # moved
    if roll < 0.7:
        return address.split(", ")[-1]  # the town only
    if roll < 0.8:
        words = address.split()
        i = rng.randrange(len(words))
        words[i] = _typo(rng, words[i])
        return " ".join(words)
    return address


def generate(
    people: int, *, duplicate_rate: float = 0.5, seed: int = 7, addresses: bool = False
) -> pd.DataFrame:
    """Rows with a hidden ``true_id``: ``people`` distinct persons, some recorded several times.

    ``addresses`` adds an address column, drawn from a generator of its own so that the other
    columns are the same with or without it."""
    rng = random.Random(seed)
    places = random.Random(seed + 1)
    pool = names()
    rows = []
    for number in range(people):
        feminine = rng.random() < 0.65
        given = pool.given(rng, feminine)
        if rng.random() < 0.4:
            given += " " + pool.given(rng, feminine)
        person = {
            "given_names": given,
            "surname1": pool.surname(rng),
            "surname2": pool.surname(rng),
            "sex": "F" if feminine else "M",
            "date_of_birth": datetime.date(1975, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 35)),
            "nationality": rng.choice(NATIONALITIES),
            "document_number": f"{rng.randrange(10**8, 10**9)}",
        }
        copies = 1 + (rng.choice((1, 1, 1, 2, 3)) if rng.random() < duplicate_rate else 0)
        address = _address(places) if addresses else ""
        for _ in range(copies):
            record = _variant(rng, person)
            if addresses:
                record["address"] = _address_variant(places, address)
            record["true_id"] = number
            rows.append(record)
    rng.shuffle(rows)
    frame = pd.DataFrame(rows)
    frame.insert(0, "record_id", [f"R{n:07d}" for n in range(len(frame))])
    return frame


def _pairs(groups) -> set:
    return {pair for members in groups for pair in itertools.combinations(sorted(members), 2)}


def true_pairs(rows: pd.DataFrame) -> set:
    """The pairs of record ids that are the same person, from the hidden ``true_id``."""
    return _pairs(rows.groupby("true_id")["record_id"].apply(list))


def scores(rows: pd.DataFrame, clusters: pd.DataFrame) -> dict:
    """Pairwise precision, recall and F1, and cluster F1 (share of true persons reproduced exactly,
    harmonic with the share of predicted clusters that are exactly a true person)."""
    merged = clusters.merge(rows[["record_id", "true_id"]], on="record_id")
    predicted_groups = merged.groupby("cluster_id")["record_id"].apply(frozenset)
    true_groups = merged.groupby("true_id")["record_id"].apply(frozenset)
    predicted, true = _pairs(predicted_groups), _pairs(true_groups)
    hit = len(predicted & true)
    precision, recall = hit / max(1, len(predicted)), hit / max(1, len(true))
    exact = set(predicted_groups) & set(true_groups)
    cluster_recall, cluster_precision = len(exact) / len(true_groups), len(exact) / len(predicted_groups)
    return {
        "pairwise_precision": round(precision, 4),
        "pairwise_recall": round(recall, 4),
        "pairwise_f1": round(2 * precision * recall / max(1e-9, precision + recall), 4),
        "cluster_f1": round(
            2 * cluster_precision * cluster_recall / max(1e-9, cluster_precision + cluster_recall), 4
        ),
    }
