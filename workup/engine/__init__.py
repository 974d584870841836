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
    MAX_UPPER_LIMIT,
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


def drugs_taken(medications, kb: KnowledgeBase) -> set[str]:
    """The drug ids of the medicines a list of medication lines says are taken now (a line
    written as stopped is not): the matcher the rules use, for the product's own records (when
    quinine was started)."""
    return {
        component.id
        for text in medications
        if isinstance(text, str)
        for medication in (kb.matcher.match(text),)
        if medication.current
        for component in medication.components
    }


__all__ = [
    "CONTRACT_VERSION",
    "DECIDABLE",
    "DEFAULT_KNOWLEDGE_BASE",
    "LIMITS",
    "MAX_MEDICATIONS",
    "MAX_MEDICATION_LENGTH",
    "MAX_UPPER_LIMIT",
    "Intake",
    "IntakeError",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "assess",
    "drugs_taken",
    "load_knowledge_base",
    "recommend",
    "text_problem",
    "validate_intake",
]
