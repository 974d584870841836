import pytest

from tests.engine.intakes import intake
from workup.engine import recommend


@pytest.fixture
def assess(kb):
    """assess(**overrides): the assessment of a typical night cramp changed only as given
    (tests/engine/intakes.py), through the engine's one entry point."""
    return lambda **overrides: recommend(intake(**overrides), kb)
