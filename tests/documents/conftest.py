import pytest

from tests.clinic.conftest import *  # noqa: F401,F403  (personas)


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    settings.DOCUMENT_ROOT = tmp_path / "documents"
    return settings.DOCUMENT_ROOT
