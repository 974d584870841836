import pytest

from tests.factories import intake_data
from workup.engine import DEFAULT_KNOWLEDGE_BASE, load_knowledge_base, recommend


@pytest.fixture(scope="session")
def kb():
    return load_knowledge_base(DEFAULT_KNOWLEDGE_BASE)


@pytest.fixture
def assess(kb):
    """assess(**intake_fields) -> the contract assessment for a typical cramp so changed."""
    def _assess(**fields):
        return recommend(intake_data(**fields), kb)
    return _assess


def codes(assessment, kind):
    return [item["code"] for item in assessment[kind]]


def item(assessment, kind, code):
    found = [i for i in assessment[kind] if i["code"] == code]
    assert found, f"{kind} has no {code}: {codes(assessment, kind)}"
    return found[0]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests log in often: a fast hasher keeps them quick (production keeps Django's)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
