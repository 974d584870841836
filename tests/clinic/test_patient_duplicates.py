"""A likely duplicate is said before it is made: a new patient with the name (ignoring case
and spacing) and date of birth of one already in the practice is saved only once the user
ticks "This is a different patient: save anyway". A browser's CSRF rules apply throughout."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import PatientFactory
from workup.clinic.models import Patient

pytestmark = pytest.mark.django_db

TYPED = {
    "name": "  mary   O'BRIEN ",
    "date_of_birth": "1950-12-10",
    "sex": "female",
    "nhs_number": "",
    "mrn": "A-77",
    "language": "es",
    "allergies": "Latex",
}
WARNING = "A patient with this name and date of birth is already registered:"


def flat(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def registered(north):
    return PatientFactory(practice=north, name="Mary O'Brien", date_of_birth=date(1950, 12, 10))


def test_the_same_name_and_date_of_birth_is_warned_with_a_link_and_nothing_is_lost(
    browser, nurse, registered
):
    page = reverse("patient_create")
    response = browser(nurse).submit(page, TYPED)
    assert response.status_code == 200
    assert Patient.objects.count() == 1
    html = flat(response)
    assert WARNING in html and "Save anyway?" in html
    link = reverse("patient_detail", args=[registered.public_id])
    assert (
        f'<a href="{link}" target="_blank" rel="noopener">Mary O&#x27;Brien, born 10 Dec 1950'
        in html
    )
    assert 'name="confirm_duplicate"' in html and "This is a different patient: save anyway" in html
    # everything typed is still there
    assert 'value="  mary   O&#x27;BRIEN "' in response.content.decode()  # as typed
    assert 'value="1950-12-10"' in html
    assert 'value="A-77"' in html and "Latex</textarea>" in html
    assert '<option value="es" selected>' in html


def test_ticking_save_anyway_makes_the_second_patient(browser, nurse, registered):
    b = browser(nurse)
    response = b.submit(reverse("patient_create"), {**TYPED, "confirm_duplicate": "on"})
    assert response.status_code == 302
    made = Patient.objects.exclude(pk=registered.pk).get()
    assert (made.name, made.mrn, made.allergies) == ("mary O'BRIEN", "A-77", "Latex")
    assert response.url == reverse("consultation_create", args=[made.public_id])


@pytest.mark.parametrize(
    "change", [{"date_of_birth": "1950-12-11"}, {"name": "Mary O'Brian"}], ids=["dob", "name"]
)
def test_another_name_or_date_of_birth_is_not_warned(browser, nurse, registered, change):
    response = browser(nurse).submit(reverse("patient_create"), {**TYPED, **change})
    assert response.status_code == 302 and Patient.objects.count() == 2


def test_a_namesake_in_another_practice_is_neither_warned_nor_shown(browser, nurse, south):
    PatientFactory(practice=south, name="Mary O'Brien", date_of_birth=date(1950, 12, 10))
    response = browser(nurse).submit(reverse("patient_create"), TYPED)
    assert response.status_code == 302
    assert Patient.objects.filter(practice=nurse.practice).count() == 1


def test_the_same_nhs_number_is_still_refused_outright(browser, nurse, north):
    PatientFactory(practice=north, name="Someone Else", nhs_number="9434765919")
    response = browser(nurse).submit(
        reverse("patient_create"),
        {**TYPED, "nhs_number": "943 476 5919", "confirm_duplicate": "on"},
    )
    assert response.status_code == 200 and Patient.objects.count() == 1
    assert "already registered in this practice" in flat(response)
