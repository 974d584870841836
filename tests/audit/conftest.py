import pytest

from workup.audit.models import AccessEvent
from workup.clinic import services


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    settings.DOCUMENT_ROOT = tmp_path / "documents"
    return settings.DOCUMENT_ROOT


@pytest.fixture
def decided(consultation, gp):
    """The consultation with a blood test accepted: a handout and a lab request can be printed."""
    for kind, code in [("investigations", "u_and_e"), ("differentials", "deep_vein_thrombosis")]:
        services.decision_record(
            consultation=consultation, user=gp, kind=kind, code=code, accepted=True
        )
    return consultation


@pytest.fixture
def printed(decided, gp, django_capture_on_commit_callbacks):
    """A ready handout, made through the service (so no event is logged for it)."""
    from workup.documents.services import document_request

    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            consultation=decided,
            user=gp,
            kind="handout",
            options={"language": "en", "large_print": False},
        )
    document.refresh_from_db()
    assert document.status == "ready"
    return document


def events(**filters):
    return list(AccessEvent.objects.filter(**filters).order_by("at", "id"))
