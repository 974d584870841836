"""Creating a patient record."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.clinic.assertions import error_beside_field
from workup.clinic.forms import nhs_number_is_valid
from workup.clinic.models import Patient

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "  Ada   Lovelace ",
    "date_of_birth": "1950-12-10",
    "sex": "female",
    "nhs_number": "943 476 5919",
    "mrn": "",
    "language": "es",
}


def test_a_nurse_creates_a_patient_in_her_practice_and_goes_to_the_intake(login, nurse):
    response = login(nurse).post(reverse("patient_create"), GOOD)
    patient = Patient.objects.get()
    assert response.url == reverse("consultation_create", args=[patient.public_id])
    assert (patient.practice, patient.name, patient.nhs_number, patient.language) == (
        nurse.practice,
        "Ada Lovelace",
        "9434765919",
        "es",
    )
    assert patient.history.count() == 1


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"name": "   "}, "name", "This field is required."),
        ({"date_of_birth": ""}, "date_of_birth", "This field is required."),
        ({"date_of_birth": "31/02/1950"}, "date_of_birth", "Enter a valid date."),
        (
            {"date_of_birth": (date.today() + timedelta(days=1)).isoformat()},
            "date_of_birth",
            "cannot be in the future",
        ),
        ({"date_of_birth": "1890-01-01"}, "date_of_birth", "within the last 120 years"),
        ({"sex": ""}, "sex", "This field is required."),
        ({"nhs_number": "943 476 5918"}, "nhs_number", "not a valid NHS number"),
        ({"nhs_number": "12345"}, "nhs_number", "not a valid NHS number"),
        ({"language": "fr"}, "language", "Select a valid choice."),
    ],
)
def test_bad_patient_details_are_named_and_nothing_typed_is_lost(
    login, nurse, change, field, message
):
    response = login(nurse).post(reverse("patient_create"), {**GOOD, **change})
    assert response.status_code == 200 and not Patient.objects.exists()
    assert message in error_beside_field(response, field)
    html = " ".join(response.content.decode().split())
    if field != "name":
        assert 'value="  Ada   Lovelace "' in response.content.decode()
    if field != "nhs_number":
        assert 'value="943 476 5919"' in html


@pytest.mark.parametrize(
    "number, valid",
    [
        ("9434765919", True),
        ("9434765918", False),
        ("4010232137", True),
        ("0000000000", True),
        ("1234567890", False),
    ],
)
def test_the_nhs_number_check_digit(number, valid):
    assert nhs_number_is_valid(number) is valid
