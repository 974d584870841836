"""Printing from the review page once results are in (issue 11, item 5): the scan request for
an accepted scan, signed by the GP who accepted it; no lab request for a test already asked
for at an earlier visit.

Every post goes through `Browser` (CSRF enforced, the token from the review page), as the GP or
nurse clicks Print. Consultations, decisions and results are made by the clinic's services.
"""

import io
from datetime import date, timedelta

import pdfplumber
import pytest
from django.urls import reverse

from tests.documents.helpers import print_, review_url
from tests.factories import accept, consultation_for, record, visit_for
from workup.documents.models import Document
from workup.documents.services import document_html

pytestmark = pytest.mark.django_db

SCAN = "proximal_leg_vein_ultrasound"
SCAN_LABEL = "Proximal leg-vein ultrasound (within 4 hours)"
FIRST_VISIT = date.today() - timedelta(days=5)
TAKEN_ON = date.today() - timedelta(days=4)


def words(html: str) -> str:
    import re

    body = html[html.index("<body>") :]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.fixture
def positive_d_dimer(patient, gp, nurse):
    """Calf swelling with an unlikely Wells score: the GP accepts a D-dimer, the nurse records
    it positive, and the re-assessed workup asks for a scan within 4 hours."""
    visit = consultation_for(patient, nurse, day=FIRST_VISIT, findings=["calf_swelling_3cm"])
    accept(visit, gp, "investigations", "d_dimer")
    visit = record(visit, nurse, taken_on=TAKEN_ON, d_dimer="positive")
    assert SCAN in [i["code"] for i in visit.assessment["investigations"]]
    return visit


def test_no_scan_request_before_a_gp_accepts_the_scan(browser, nurse, positive_d_dimer):
    nurse_browser = browser(nurse)
    page = nurse_browser.get(review_url(positive_d_dimer)).content.decode()
    assert "Scan request" not in page
    response = print_(nurse_browser, positive_d_dimer, kind="scan_request", test=SCAN)
    assert response.status_code == 302 and response.url == review_url(positive_d_dimer)
    assert not Document.objects.exists()
    page = nurse_browser.get(review_url(positive_d_dimer)).content.decode()
    assert "printed only for a scan a GP has accepted" in page


def test_a_scan_never_recommended_is_refused(browser, gp, consultation):
    print_(browser(gp), consultation, kind="scan_request", test="venous_duplex_ultrasound")
    assert not Document.objects.exists()


def test_only_a_scan_may_be_asked_for(browser, gp, positive_d_dimer):
    accept(positive_d_dimer, gp, "investigations", SCAN)
    response = print_(browser(gp), positive_d_dimer, kind="scan_request", test="d_dimer")
    assert response.status_code == 400
    assert response.content.decode() == "Document options: test is not one offered."
    assert not Document.objects.exists()


def test_once_accepted_the_review_page_offers_the_scan_request(browser, gp, positive_d_dimer):
    accept(positive_d_dimer, gp, "investigations", SCAN)
    page = browser(gp).get(review_url(positive_d_dimer)).content.decode()
    assert f"Scan request: {SCAN_LABEL}" in page
    assert f'name="test" value="{SCAN}"' in page
    assert 'name="kind" value="scan_request"' in page


def test_the_nurse_prints_it_signed_by_the_gp_who_accepted_the_scan(
    browser, gp, nurse, positive_d_dimer
):
    accept(positive_d_dimer, gp, "investigations", SCAN)
    response = print_(browser(nurse), positive_d_dimer, kind="scan_request", test=SCAN)
    document = Document.objects.get()
    assert response.url == reverse("document_detail", args=[document.public_id])
    assert document.options == {"test": SCAN} and document.title == f"Scan request: {SCAN_LABEL}"
    text = words(document_html(document))
    assert gp.display_name in text and nurse.display_name not in text
    taken = f"{TAKEN_ON.day} {TAKEN_ON:%b %Y}"
    assert f"D-dimer Positive {taken}" in text
    assert "Two-level Wells score 1: DVT unlikely." in text
    assert "Indication: Positive D-dimer. Found at the consultation: D-dimer positive." in text


@pytest.mark.slow
def test_a_scan_request_renders_to_a_pdf(
    browser, gp, positive_d_dimer, django_capture_on_commit_callbacks
):
    accept(positive_d_dimer, gp, "investigations", SCAN)
    gp_browser = browser(gp)
    with django_capture_on_commit_callbacks(execute=True):
        response = print_(gp_browser, positive_d_dimer, kind="scan_request", test=SCAN)
    document = Document.objects.get()
    assert document.status == Document.Status.READY and document.pages == 1
    pdf = gp_browser.get(reverse("document_file", args=[document.public_id]))
    assert pdf["Content-Disposition"] == 'inline; filename="scan_request.pdf"'
    data = b"".join(pdf.streaming_content)
    with pdfplumber.open(io.BytesIO(data)) as read:
        text = " ".join(" ".join(page.extract_text() for page in read.pages).split())
        title = read.metadata.get("Title")
    assert title == f"Scan request: {SCAN_LABEL}"
    assert "Scan request: Proximal leg-vein ultrasound — WITHIN 4 HOURS" in text
    assert f"D-dimer Positive {TAKEN_ON.day} {TAKEN_ON:%b %Y}" in text
    assert "Two-level Wells score 1: DVT unlikely." in text
    assert gp.display_name in text
    assert response.url == reverse("document_detail", args=[document.public_id])


