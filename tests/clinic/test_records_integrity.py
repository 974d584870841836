"""What the screens let through: one patient per NHS number in a practice, decline reasons of
a sensible length. Posts go through Browser (CSRF enforced, token from the page)."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from tests.clinic.assertions import error_beside_field
from tests.factories import PatientFactory
from workup.clinic.models import Decision, Patient

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Joan Carter",
    "date_of_birth": "1950-05-01",
    "sex": "female",
    "nhs_number": "943 476 5919",
    "mrn": "",
    "language": "en",
}


def test_a_second_patient_with_the_same_nhs_number_is_refused_beside_the_field(browser, gp, north):
    PatientFactory(practice=north, name="Joan Carter", nhs_number="9434765919")
    response = browser(gp).submit(reverse("patient_create"), NEW)
    assert response.status_code == 200
    assert "already registered in this practice" in error_beside_field(response, "nhs_number")
    assert 'value="Joan Carter"' in response.content.decode()  # nothing typed is lost
    assert Patient.objects.count() == 1


def test_the_same_nhs_number_in_another_practice_is_not_this_practices_business(browser, gp, south):
    PatientFactory(practice=south, nhs_number="9434765919")
    assert browser(gp).submit(reverse("patient_create"), NEW).status_code == 302
    assert Patient.objects.count() == 2


def test_the_database_refuses_a_duplicate_nhs_number_whatever_the_path(north):
    PatientFactory(practice=north, nhs_number="9434765919")
    with pytest.raises(IntegrityError):
        PatientFactory(practice=north, nhs_number="9434765919")


def test_patients_without_an_nhs_number_are_not_duplicates(north):
    PatientFactory(practice=north, nhs_number="")
    PatientFactory(practice=north, nhs_number="")
    assert Patient.objects.count() == 2


def test_a_very_long_decline_reason_is_refused_and_nothing_is_stored(browser, gp, consultation):
    review = reverse("consultation_review", args=[consultation.public_id])
    b = browser(gp)
    response = b.submit(
        review,
        {
            "kind": "investigations",
            "code": "u_and_e",
            "action": "decline",
            "reason": "x" * 2_000_000,
        },
        action=reverse("decision_record", args=[consultation.public_id]),
    )
    assert response.status_code == 302
    assert not Decision.objects.exists()
    assert "at most 1,000 characters" in b.get(review).content.decode()


def test_a_reason_of_a_thousand_characters_is_kept(browser, gp, consultation):
    review = reverse("consultation_review", args=[consultation.public_id])
    browser(gp).submit(
        review,
        {"kind": "investigations", "code": "u_and_e", "action": "decline", "reason": "r" * 1000},
        action=reverse("decision_record", args=[consultation.public_id]),
    )
    assert Decision.objects.get().reason == "r" * 1000
