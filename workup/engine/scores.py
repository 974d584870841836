"""The two-level DVT Wells score and the CEAP clinical class, as the knowledge base defines them."""

from __future__ import annotations

from dataclasses import dataclass

from .intake import Intake
from .kb import KnowledgeBase


@dataclass(frozen=True)
class Wells:
    score: int
    likely: bool
    scored: tuple[tuple[str, int], ...]  # (finding, points) that counted

    def describe(self, kb: KnowledgeBase) -> str:
        threshold = kb.scores["wells"]["likely_at_least"]
        parts = [f"{kb.label('findings', f)} ({p:+d})" for f, p in self.scored]
        return (
            f"two-level Wells score {self.score} (DVT likely at {threshold} or more)"
            f": {', '.join(parts) if parts else 'no items scored'}"
        )


def wells_score(intake: Intake, kb: KnowledgeBase, scope) -> Wells | None:
    """The score where DVT signs were recorded, else None; None too where the knowledge base
    says the score does not apply (pregnancy, postpartum), evaluated for this patient."""
    cfg = kb.scores["wells"]
    findings = set(intake.findings)
    if not findings.intersection(cfg["assessed_when_any_finding"]):
        return None
    if kb.wells_not_scored is not None and kb.wells_not_scored.holds(scope)[0]:
        return None
    scored = tuple((f, p) for f, p in cfg["items"].items() if f in findings)
    total = sum(p for _, p in scored)
    return Wells(total, total >= cfg["likely_at_least"], scored)


def ceap(intake: Intake, kb: KnowledgeBase) -> dict:
    """Each leg's CEAP clinical class (the highest that applies) and whether it is symptomatic."""
    cfg = kb.scores["ceap"]
    symptomatic = set(cfg["symptomatic_signs"])
    result = {}
    for leg, signs in intake.legs.items():
        present = set(signs)
        cls = cfg["classes"][0]["class"]
        for entry in cfg["classes"]:
            if present.intersection(entry.get("signs") or ()):
                cls = entry["class"]
        result[leg] = {"class": cls, "symptomatic": bool(present & symptomatic)}
    return result
