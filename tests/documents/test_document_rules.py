"""Letters and lab requests only for what a GP accepted, printed by the practice's clinicians.

Every post here goes through `Browser`: CSRF enforced, the token taken from the review page.
"""

import pytest
from django.urls import reverse

from tests.documents.helpers import print_, review_url
from tests.factories import UserFactory, consultation_for
from workup.accounts.models import User
from workup.documents.models import Document

pytestmark = pytest.mark.django_db

NEURO = dict(findings=["muscle_wasting", "fasciculations"])  # CK and a neurology referral


def decide(browser, consultation, kind, code, action="accept", reason=""):
    response = browser.submit(
        review_url(consultation),
        {"kind": kind, "code": code, "action": action, "reason": reason},
        action=reverse("decision_record", args=[consultation.public_id]),
    )
    assert response.status_code == 302


@pytest.fixture
def neuro(patient, nurse):
    """A consultation recorded by the nurse that recommends a neurology referral and a CK."""
    return consultation_for(patient, nurse, **NEURO)


def test_a_neurology_letter_needs_the_referral_accepted(browser, gp, nurse, neuro):
    nurse_browser = browser(nurse)
    response = print_(nurse_browser, neuro, kind="referral", to="neurology")
    assert response.status_code == 302 and response.url == review_url(neuro)
    assert not Document.objects.exists()
    page = nurse_browser.get(review_url(neuro)).content.decode()
    assert "printed only for a referral a GP has accepted" in page
    assert "Referral letter: neurology" not in page  # no button offered either


def test_a_letter_for_a_referral_never_recommended_is_refused(browser, gp, consultation):
    gp_browser = browser(gp)
    print_(gp_browser, consultation, kind="referral", to="neurology")
    print_(gp_browser, consultation, kind="referral", to="vascular")
    assert not Document.objects.exists()


def test_a_declined_referral_prints_no_letter(browser, gp, neuro):
    gp_browser = browser(gp)
    decide(gp_browser, neuro, "referrals", "neurology", "decline", reason="Seen by neurology")
    print_(gp_browser, neuro, kind="referral", to="neurology")
    assert not Document.objects.exists()


def test_once_the_gp_accepts_the_nurse_prints_the_letter_signed_by_that_gp(
    browser, gp, nurse, neuro, django_capture_on_commit_callbacks
):
    decide(browser(gp), neuro, "referrals", "neurology")
    nurse_browser = browser(nurse)
    with django_capture_on_commit_callbacks(execute=True):
        response = print_(nurse_browser, neuro, kind="referral", to="neurology")
    document = Document.objects.get()
    assert response.url == reverse("document_detail", args=[document.public_id])
    assert document.status == Document.Status.READY
    from workup.documents.services import document_html

    html = document_html(document)
    assert gp.display_name in html and nurse.display_name not in html


def test_a_lab_request_needs_an_accepted_blood_test(
    browser, gp, neuro, django_capture_on_commit_callbacks
):
    gp_browser = browser(gp)
    print_(gp_browser, neuro, kind="lab_request")
    assert not Document.objects.exists()
    assert (
        "printed only once a GP has accepted a blood or urine test"
        in gp_browser.get(review_url(neuro)).content.decode()
    )
    decide(gp_browser, neuro, "investigations", "creatine_kinase")
    with django_capture_on_commit_callbacks(execute=True):
        print_(gp_browser, neuro, kind="lab_request")
    assert Document.objects.get().kind == "lab_request"


def test_a_letter_whose_referral_was_declined_after_asking_is_not_made(browser, gp, neuro):
    gp_browser = browser(gp)
    decide(gp_browser, neuro, "referrals", "neurology")
    print_(gp_browser, neuro, kind="referral", to="neurology")  # queued, not yet rendered
    decide(gp_browser, neuro, "referrals", "neurology", "decline", reason="Patient declined")
    from workup.documents.services import document_render

    document = document_render(document_id=Document.objects.get().pk)
    assert document.status == Document.Status.FAILED and not document.file
    assert "referral a GP has accepted" in document.error


def test_a_practice_admin_prints_nothing(neuro, gp, north):
    from workup.documents.services import DocumentRefused, document_request

    admin = UserFactory(practice=north, role=User.Role.ADMIN)
    with pytest.raises(DocumentRefused):
        document_request(
            consultation=neuro,
            user=admin,
            kind="handout",
            options={"language": "en", "large_print": False},
        )
    assert not Document.objects.exists()