def test_a_scan_declined_after_asking_is_not_made(browser, gp, positive_d_dimer):
    from workup.clinic.services import decision_record
    from workup.documents.services import document_render

    accept(positive_d_dimer, gp, "investigations", SCAN)
    print_(browser(gp), positive_d_dimer, kind="scan_request", test=SCAN)  # queued
    decision_record(
        consultation=positive_d_dimer,
        user=gp,
        kind="investigations",
        code=SCAN,
        accepted=False,
        reason="Scanned in the emergency department",
    )
    document = document_render(document_id=Document.objects.get().pk)
    assert document.status == Document.Status.FAILED and not document.file
    assert "scan a GP has accepted" in document.error


# -- No lab request for a test already asked for -------------------------------------------------


@pytest.fixture
def asked_twice(patient, gp):
    """A TSH accepted at a second visit before the GP accepted it at the first: the second visit
    then lists it as requested at the first, so it is not requested again."""
    why = dict(findings=["thyroid_symptoms"], medications=["Furosemide 40mg"])  # TSH, U&E
    first = consultation_for(patient, gp, day=FIRST_VISIT, **why)
    second = visit_for(patient, gp, **why)
    accept(second, gp, "investigations", "tsh")
    accept(first, gp, "investigations", "tsh")  # refreshes the second visit
    second.refresh_from_db()
    tsh = next(i for i in second.assessment["investigations"] if i["code"] == "tsh")
    assert tsh["already_requested"] == FIRST_VISIT.isoformat()
    assert second.decisions.get(code="tsh").accepted
    return second


def test_no_lab_request_when_the_only_blood_test_is_already_requested(browser, gp, asked_twice):
    gp_browser = browser(gp)
    page = gp_browser.get(review_url(asked_twice)).content.decode()
    assert "Lab request" not in page
    print_(gp_browser, asked_twice, kind="lab_request")
    assert not Document.objects.exists()
    assert "printed only once a GP has accepted a blood or urine test" in (
        gp_browser.get(review_url(asked_twice)).content.decode()
    )


def test_a_lab_request_leaves_out_a_test_already_requested(browser, gp, patient, asked_twice):
    accept(asked_twice, gp, "investigations", "u_and_e")
    gp_browser = browser(gp)
    assert "Lab request" in gp_browser.get(review_url(asked_twice)).content.decode()
    print_(gp_browser, asked_twice, kind="lab_request")
    text = words(document_html(Document.objects.get()))
    assert "Urea and electrolytes" in text
    assert "Thyroid-stimulating hormone" not in text


# -- The handout and the letter of a follow-up visit ---------------------------------------------


def test_a_follow_up_handout_lists_the_awaited_test_and_the_results(browser, gp, nurse, patient):
    first = consultation_for(
        patient, gp, day=FIRST_VISIT, medications=["Furosemide 40mg"], findings=["thyroid_symptoms"]
    )
    accept(first, gp, "investigations", "u_and_e", "tsh")
    record(first, nurse, taken_on=TAKEN_ON, potassium=3.1)
    follow_up = visit_for(patient, gp, medications=["Furosemide 40mg"])
    assert "review_diuretic" in [a["code"] for a in follow_up.assessment["actions"]]
    accept(follow_up, gp, "actions", "review_diuretic")
    print_(browser(gp), follow_up, kind="handout", language="en")
    text = words(document_html(Document.objects.get()))
    assert "Your potassium (a salt in your blood) was a little low." in text
    assert "Your doctor will look at your water tablet." in text
    assert (
        "A blood test to see how your thyroid gland works. "
        "Your doctor asked for this at an earlier visit." in text
    )
    assert "You do not need tests" not in text


def test_a_follow_up_vascular_letter_gives_the_abpi_with_its_date(browser, gp, nurse, patient):
    first = consultation_for(
        patient, gp, day=FIRST_VISIT, left=["varicose_veins", "active_venous_ulcer"]
    )
    accept(first, gp, "investigations", "ankle_brachial_index")
    first = record(first, nurse, taken_on=TAKEN_ON, ankle_brachial_index=0.7)
    follow_up = visit_for(patient, gp, left=["varicose_veins", "active_venous_ulcer"])
    accept(follow_up, gp, "referrals", "vascular")
    print_(browser(nurse), follow_up, kind="referral", to="vascular")
    text = words(document_html(Document.objects.get()))
    assert f"ABPI 0.7 (low) {TAKEN_ON.day} {TAKEN_ON:%b %Y}" in text
    assert gp.display_name in text


def test_no_scan_request_for_a_scan_the_referral_includes(login, gp, patient):
    """The venous duplex is done by the vascular service it is referred to: its letter asks
    for it, so the Print panel offers no separate scan request."""
    c = consultation_for(patient, gp, left=["varicose_veins", "venous_symptoms"])
    accept(c, gp, "referrals", "vascular")
    assert c.decisions.filter(code="venous_duplex_ultrasound", accepted=True).exists()
    html = login(gp).get(review_url(c)).content.decode()
    assert "Referral letter: vascular" in html
    assert "Scan request" not in html
