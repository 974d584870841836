"""The patient history in the admin (django-simple-history) stays within the admin's practice:
another practice's patients are not found, their past versions cannot be read or reverted,
and a revert never moves a patient to another practice."""

import pytest

from tests.factories import PatientFactory, UserFactory
from workup.accounts.models import User
from workup.clinic.models import Patient

pytestmark = pytest.mark.django_db

NHS = "9434765919"  # a valid NHS number (check digit), fictional


@pytest.fixture
def south_admin(south):
    return UserFactory(username="south.admin", practice=south, role=User.Role.ADMIN)


@pytest.fixture
def north_patient(north):
    patient = PatientFactory(practice=north, name="Margaret Ellis", nhs_number=NHS)
    patient.name = "Margaret Ellis-Hart"  # a second version in the history
    patient.save()
    return patient


def revert_data(patient_name, nhs=NHS):
    return {
        "name": patient_name,
        "date_of_birth": "1956-03-14",
        "sex": "female",
        "nhs_number": nhs,
        "mrn": "",
        "language": "en",
        "_save": "Revert",
    }


def history_urls(patient):
    base = f"/admin/clinic/patient/{patient.pk}/history/"
    return [base] + [f"{base}{h.history_id}/" for h in patient.history.all()]


def assert_not_shown(response, patient):
    assert response.status_code in (302, 404), response.status_code
    page = response.content.decode()
    assert patient.name not in page and NHS not in page and "1956" not in page


def test_another_practices_patient_history_is_not_found(browser, south_admin, north_patient):
    south = browser(south_admin)
    for url in history_urls(north_patient):
        assert_not_shown(south.get(url), north_patient)


def test_a_revert_cannot_take_another_practices_patient(
    browser, south_admin, north_patient, north, south
):
    south_browser = browser(south_admin)
    own = PatientFactory(practice=south, name="Irene Walsh")
    oldest = north_patient.history.earliest()
    # the token comes from the admin's own patient's page, as an attacker's browser would
    response = south_browser.submit(
        f"/admin/clinic/patient/{own.pk}/change/",
        revert_data("Margaret Ellis"),
        action=f"/admin/clinic/patient/{north_patient.pk}/history/{oldest.history_id}/",
    )
    assert_not_shown(response, north_patient)
    north_patient.refresh_from_db()
    assert north_patient.practice == north and north_patient.name == "Margaret Ellis-Hart"
    assert north_patient.history.count() == 2


def test_an_admin_reverts_their_own_patient_and_the_practice_stays(
    browser, admin_user, north_patient, north
):
    client = browser(admin_user)
    oldest = north_patient.history.earliest()
    url = f"/admin/clinic/patient/{north_patient.pk}/history/{oldest.history_id}/"
    page = client.get(url).content.decode()
    assert "Revert" in page and "Margaret Ellis" in page
    response = client.submit(url, revert_data("Margaret Ellis"))
    assert response.status_code == 302, response.content.decode()[:2000]
    north_patient.refresh_from_db()
    assert north_patient.name == "Margaret Ellis" and north_patient.practice == north


def test_versions_from_while_a_patient_was_in_another_practice_are_hidden(
    browser, admin_user, south_admin, north, south
):
    moved = PatientFactory(practice=south, name="Irene Walsh", nhs_number=NHS)
    moved.practice = north  # moved by the service operator
    moved.save()
    in_south, in_north = moved.history.order_by("history_id")
    north_browser = browser(admin_user)
    listing = north_browser.get(f"/admin/clinic/patient/{moved.pk}/history/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert f"/history/{in_north.history_id}/" in page
    assert f"/history/{in_south.history_id}/" not in page
    old = f"/admin/clinic/patient/{moved.pk}/history/{in_south.history_id}/"
    assert north_browser.get(old).status_code == 404
    response = north_browser.submit(
        f"/admin/clinic/patient/{moved.pk}/change/", revert_data("Irene Walsh"), action=old
    )
    assert response.status_code == 404
    # and the south admin, whose practice it was, no longer reaches it at all
    assert browser(south_admin).get(old).status_code == 404


def test_a_superusers_revert_keeps_the_patients_current_practice(browser, north, south):
    root = UserFactory(username="root", practice=None, role=User.Role.ADMIN, is_superuser=True)
    moved = PatientFactory(practice=south, name="Irene Walsh", nhs_number=NHS)
    moved.practice = north
    moved.save()
    in_south = moved.history.earliest()
    url = f"/admin/clinic/patient/{moved.pk}/history/{in_south.history_id}/"
    response = browser(root).submit(url, {**revert_data("Irene Walsh"), "practice": south.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Patient.objects.get(pk=moved.pk).practice == north


def test_a_history_id_that_is_not_a_number_is_not_found(login, admin_user, north_patient):
    url = f"/admin/clinic/patient/{north_patient.pk}/history/abc/"
    assert login(admin_user).get(url).status_code == 404
