"""Deterministic random intakes over the knowledge base's vocabulary, for benchmarks."""

import random
from datetime import date, timedelta

from workup.engine import KnowledgeBase


def sample_intakes(kb: KnowledgeBase, count: int, seed: int = 2026) -> list[dict]:
    rng = random.Random(seed)
    v = kb.vocabulary
    names = sorted(" ".join(k) for k in kb.matcher.names)

    def some(section, most):
        return rng.sample(sorted(v[section]), rng.randint(0, most))

    results = sorted(kb.results)

    def some_results():
        out = []
        for code in rng.sample(results, rng.randint(0, 3)):
            definition = kb.results[code]
            value = (
                rng.choice(["positive", "negative"])
                if definition.kind == "coded"
                else round(rng.uniform(0, definition.maximum / 20), 2)
            )
            out.append({"code": code, "value": value, "date": "2026-11-01"})
        return out

    def one():
        sex = rng.choice(v["sexes"])
        pregnancy = "none" if sex == "male" else rng.choice(["none"] * 8 + sorted(v["pregnancy"]))
        return sex, pregnancy

    people = [one() for _ in range(count)]
    return [
        {
            "age": rng.randint(18, 95),
            "sex": people[i][0],
            "pregnancy": people[i][1],
            "cramps": {
                "episodes_per_week": rng.randint(0, 14),
                "longest_minutes": round(rng.uniform(0.5, 20), 1),
                "when": rng.sample(sorted(v["cramp_when"]), rng.randint(1, 2)),
                "sites": rng.sample(sorted(v["cramp_sites"]), rng.randint(1, 2)),
                "side": rng.choice(v["sides"]),
                "relieved_by_stretching": rng.random() < 0.8,
                "sleep_disturbed": rng.random() < 0.5,
            },
            "findings": some("findings", 4),
            "conditions": some("conditions", 2),
            "medications": [
                f"{rng.choice(names)} {rng.choice([5, 20, 40])}mg" for _ in range(rng.randint(0, 5))
            ],
            "legs": {"left": some("leg_signs", 3), "right": some("leg_signs", 3)},
            "results": some_results(),
            "previous": [{"code": "vascular", "kind": "referral", "date": "2026-10-01"}]
            if rng.random() < 0.2
            else [],
        }
        for i in range(count)
    ]


# -- a practice's register: fictional names, dates of birth, NHS numbers, visits -----------------
FIRST_NAMES = {
    "female": (
        "Ada Aisha Alice Amelia Anne Beatrice Carol Chloe Dorothy Eileen Elsie Emily Fatima Grace "
        "Hannah Irene Jean Joan Joyce Kathleen Linda Mabel Margaret Maria Mavis Nora Olivia "
        "Patricia Priya Rosa Ruth Sandra Sophie Susan Valerie Wendy Yvonne Zoe"
    ).split(),
    "male": (
        "Aaron Ahmed Albert Arthur Brian Charles Colin David Derek Edward Frank George Harold Ian "
        "Imran Jack James John Keith Kenneth Leonard Mohammed Neil Oliver Patrick Peter Raj "
        "Raymond Robert Samuel Stanley Thomas Victor Walter William Yusuf"
    ).split(),
}
SURNAMES = (
    "Adams Ahmed Ali Allen Ashworth Bailey Baker Banerjee Barker Bell Bennett Brown Campbell "
    "Carter Chapman Clarke Cole Cook Cooper Davies Delaney Dixon Edwards Ellis Evans Fairbairn "
    "Fisher Fletcher Foster Gibson Graham Green Greenhalgh Griffiths Hall Harris Harrison Hill "
    "Hollis Holmes Hughes Hunt Hussain Jackson James Jenkins Johnson Jones Kaur Kelly Khan King "
    "Knight Lee Lewis Lloyd Marshall Martin Mason Matthews Mills Mitchell Moore Morgan Morris "
    "Murphy Murray O'Brien Owen Owusu Palmer Parker Patel Phillips Powell Price Reid Richards "
    "Roberts Robinson Rogers Russell Saunders Scott Shaw Simpson Singh Smith Stevens Taylor Thomas "
    "Thompson Turner Walker Ward Watson Webb White Whitaker Williams Wilson Wood Wright Young"
).split()


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit of an NHS number's first nine digits (None: no valid
    number starts with them)."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else check


def sample_patients(count: int, today: date, seed: int = 2026) -> list[dict]:
    """`count` fictional patients, deterministic for a seed: name, date_of_birth (aged 21 to
    99 on `today`), sex, nhs_number (valid check digits, each different, in the 999 range that
    the NHS never issues) and visits (the dates of their consultations, oldest first,
    within three years before `today`; about a third never seen)."""
    rng = random.Random(seed)
    prefixes = (f"999{n:06d}" for n in range(10**6))
    patients = []
    for _ in range(count):
        sex = rng.choice(["female", "male"])
        born = today - timedelta(days=rng.randint(21 * 366, 99 * 365))
        first_nine = next(p for p in prefixes if nhs_check_digit(p) is not None)
        seen = rng.random() < 0.65
        visits = sorted(
            today - timedelta(days=rng.randint(0, 3 * 365))
            for _ in range(rng.randint(1, 4) if seen else 0)
        )
        patients.append(
            {
                "name": f"{rng.choice(FIRST_NAMES[sex])} {rng.choice(SURNAMES)}",
                "date_of_birth": born,
                "sex": sex,
                "nhs_number": first_nine + str(nhs_check_digit(first_nine)),
                "visits": visits,
            }
        )
    return patients
