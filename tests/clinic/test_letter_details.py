"""What the referral letters print beside the intake: how long the patient has had the
symptoms, and any earlier vein surgery. Asked on the intake page, saved with the consultation
(not in the engine's intake), printed on the letters, "not recorded" when left empty."""

import pytest
from django.urls import reverse

from tests.clinic.assertions import error_beside_field
from tests.documents.helpers import flat as pdf_words
from tests.documents.helpers import print_
from tests.factories import INTAKE_POST, accept, consultation_for
from workup.clinic.models import Consultation
from workup.documents import services as documents
from workup.documents.models import Document

pytestmark = pytest.mark.django_db

DETAILS = {"symptoms_for": "1_to_5_years", "venous_surgery": "Right leg vein ablation 2018"}


def flat(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_duration_and_vein_surgery_are_saved_and_shown_again_on_edit(browser, gp, patient):
    b = browser(gp)
    response = b.submit(
        reverse("consultation_create", args=[patient.public_id]), {**INTAKE_POST, **DETAILS}
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert (consultation.symptoms_for, consultation.venous_surgery) == (
        "1_to_5_years",
        "Right leg vein ablation 2018",
    )
    assert "symptoms_for" not in consultation.intake  # not the engine's: the contract has none
    html = flat(b.get(reverse("consultation_edit", args=[consultation.public_id])))
    assert '<option value="1_to_5_years" selected>1 to 5 years</option>' in html
    assert 'value="Right leg vein ablation 2018"' in html


def test_a_follow_up_keeps_the_vein_surgery_and_asks_the_duration_afresh(login, gp, patient):
    earlier = consultation_for(patient, gp)
    Consultation.objects.filter(pk=earlier.pk).update(**DETAILS)
    html = flat(login(gp).get(reverse("consultation_create", args=[patient.public_id])))
    assert 'value="Right leg vein ablation 2018"' in html
    assert '<option value="" selected>Not recorded</option>' in html


@pytest.mark.parametrize(
    "posted, field, message",
    [
        (
            {"venous_surgery": "ablation\x07 2018"},
            "venous_surgery",
            "Previous vein surgery or procedures:",
        ),
        ({"venous_surgery": "x" * 201}, "venous_surgery", "at most 200 characters"),
        ({"symptoms_for": "forever"}, "symptoms_for", "Select a valid choice"),
    ],
)
def test_odd_details_are_refused_by_name_keeping_what_was_typed(
    browser, gp, patient, posted, field, message
):
    response = browser(gp).submit(
        reverse("consultation_create", args=[patient.public_id]),
        {**INTAKE_POST, "episodes_per_week": "6", **posted},
    )
    assert response.status_code == 200 and not Consultation.objects.exists()
    assert message in error_beside_field(response, field)
    assert 'value="6"' in flat(response)  # the rest as typed


def test_the_vascular_letter_prints_them(browser, gp, patient):
    consultation = consultation_for(
        patient, gp, legs={"left": ["varicose_veins", "venous_oedema"], "right": []}
    )
    Consultation.objects.filter(pk=consultation.pk).update(**DETAILS)
    accept(consultation, gp, "referrals", "vascular")
    assert print_(browser(gp), consultation, kind="referral", to="vascular").status_code == 302
    letter = documents.document_render(document_id=Document.objects.get(kind="referral").pk)
    text = pdf_words(letter.file.read())
    assert "Duration of symptoms: 1 to 5 years." in text
    assert "Previous venous surgery: Right leg vein ablation 2018." in text
