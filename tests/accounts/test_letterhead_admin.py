"""The letterhead and the registration numbers printed on letters (issue 12): a practice admin
keeps their own practice's address, telephone and ODS code, and the GMC or NMC numbers of its
clinicians; a superuser any practice's. GMC numbers are 7 digits, NMC PINs 2 digits, a letter,
4 digits and a letter."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import UserFactory
from workup.accounts.models import Practice, User

pytestmark = pytest.mark.django_db


def practice_url(practice, action="change"):
    return f"/admin/accounts/practice/{practice.pk}/{action}/"


def user_url(user):
    return f"/admin/accounts/user/{user.pk}/change/"


def letterhead(**changes):
    data = {
        "address": "1 High Street\nNorthtown NT1 1AA",
        "telephone": "01234 567890",
        "ods_code": "a81001",
        "_save": "Save",
    }
    return {**data, **changes}


def user_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": "on",
        "_save": "Save",
    }
    return {k: v for k, v in {**data, **changes}.items() if v != ""}


def errors(response, field):
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["adminform"].form.errors.get(field, []))


# -- The practice's letterhead ----------------------------------------------------------------


def test_a_practice_admin_edits_their_own_letterhead_but_not_the_name(browser, admin_user, north):
    client = browser(admin_user)
    listing = client.get("/admin/accounts/practice/").content.decode()
    assert "Northside Surgery" in listing
    page = client.get(practice_url(north)).content.decode()
    assert 'name="address"' in page and 'name="ods_code"' in page and 'name="name"' not in page
    response = client.submit(practice_url(north), letterhead(name="Renamed"))
    assert response.status_code == 302
    north.refresh_from_db()
    assert north.name == "Northside Surgery"
    assert north.address == "1 High Street\nNorthtown NT1 1AA"
    assert (north.telephone, north.ods_code) == ("01234 567890", "A81001")  # capitals


def test_a_practice_admin_reaches_no_other_practice(browser, admin_user, north, south):
    client = browser(admin_user)
    assert "Southside Surgery" not in client.get("/admin/accounts/practice/").content.decode()
    response = client.get(practice_url(south))
    assert response.status_code == 302  # "not found": back to the admin's index
    client.submit(practice_url(north), letterhead(), action=practice_url(south))
    south.refresh_from_db()
    assert south.telephone == "" and south.ods_code == ""


def test_a_practice_admin_neither_adds_nor_deletes_practices(browser, admin_user, north):
    client = browser(admin_user)
    assert client.get("/admin/accounts/practice/add/").status_code == 403
    assert client.get(practice_url(north, "delete")).status_code == 403
    assert Practice.objects.filter(pk=north.pk).exists()


def test_a_wrong_ods_code_is_refused_by_name(browser, admin_user, north):
    response = browser(admin_user).submit(practice_url(north), letterhead(ods_code="A-81001!"))
    assert "3 to 6 letters and digits" in errors(response, "ods_code")
    north.refresh_from_db()
    assert north.ods_code == ""


def test_a_superuser_edits_any_practice_and_its_name(browser, south):
    root = UserFactory(username="root", practice=None, is_superuser=True)
    root.is_staff = True
    root.save()
    response = browser(root).submit(practice_url(south), letterhead(name="Southside Health"))
    assert response.status_code == 302
    south.refresh_from_db()
    assert south.name == "Southside Health" and south.ods_code == "A81001"


def test_clinicians_do_not_reach_the_practice_admin(login, gp, nurse, north):
    for user in (gp, nurse):
        assert login(user).get(practice_url(north)).status_code == 302  # to the admin login


# -- Registration numbers ---------------------------------------------------------------------


def test_a_practice_admin_records_a_gps_gmc_number_and_nothing_else_of_theirs(
    browser, admin_user, gp
):
    client = browser(admin_user)
    page = client.get(user_url(gp)).content.decode()
    assert 'name="registration_number"' in page and 'name="first_name"' not in page
    response = client.submit(
        user_url(gp),
        {
            "is_active": "on",
            "registration_body": "GMC",
            "registration_number": "123 4567",
            "first_name": "Mallory",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    gp.refresh_from_db()
    assert gp.registration == "GMC 1234567" and gp.first_name == "Alex"


def test_a_practice_admin_records_a_nurses_nmc_pin(browser, admin_user, nurse):
    response = browser(admin_user).submit(
        user_url(nurse),
        user_data(nurse, registration_body="NMC", registration_number="12a3456e"),
    )
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.registration == "NMC 12A3456E"


@pytest.mark.parametrize(
    "body, number, field, message",
    [
        ("GMC", "123456", "registration_number", "7 digits"),
        ("GMC", "12A3456E", "registration_number", "7 digits"),
        ("NMC", "1234567", "registration_number", "2 digits, a letter, 4 digits and a letter"),
        ("", "1234567", "registration_body", "Choose the body"),
        ("NMC", "", "registration_number", "Enter the NMC number"),
    ],
)
def test_a_wrong_registration_number_is_refused_by_name(
    browser, admin_user, nurse, body, number, field, message
):
    response = browser(admin_user).submit(
        user_url(nurse), user_data(nurse, registration_body=body, registration_number=number)
    )
    assert message in errors(response, field)
    nurse.refresh_from_db()
    assert nurse.registration == ""


@pytest.mark.parametrize(
    "body, number, ok",
    [
        ("GMC", "1234567", True),
        ("GMC", "7654321", True),
        ("GMC", "C1234567", False),  # the consultant code form is not the GMC number
        ("GMC", "12345678", False),
        ("NMC", "71A2998E", True),
        ("NMC", "12A3456", False),
        ("NMC", "1AA3456E", False),
        ("", "", True),  # not recorded: the letter says so
    ],
)
def test_the_registration_formats(body, number, ok):
    user = User(username="x", registration_body=body, registration_number=number)
    if ok:
        user.clean()
    else:
        with pytest.raises(ValidationError):
            user.clean()


def test_role_title_and_registration_as_a_letter_prints_them(gp, nurse):
    gp.registration_body, gp.registration_number = "GMC", "1234567"
    assert (gp.role_title, gp.registration) == ("General practitioner", "GMC 1234567")
    assert (nurse.role_title, nurse.registration) == ("Practice nurse", "")
