"""Deterministic random intakes over the knowledge base's vocabulary, for benchmarks."""

import random

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
