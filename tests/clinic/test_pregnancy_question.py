"""Pregnancy is asked only where it can apply: never for a man, and not for a woman from the
age the knowledge base gives (natural loss of fertility can be assumed from 55: FSRH), where
the intake records "none" and still offers "Record a pregnancy"."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import INTAKE_POST, PatientFactory, consultation_for
from workup.clinic.models import Consultation
from workup.knowledge.loading import knowledge_base

pytestmark = pytest.mark.django_db

NOT_ASKED = "Pregnancy: not asked from age 55; recorded as not pregnant."
INTAKE = {k: v for k, v in INTAKE_POST.items() if k != "pregnancy"}


def aged(north, years, sex="female"):
    """A patient who is `years` old today (born on 1 January)."""
    return PatientFactory(
        practice=north, sex=sex, date_of_birth=date(date.today().year - years, 1, 1)
    )


def flat(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_age_is_the_knowledge_bases_with_its_source():
    kb = knowledge_base()
    adults = kb.scores["adults"]
    assert adults["pregnancy_not_asked_from_age"] == 55
    assert "fsrh_contraception_over_40" in adults["sources"]
    assert kb.sources["fsrh_contraception_over_40"]["publisher"].startswith("Faculty of Sexual")


def test_a_woman_of_54_is_asked_and_must_answer(login, gp, north):
    patient = aged(north, 54)
    page = reverse("consultation_create", args=[patient.public_id])
    client = login(gp)
    html = flat(client.get(page))
    assert '<select name="pregnancy"' in html and NOT_ASKED not in html
    response = client.post(page, INTAKE)
    assert response.status_code == 200 and not Consultation.objects.exists()
    assert 'id="id_pregnancy_error"' in flat(response)


def test_a_woman_of_55_is_not_asked_and_the_intake_records_none(login, gp, north):
    patient = aged(north, 55)
    page = reverse("consultation_create", args=[patient.public_id])
    client = login(gp)
    html = flat(client.get(page))
    assert NOT_ASKED in html
    assert '<details><summary class="small">Record a pregnancy</summary>' in html
    response = client.post(page, INTAKE)
    assert response.status_code == 302
    assert Consultation.objects.get().intake["pregnancy"] == "none"


def test_a_pregnancy_can_still_be_recorded_over_the_age_and_opens_on_edit(login, gp, north):
    patient = aged(north, 61)
    client = login(gp)
    response = client.post(
        reverse("consultation_create", args=[patient.public_id]),
        {**INTAKE, "pregnancy": "postpartum"},
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.intake["pregnancy"] == "postpartum"  # unusual, allowed (REFERENCE 3a)
    html = flat(client.get(reverse("consultation_edit", args=[consultation.public_id])))
    assert "<details open><summary" in html
    assert '<option value="postpartum" selected>' in html


def test_an_older_womans_history_no_longer_says_not_pregnant_was_asked(login, gp, north):
    """The live panel and the save agree: over the age, "none" without a question."""
    patient = aged(north, 68)
    response = login(gp).post(reverse("live_assessment", args=[patient.public_id]), INTAKE)
    assert "Complete" not in flat(response) and "CEAP left leg" in flat(response)


def test_an_edit_of_an_old_visit_asks_as_of_that_visits_date(login, gp, north):
    """A woman of 55 today was 54 at a visit a year ago: editing that visit asks."""
    patient = aged(north, 55)
    visit = consultation_for(patient, gp, day=date(date.today().year - 1, 6, 1))
    html = flat(login(gp).get(reverse("consultation_edit", args=[visit.public_id])))
    assert '<select name="pregnancy"' in html and NOT_ASKED not in html


def test_a_man_is_never_asked(login, gp, north):
    patient = aged(north, 40, sex="male")
    html = flat(login(gp).get(reverse("consultation_create", args=[patient.public_id])))
    assert (
        'type="hidden" name="pregnancy" value="none"' in html and "Record a pregnancy" not in html
    )
