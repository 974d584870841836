"""The Django admin for practice admins: users and patients of their own practice only."""

import pytest

from tests.factories import PatientFactory
from workup.accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_practice_admin_sees_only_their_practices_users_and_patients(
    login, admin_user, gp, outsider, patient, south
):
    PatientFactory(practice=south, name="Irene Walsh")
    client = login(admin_user)
    users = client.get("/admin/accounts/user/").content.decode()
    assert "north.gp" in users and "south.gp" not in users
    patients = client.get("/admin/clinic/patient/").content.decode()
    assert "Margaret Ellis" in patients and "Irene Walsh" not in patients
    assert client.get(f"/admin/accounts/user/{outsider.pk}/change/").status_code == 302


def test_a_practice_admin_adds_a_user_to_their_own_practice(login, admin_user, south):
    client = login(admin_user)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "north.locum",
            "password1": "a-long-Passw0rd!",
            "password2": "a-long-Passw0rd!",
            "role": "nurse",
            "practice": south.pk,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    locum = User.objects.get(username="north.locum")
    assert locum.practice == admin_user.practice and locum.role == "nurse" and not locum.is_staff


def test_clinicians_do_not_get_the_admin(login, gp):
    assert login(gp).get("/admin/").status_code == 302


def test_the_knowledge_base_is_readable_from_the_admin(login, admin_user, kb):
    client = login(admin_user)
    assert "/knowledge-base/" in client.get("/admin/").content.decode()
    page = client.get("/knowledge-base/").content.decode()
    assert kb.version in page and "NICE NG158" in page and "Furosemide" in page.title()


def test_a_practice_admin_cannot_delete_patients(login, admin_user, patient):
    client = login(admin_user)
    assert client.get(f"/admin/clinic/patient/{patient.pk}/delete/").status_code == 403
