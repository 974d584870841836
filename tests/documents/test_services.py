"""Rendering by Celery tasks: ids in, queued on commit, idempotent, status recorded."""

from unittest import mock

import pytest

from workup.documents import services
from workup.documents.models import Document
from workup.documents.tasks import render_document

pytestmark = pytest.mark.django_db


def request_handout(consultation, user, capture, **options):
    with capture(execute=True) as callbacks:
        document = services.document_request(
            consultation=consultation,
            user=user,
            kind="handout",
            options={"language": "en", "large_print": False, **options},
        )
    return document, callbacks


def test_a_request_is_queued_on_commit_and_rendered(
    consultation, gp, django_capture_on_commit_callbacks
):
    document, callbacks = request_handout(consultation, gp, django_capture_on_commit_callbacks)
    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == "ready" and document.pages in (1, 2)
    assert document.file.read()[:5] == b"%PDF-"


def test_the_task_is_queued_only_after_commit(consultation, gp, django_capture_on_commit_callbacks):
    with mock.patch("workup.documents.tasks.render_document.delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.document_request(
                consultation=consultation,
                user=gp,
                kind="handout",
                options={"language": "en", "large_print": False},
            )
        delay.assert_not_called()  # only after commit
        assert len(callbacks) == 1


def test_the_same_request_twice_gives_one_document(
    consultation, gp, django_capture_on_commit_callbacks
):
    first, _ = request_handout(consultation, gp, django_capture_on_commit_callbacks)
    second, callbacks = request_handout(consultation, gp, django_capture_on_commit_callbacks)
    assert first.pk == second.pk and callbacks == []
    assert Document.objects.count() == 1


def test_running_the_task_twice_yields_one_document(
    consultation, gp, django_capture_on_commit_callbacks
):
    document, _ = request_handout(consultation, gp, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    name, digest = document.file.name, document.sha256
    assert render_document(document.pk) == "ready"
    document.refresh_from_db()
    assert (document.file.name, document.sha256) == (name, digest)
    assert Document.objects.count() == 1


def test_rendering_the_same_inputs_again_gives_the_same_bytes(
    consultation, gp, django_capture_on_commit_callbacks
):
    document, _ = request_handout(consultation, gp, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    digest = document.sha256
    Document.objects.filter(pk=document.pk).update(status="queued")
    services.document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.sha256 == digest


def test_a_changed_decision_makes_a_new_document(
    consultation, gp, login, django_capture_on_commit_callbacks
):
    first, _ = request_handout(consultation, gp, django_capture_on_commit_callbacks)
    login(gp).post(
        f"/consultations/{consultation.public_id}/decisions/",
        {"kind": "investigations", "code": "u_and_e", "action": "accept"},
    )
    second, _ = request_handout(consultation, gp, django_capture_on_commit_callbacks)
    assert first.pk != second.pk


def test_a_failure_is_recorded_with_a_reason_the_gp_sees(
    consultation, gp, django_capture_on_commit_callbacks
):
    with mock.patch("workup.documents.pdf.render_pdf", side_effect=OSError("disk")):
        request_handout(consultation, gp, django_capture_on_commit_callbacks)
    document = Document.objects.get()
    assert document.status == "failed"
    assert "could not be made (OSError)" in document.error
    assert consultation.patient.name not in document.error
    # asking again retries it
    request_handout(consultation, gp, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert document.status == "ready"
