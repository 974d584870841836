"""Print buttons, status page and PDF download: only for the practice's clinicians."""

import re

import pytest
from django.urls import reverse

from workup.documents.models import Document

pytestmark = pytest.mark.django_db


def print_(client, consultation, **data):
    return client.post(
        reverse("document_create", args=[consultation.public_id]),
        {"kind": "handout", "language": "es", **data},
    )


@pytest.fixture
def decided(consultation, login, gp):
    client = login(gp)
    for kind, code in [
        ("investigations", "u_and_e"),
        ("investigations", "medication_review"),
        ("differentials", "deep_vein_thrombosis"),
    ]:
        client.post(
            reverse("decision_record", args=[consultation.public_id]),
            {"kind": kind, "code": code, "action": "accept"},
        )
    return consultation


def test_print_handout_gives_the_gp_the_pdf(login, gp, decided, django_capture_on_commit_callbacks):
    client = login(gp)
    with django_capture_on_commit_callbacks(execute=True):
        response = print_(client, decided)
    document = Document.objects.get()
    assert response.url == reverse("document_detail", args=[document.public_id])
    page = client.get(response.url).content.decode()
    assert "Ready" in page and "Open the PDF to print" in page
    pdf = client.get(reverse("document_file", args=[document.public_id]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'inline; filename="handout.pdf"'
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    assert document.options == {"language": "es", "large_print": False}


def test_a_failed_render_shows_the_gp_why(login, gp, decided, django_capture_on_commit_callbacks):
    from unittest import mock

    client = login(gp)
    with mock.patch("workup.documents.pdf.render_pdf", side_effect=OSError("disk")):
        with django_capture_on_commit_callbacks(execute=True):
            response = print_(client, decided)
    page = client.get(response.url).content.decode()
    assert "could not be made (OSError)" in page and "Try again" in page


def test_a_nurse_can_print(login, nurse, decided, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        print_(login(nurse), decided)
    assert Document.objects.get().status == "ready"


def test_the_status_page_polls_while_queued(login, gp, decided):
    client = login(gp)
    print_(client, decided)  # not committed in this test, so still queued
    document = Document.objects.get()
    assert document.status == "queued"
    page = client.get(reverse("document_detail", args=[document.public_id])).content.decode()
    assert re.search(r'hx-trigger="load delay:\d+ms"', page)  # asks again until it is ready
    assert client.get(reverse("document_file", args=[document.public_id])).status_code == 404


def test_the_review_page_offers_referral_and_lab_request_once_accepted(login, gp, patient):
    from tests.factories import consultation_for

    c = consultation_for(
        patient, gp, left=["varicose_veins", "venous_symptoms"], medications=["Lasix"]
    )
    client = login(gp)
    page = client.get(reverse("consultation_review", args=[c.public_id])).content.decode()
    assert "Print handout" in page
    assert "Referral letter: vascular" not in page and "Lab request" not in page
    for kind, code in [("referrals", "vascular"), ("investigations", "u_and_e")]:
        client.post(
            reverse("decision_record", args=[c.public_id]),
            {"kind": kind, "code": code, "action": "accept"},
        )
    page = client.get(reverse("consultation_review", args=[c.public_id])).content.decode()
    assert "Referral letter: vascular" in page and "Lab request" in page


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "poster"},
        {"kind": "handout", "language": "fr"},
        {"kind": "referral", "to": "cardiology"},
    ],
)
def test_unknown_documents_are_refused(login, gp, consultation, data):
    response = login(gp).post(reverse("document_create", args=[consultation.public_id]), data)
    assert response.status_code == 400 and not Document.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"kind": "handout", "language": "<script>alert(1)</script>"},
            "Document options: language is not one offered.",
        ),
        ({"kind": "referral"}, "Document options: to is required."),
    ],
)
def test_bad_options_are_named_and_never_echoed(login, gp, consultation, data, message):
    response = login(gp).post(reverse("document_create", args=[consultation.public_id]), data)
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == message


def test_documents_are_served_only_to_the_practice(
    client, login, gp, outsider, admin_user, decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        print_(login(gp), decided)
    document = Document.objects.get()
    urls = [
        reverse("document_detail", args=[document.public_id]),
        reverse("document_file", args=[document.public_id]),
    ]
    client.logout()
    for url in urls + [reverse("document_create", args=[decided.public_id])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    other = login(outsider)
    for url in urls:
        assert other.get(url).status_code == 404
    assert print_(other, decided).status_code == 404
    other.logout()
    admin = login(admin_user)
    for url in urls:
        assert admin.get(url).status_code == 403


@pytest.mark.django_db(transaction=True)  # real commits: on_commit runs inside the request
def test_when_the_broker_is_down_the_gp_is_told_printing_is_delayed_and_it_prints_later(
    login, gp, decided
):
    from unittest import mock

    from kombu.exceptions import OperationalError

    from workup.documents import services

    client = login(gp)
    with mock.patch(
        "workup.documents.tasks.render_document.delay",
        side_effect=OperationalError("connection refused"),
    ):
        response = print_(client, decided)
    document = Document.objects.get()
    assert document.status == "queued"
    page = client.get(response.url).content.decode()
    assert "Printing is delayed" in page and "The consultation is saved" in page
    # the broker is back: the sweep queues it again, and it is made once
    assert services.documents_requeue_stale(older_than_seconds=0) == 1
    document.refresh_from_db()
    assert document.status == "ready" and Document.objects.count() == 1
    assert services.documents_requeue_stale(older_than_seconds=0) == 0
