"""The admin's patient form checks what the clinical screens check: a date of birth in the
future, an NHS number that is not one, and a second patient with the same NHS number in the
practice are refused with a message on the field, and what was typed is kept."""

import pytest

from tests.factories import PatientFactory, UserFactory
from workup.accounts.models import User
from workup.clinic.models import Patient

pytestmark = pytest.mark.django_db

NHS = "9434765919"  # a valid NHS number (check digit), fictional
ADD = "/admin/clinic/patient/add/"


def patient_data(**changes):
    return {
        "name": "Arthur Penn",
        "date_of_birth": "1950-06-01",
        "sex": "male",
        "nhs_number": NHS,
        "mrn": "",
        "language": "en",
        "_save": "Save",
        **changes,
    }


def errors(response):
    assert response.status_code == 200, response.status_code
    return response.context["adminform"].form.errors


def test_a_date_of_birth_in_the_future_is_refused(browser, admin_user):
    response = browser(admin_user).submit(ADD, patient_data(date_of_birth="2090-01-01"))
    assert "cannot be in the future" in " ".join(errors(response)["date_of_birth"])
    assert 'value="Arthur Penn"' in response.content.decode()
    assert not Patient.objects.exists()


def test_an_nhs_number_that_is_not_one_is_refused(browser, admin_user):
    client = browser(admin_user)
    for typed in ("ABCDEFGHIJ", "9434765918"):  # letters; a wrong check digit
        response = client.submit(ADD, patient_data(nhs_number=typed))
        assert "not a valid NHS number" in " ".join(errors(response)["nhs_number"])
        assert f'value="{typed}"' in response.content.decode()
    assert not Patient.objects.exists()


def test_a_second_patient_with_the_same_nhs_number_in_the_practice_is_refused(
    browser, admin_user, north
):
    PatientFactory(practice=north, name="Margaret Ellis", nhs_number=NHS)
    response = browser(admin_user).submit(ADD, patient_data())
    assert "already registered in this practice" in " ".join(errors(response)["nhs_number"])
    assert Patient.objects.filter(nhs_number=NHS).count() == 1


def test_the_same_nhs_number_in_another_practice_is_not_this_practices_concern(
    browser, admin_user, north, south
):
    PatientFactory(practice=south, name="Irene Walsh", nhs_number=NHS)
    response = browser(admin_user).submit(ADD, patient_data(nhs_number="943 476 5919"))
    assert response.status_code == 302, errors(response)
    added = Patient.objects.get(name="Arthur Penn")
    assert added.practice == north and added.nhs_number == NHS


def test_an_admin_edits_their_patient_and_keeps_its_nhs_number(browser, admin_user, north):
    patient = PatientFactory(practice=north, name="Margaret Ellis", nhs_number=NHS)
    response = browser(admin_user).submit(
        f"/admin/clinic/patient/{patient.pk}/change/",
        patient_data(name="Margaret Ellis-Hart", sex="female"),
    )
    assert response.status_code == 302, errors(response)
    patient.refresh_from_db()
    assert patient.name == "Margaret Ellis-Hart" and patient.nhs_number == NHS


def test_a_superuser_cannot_put_a_duplicate_nhs_number_in_a_practice(browser, north):
    root = UserFactory(username="root", practice=None, role=User.Role.ADMIN, is_superuser=True)
    PatientFactory(practice=north, name="Margaret Ellis", nhs_number=NHS)
    response = browser(root).submit(ADD, patient_data(practice=north.pk))
    assert response.status_code == 200
    assert "already registered in this practice" in response.content.decode()
    assert Patient.objects.filter(nhs_number=NHS).count() == 1
