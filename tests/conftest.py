import pytest

from workup.engine import DEFAULT_KNOWLEDGE_BASE, load_knowledge_base

# The personas (a GP, a nurse, an admin, an outsider, a patient, logged-in clients) for every
# test, by fixture name: tests/personas.py.
pytest_plugins = ["tests.personas"]

# The slow tests (`-m slow`): a browser, a PDF drawn and read back, a subprocess, or thousands
# of generated cases. `make test-fast` runs everything else; `make test` runs all.
SLOW = (
    "tests/e2e/",
    "tests/documents/test_clinical_documents.py",
    "tests/documents/test_commands.py",
    "tests/documents/test_demo_documents.py",
    "tests/documents/test_golden.py",
    "tests/documents/test_handout.py",
    "tests/documents/test_handout_rules.py",
    "tests/documents/test_document_properties.py",
    "tests/documents/test_services.py",
    "tests/documents/test_views.py",
    "tests/knowledge/test_recommend.py",
    "tests/site/test_settings.py",
    "tests/bench/test_bench_production.py",
    "tests/engine/test_differential.py",
    "tests/engine/test_properties.py",
    "tests/api/test_fuzz.py",
    "tests/documents/test_fetcher.py",
)


def pytest_collection_modifyitems(config, items):
    root = str(config.rootpath) + "/"
    for item in items:
        if str(item.path).removeprefix(root).startswith(SLOW):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def kb():
    return load_knowledge_base(DEFAULT_KNOWLEDGE_BASE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests log in often: a fast hasher keeps them quick (production keeps Django's)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
