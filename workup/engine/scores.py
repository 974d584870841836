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
    collateral_not_scored: bool  # collateral veins recorded but not scored (varicose veins)

    def describe(self, kb: KnowledgeBase) -> str:
        threshold = kb.scores["wells"]["likely_at_least"]
        parts = [f"{kb.label('findings', f)} ({p:+d})" for f, p in self.scored]
        text = (f"two-level Wells score {self.score} (DVT likely at {threshold} or more)"
                f": {', '.join(parts) if parts else 'no items scored'}")
        if self.collateral_not_scored:
            text += "; collateral veins not scored because the leg has varicose veins"
        return text


def wells_score(intake: Intake, kb: KnowledgeBase) -> Wells | None:
    """The score where DVT signs were recorded, else None."""
    cfg = kb.scores["wells"]
    findings = set(intake.findings)
    if not findings.intersection(cfg["assessed_when_any_finding"]):
        return None
    varicose = set(cfg["collateral_not_scored_with_leg_signs"])
    has_varicose = any(varicose.intersection(signs) for signs in intake.legs.values())
    scored, skipped = [], False
    for finding, points in cfg["items"].items():
        if finding not in findings:
            continue
        if finding == cfg["collateral_item"] and has_varicose:
            skipped = True
            continue
        scored.append((finding, points))
    total = sum(p for _, p in scored)
    return Wells(total, total >= cfg["likely_at_least"], tuple(scored), skipped)


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
