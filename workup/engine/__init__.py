"""The decision engine: plain Python, no Django.

    kb = load_knowledge_base(DEFAULT_KNOWLEDGE_BASE)
    assessment = recommend(intake_dict, kb)     # raises IntakeError naming the field

Every assessment comes from `recommend`: the clinic's services (saving a consultation) and
its live panel, the API and the `recommend`, `handout` and `referral` commands call it, and
none re-implements it. (Celery tasks only print documents from an assessment already saved.)
The intake's limits are exported here, so that the web form refuses what the engine refuses.
"""

from pathlib import Path

from .assess import CONTRACT_VERSION, assess
from .intake import (
    LIMITS,
    MAX_MEDICATION_LENGTH,
    MAX_MEDICATIONS,
    Intake,
    IntakeError,
    text_problem,
    validate_intake,
)
from .kb import DECIDABLE, KnowledgeBase, KnowledgeBaseError, load_knowledge_base

DEFAULT_KNOWLEDGE_BASE = Path(__file__).resolve().parents[2] / "fixtures" / "knowledge_base"


def recommend(data, kb: KnowledgeBase) -> dict:
    """Validate a contract intake (parsed JSON) and return the contract assessment."""
    return assess(validate_intake(data, kb), kb)


__all__ = [
    "CONTRACT_VERSION",
    "DECIDABLE",
    "DEFAULT_KNOWLEDGE_BASE",
    "LIMITS",
    "MAX_MEDICATIONS",
    "MAX_MEDICATION_LENGTH",
    "Intake",
    "IntakeError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "assess",
    "load_knowledge_base",
    "recommend",
    "text_problem",
    "validate_intake",
]
