"""The decision engine: plain Python, no Django.

    kb = load_knowledge_base(DEFAULT_KNOWLEDGE_BASE)
    assessment = recommend(intake_dict, kb)     # raises IntakeError naming the field

Views, commands, the API and Celery tasks all call `recommend`; none re-implements it.
"""
from pathlib import Path

from .assess import CONTRACT_VERSION, assess
from .intake import Intake, IntakeError, validate_intake
from .kb import KnowledgeBase, KnowledgeBaseError, load_knowledge_base

DEFAULT_KNOWLEDGE_BASE = Path(__file__).resolve().parents[2] / "fixtures" / "knowledge_base"


def recommend(data, kb: KnowledgeBase) -> dict:
    """Validate a contract intake (parsed JSON) and return the contract assessment."""
    return assess(validate_intake(data, kb), kb)


__all__ = [
    "CONTRACT_VERSION", "DEFAULT_KNOWLEDGE_BASE", "Intake", "IntakeError", "KnowledgeBase",
    "KnowledgeBaseError", "assess", "load_knowledge_base", "recommend", "validate_intake",
]
