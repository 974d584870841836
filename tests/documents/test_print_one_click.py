"""Print in one click: the Print panel posts with htmx and the status answers until the PDF is
ready (workup/static/print.js then opens it); the list of documents says when each was printed
and which copy is current; without script the form posts and the document page does the rest.
The browser side (the tab opened in the click, sent to the PDF) is in tests/e2e (printing.py).
"""

import re
from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.factories import accept
from workup.audit.models import AccessEvent
from workup.clinic.services import decision_record
from workup.documents import services, views
from workup.documents.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # PDFs are drawn

HANDOUT = {"kind": "handout", "language": "en"}


def create_url(consultation):
    return reverse("document_create", args=[consultation.public_id])


def review_url(consultation):
    return reverse("consultation_review", args=[consultation.public_id])


def detail_url(document):
    return reverse("document_detail", args=[document.public_id])


def at(hour, minute, days_ago=0):
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def print_(django_capture_on_commit_callbacks):
    """print_(client, consultation, at=(14, 32), **data): Print clicked without script, the
    document made at once (the Celery task runs in-process), and its time set."""

    def _print(client, consultation, at_time=None, **data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(create_url(consultation), {**HANDOUT, **data})
        assert response.status_code == 302, response.content.decode()[:300]
        document = Document.objects.get(public_id=response.url.split("/")[-2])
        if at_time is not None:
            Document.objects.filter(pk=document.pk).update(updated_at=at(*at_time))
            document.refresh_from_db()
        return document

    return _print


def document_lines(html):
    """The lines of the list of documents, as text."""
    found = re.search(r'<div id="document-list">(.*?)</div>', html, re.S)
    assert found, "no list of documents"
    items = re.findall(r"<li[^>]*>(.*?)</li>", found[1], re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def visible(line):
    """A list line as it reads on screen (without the words only a screen reader hears)."""
    return line.split(" : ")[0]


# -- the list of documents: time, current, superseded ------------------------------------------
def test_a_reprint_after_a_decision_changed_marks_the_older_copy_superseded(
    login, gp, consultation, print_
):
    client = login(gp)
    first = print_(client, consultation, at_time=(14, 32))
    accept(consultation, gp, "differentials", "deep_vein_thrombosis")  # the inputs change
    second = print_(client, consultation, at_time=(14, 40))
    assert first != second

    panel = document_lines(client.get(review_url(consultation)).content.decode())
    assert [visible(line) for line in panel] == [
        "Patient handout (English) · printed 14:40 · current · PDF",
        "Patient handout (English) · printed 14:32 · superseded by the 14:40 copy · PDF",
    ]

    page = client.get(detail_url(first)).content.decode()
    assert "This copy, printed 14:32, is superseded: the" in page
    assert f'<a href="{detail_url(second)}">14:40 copy</a> is current' in page
    assert document_lines(page) == panel  # the document page lists them the same way
    assert "is superseded" not in client.get(detail_url(second)).content.decode()


def test_printing_the_older_inputs_again_makes_that_copy_current_again(
    login, gp, consultation, print_
):
    client = login(gp)
    first = print_(client, consultation, at_time=(9, 5, 1))
    accept(consultation, gp, "investigations", "u_and_e")
    print_(client, consultation, at_time=(9, 10, 1))
    decision_record(
        consultation=consultation,
        user=gp,
        kind="investigations",
        code="u_and_e",
        accepted=False,
        reason="Done last week at the renal clinic",
    )
    again = print_(client, consultation)  # the same inputs as the first: the same PDF
    assert again == first and Document.objects.count() == 2
    now = timezone.localtime(again.updated_at).strftime("%H:%M")
    yesterday = at(9, 10, 1)
    page = client.get(detail_url(first)).content.decode()
    assert [visible(line) for line in document_lines(page)] == [
        f"Patient handout (English) · printed {now} · current · PDF",
        f"Patient handout (English) · printed {yesterday.day} {yesterday:%b %Y}, 09:10"
        f" · superseded by the {now} copy · PDF",
    ]


def test_copies_with_other_options_are_each_current(login, gp, consultation, print_):
    client = login(gp)
    print_(client, consultation, at_time=(10, 0))
    print_(client, consultation, at_time=(10, 5), language="es", large_print="on")
    lines = document_lines(client.get(review_url(consultation)).content.decode())
    assert len(lines) == 2 and all("· current ·" in line for line in lines)
    assert "Patient handout (Español, large print) · printed 10:05" in lines[0]


def test_a_document_of_another_day_shows_its_date(login, gp, consultation, print_):
    client = login(gp)
    document = print_(client, consultation, at_time=(16, 45, 1))
    [line] = document_lines(client.get(detail_url(document)).content.decode())
    yesterday = at(16, 45, 1)
    assert f"printed {yesterday.day} {yesterday:%b %Y}, 16:45 · current" in line


def test_a_document_being_made_or_failed_says_so(login, gp, consultation, print_):
    client = login(gp)
    failed = print_(client, consultation, at_time=(11, 0, 1))
    Document.objects.filter(pk=failed.pk).update(status="failed", error="Try again.")
    with mock.patch.object(services, "_send"):  # never reaches a worker
        client.post(create_url(consultation), {**HANDOUT, "language": "es"})
    lines = document_lines(client.get(review_url(consultation)).content.decode())
    assert lines[0].startswith("Patient handout (Español) · asked for ")
    assert lines[0].endswith("· current · being made")
    assert lines[1].startswith("Patient handout (English) · asked for ")
    assert lines[1].endswith(", 11:00 · current · failed")


def test_documents_listed_marks_only_the_newest_of_each_kind_and_options(gp, consultation):
    def document(kind, options, hour):
        return Document(
            consultation=consultation, kind=kind, options=options, updated_at=at(hour, 0)
        )

    a = document("referral", {"to": "vascular"}, 9)
    b = document("referral", {"to": "vascular"}, 11)
    c = document("referral", {"to": "neurology"}, 10)
    d = document("lab_request", {}, 8)
    listed = services.documents_listed(documents=[a, b, c, d])
    assert [(i.document, i.superseded_by) for i in listed] == [
        (b, None),
        (c, None),
        (a, b),
        (d, None),
    ]


# -- Print in one click: htmx posts, the status answers ------------------------------------------
def test_the_print_panel_posts_with_htmx_and_still_works_without_script(login, gp, consultation):
    html = login(gp).get(review_url(consultation)).content.decode()
    form = re.search(r"<form [^>]*data-print[^>]*>", html)[0]
    # without script: an ordinary form post to the same address
    assert 'method="post"' in form and f'action="{create_url(consultation)}"' in form
    assert f'hx-post="{create_url(consultation)}"' in form and 'hx-target="#print-job"' in form
    assert '<div id="print-job"></div>' in html and 'aria-live="polite"' in html
    assert '<script src="/static/print.js" defer></script>' in html


def test_print_with_htmx_answers_the_status_until_the_pdf_is_ready(
    browser, gp, consultation, django_capture_on_commit_callbacks
):
    client = browser(gp)
    with mock.patch.object(services, "_send"):  # the worker has not taken it yet
        posted = client.htmx_post(review_url(consultation), create_url(consultation), HANDOUT)
    document = Document.objects.get()
    assert posted.status_code == 302 and posted.url == detail_url(document)
    assert AccessEvent.objects.filter(action="request_document").count() == 1

    status = client.get(posted.url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="load delay:150ms"' in status and "Queued" in status
    assert "data-pdf-url" not in status
    # the status shows no patient details, so its refreshes are not logged
    assert "Margaret Ellis" not in status and "Patient handout" not in status
    assert not AccessEvent.objects.filter(action="view_document").exists()

    services.document_render(document_id=document.pk)
    status = client.get(posted.url, HTTP_HX_REQUEST="true").content.decode()
    pdf_url = reverse("document_file", args=[document.public_id])
    assert f'data-pdf-url="{pdf_url}"' in status and "hx-trigger" not in status
    assert "Open the PDF to print" in status and "1 page" in status
    assert client.get(pdf_url)["Content-Type"] == "application/pdf"


def test_the_status_asks_again_less_often_as_the_document_waits(gp, consultation):
    document = Document.objects.create(
        consultation=consultation, kind="handout", fingerprint="f" * 64, requested_by=gp
    )

    def waited(seconds):
        Document.objects.filter(pk=document.pk).update(
            updated_at=timezone.now() - timedelta(seconds=seconds)
        )
        document.refresh_from_db()
        return views._status_context(document)

    assert waited(0)["poll_ms"] == 150 and not waited(0)["delayed"]
    assert waited(2)["poll_ms"] == 300
    assert waited(12)["poll_ms"] == 1000 and waited(12)["delayed"]
    assert waited(60)["poll_ms"] == 2000
    Document.objects.filter(pk=document.pk).update(status="rendering")
    assert waited(0)["poll_ms"] == views.RENDERING_MS  # being made: ready in a moment
    Document.objects.filter(pk=document.pk).update(status="ready")
    document.refresh_from_db()
    assert views._status_context(document)["poll_ms"] is None


def test_a_document_queued_behind_others_is_asked_for_when_its_turn_may_have_come(gp, consultation):
    def queued(n, status="queued"):
        return Document.objects.create(
            consultation=consultation,
            kind="handout",
            fingerprint=f"{n:064d}",
            requested_by=gp,
            status=status,
        )

    ahead = [queued(n) for n in range(12)] + [queued(12, status="ready")]
    last = queued(13)
    assert views._status_context(last)["poll_ms"] == 12 * views.AHEAD_MS  # not the ready one
    assert views._status_context(ahead[0])["poll_ms"] == 150  # first in the queue
    for n in range(14, 40):
        queued(n)
    assert views._status_context(queued(40))["poll_ms"] == views.AHEAD_MS_MAX


def test_a_queued_document_asks_again_at_the_pace_documents_are_being_made(gp, consultation):
    now = timezone.now()

    def document(n, status, made_ms_ago=None):
        made = Document.objects.create(
            consultation=consultation,
            kind="handout",
            fingerprint=f"{n:064d}",
            requested_by=gp,
            status=status,
        )
        if made_ms_ago is not None:
            Document.objects.filter(pk=made.pk).update(
                updated_at=now - timedelta(milliseconds=made_ms_ago)
            )
        return made

    # five made in the last half second, one every 100 ms; then six waiting, then this one
    for n, ago in enumerate((500, 400, 300, 200, 100)):
        document(n, "ready", made_ms_ago=ago)
    for n in range(5, 11):
        document(n, "queued")
    mine = document(11, "queued")
    assert views._status_context(mine)["poll_ms"] == 700  # six ahead and its own, 100 ms each
    # made long ago: no pace, so the count of those ahead decides, as before
    Document.objects.filter(status="ready").update(updated_at=timezone.now() - timedelta(minutes=5))
    assert views._status_context(mine)["poll_ms"] == 6 * views.AHEAD_MS


def test_a_refused_print_is_answered_in_the_panel_and_makes_nothing(browser, gp, consultation):
    client = browser(gp)
    letter = {"kind": "referral", "to": "vascular"}  # no vascular referral accepted
    response = client.htmx_post(review_url(consultation), create_url(consultation), letter)
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html and "data-print-failed" in html
    assert "accepted" in html
    assert not Document.objects.exists()
    assert not AccessEvent.objects.filter(action="request_document").exists()


def test_a_delayed_print_with_htmx_says_so_in_the_status_not_on_a_later_page(
    browser, gp, consultation
):
    client = browser(gp)
    with mock.patch.object(services, "_send", side_effect=services.BrokerUnavailable):
        posted = client.htmx_post(review_url(consultation), create_url(consultation), HANDOUT)
    assert posted.status_code == 302
    assert not list(get_messages(posted.wsgi_request))
    document = Document.objects.get()
    Document.objects.filter(pk=document.pk).update(updated_at=timezone.now() - timedelta(minutes=1))
    status = client.get(posted.url, HTTP_HX_REQUEST="true").content.decode()
    assert "Printing is delayed" in status and 'hx-trigger="load delay:2000ms"' in status


# -- without script --------------------------------------------------------------------------------
def test_without_script_the_document_page_reloads_itself_then_offers_the_pdf(
    login, gp, consultation, django_capture_on_commit_callbacks
):
    client = login(gp)
    with mock.patch.object(services, "_send"):
        posted = client.post(create_url(consultation), HANDOUT)
    page = client.get(posted.url).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    document = Document.objects.get()
    services.document_render(document_id=document.pk)
    page = client.get(posted.url).content.decode()
    assert "http-equiv" not in page and "Open the PDF to print" in page
    assert f'href="{reverse("document_file", args=[document.public_id])}"' in page


# -- CSRF and the practice ------------------------------------------------------------------------
def test_print_without_the_csrf_token_is_refused(browser, gp, consultation):
    client = browser(gp)
    client.get(review_url(consultation))
    assert client.client.post(create_url(consultation), HANDOUT).status_code == 403
    htmx = client.client.post(create_url(consultation), HANDOUT, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 403
    assert not Document.objects.exists()


def test_another_practice_gets_404_for_print_status_page_and_pdf(
    login, gp, outsider, consultation, print_
):
    document = print_(login(gp), consultation)
    client = login(outsider)
    assert client.post(create_url(consultation), HANDOUT).status_code == 404
    assert client.get(detail_url(document)).status_code == 404
    assert client.get(detail_url(document), HTTP_HX_REQUEST="true").status_code == 404
    pdf_url = reverse("document_file", args=[document.public_id])
    assert client.get(pdf_url).status_code == 404
    assert Document.objects.count() == 1
