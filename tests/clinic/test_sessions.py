"""Several clinicians at once, each in their own session, as browsers do: CSRF enforced, the
token taken from the page they are on. (The intake page once cached its form with the first
session's CSRF token in it, so every later session's Save ended on "403 CSRF failed".)"""

import pytest
from django.urls import reverse

from tests.browsing import page_tokens
from tests.factories import PASSWORD
from workup.clinic.models import Consultation

pytestmark = pytest.mark.django_db

GOOD = {
    "episodes_per_week": "4",
    "longest_minutes": "3",
    "when": ["night"],
    "sites": ["calf"],
    "side": "left",
    "relieved_by_stretching": "yes",
    "pregnancy": "none",
    "examination": ["calf_swelling_3cm", "deep_vein_tenderness"],
    "medications": "Lasix 40mg",
    "no_known_allergies": "on",
    "allergies_confirmed": "on",
}


def new_consultation(patient):
    return reverse("consultation_create", args=[patient.public_id])


def save_intake(browser, patient, **changes):
    response = browser.submit(new_consultation(patient), {**GOOD, **changes})
    assert response.status_code == 302, response.status_code
    assert response.url.startswith("/consultations/")
    return response


def test_a_gp_a_nurse_and_the_gp_again_each_save_an_intake(browser, gp, nurse, patient):
    first = browser(gp)
    first.get(new_consultation(patient))  # renders (and caches) the blank form first
    second = browser(nurse)
    save_intake(second, patient)
    save_intake(first, patient, episodes_per_week="5")
    first.logout()
    assert first.login(gp.username, PASSWORD).status_code == 302  # a new session
    save_intake(first, patient, episodes_per_week="6")
    assert sorted(c.intake["cramps"]["episodes_per_week"] for c in Consultation.objects.all()) == [
        4,
        5,
        6,
    ]
    assert {c.clinician for c in Consultation.objects.all()} == {gp, nurse}


def test_the_intake_page_carries_one_csrf_token_whoever_opened_it_before(
    browser, gp, nurse, patient
):
    browser(gp).get(new_consultation(patient))
    html = browser(nurse).get(new_consultation(patient)).content.decode()
    form = html[
        html.index('<form method="post" id="intake-form"') : html.index(
            "</form>", html.index('id="intake-form"')
        )
    ]
    assert len(page_tokens(form)) == 1


def test_the_live_panel_answers_every_session(browser, gp, nurse, patient):
    browser(gp).get(new_consultation(patient))
    for who in (nurse, gp):
        b = browser(who)
        response = b.htmx_post(
            new_consultation(patient),
            reverse("live_assessment", args=[patient.public_id]),
            GOOD,
            form_id="intake-form",
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "deep vein thrombosis" in html.lower()
        assert "Record the cramps" not in html


def test_a_double_click_on_save_makes_one_consultation(browser, gp, patient):
    b = browser(gp)
    page = b.get(new_consultation(patient)).content.decode()
    token = b.token(page)
    submission = page.split('name="submission" value="')[1].split('"')[0]
    data = {**GOOD, "csrfmiddlewaretoken": token, "submission": submission}
    first = b.client.post(new_consultation(patient), data)
    second = b.client.post(new_consultation(patient), data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Consultation.objects.count() == 1
    # a fresh opening of the page is a new consultation
    save_intake(b, patient)
    assert Consultation.objects.count() == 2


def test_a_stale_token_is_refused_and_says_so(browser, gp, patient):
    b = browser(gp)
    response = b.client.post(new_consultation(patient), {**GOOD, "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert not Consultation.objects.exists()
