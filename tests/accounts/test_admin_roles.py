"""The role rules of workup.accounts.rules in the admin: a practice admin cannot change their
own role, cannot give the GP role, and cannot change a GP's account (only deactivate it).
The GP role is granted by `manage.py grant_gp_role`, which logs it. All through the admin's
pages with CSRF enforced, as a browser posts them."""

import logging

import pytest
from django.core.management import CommandError, call_command

from tests.factories import PASSWORD
from workup.accounts.models import User

pytestmark = pytest.mark.django_db

STRONG = "a-long-Passw0rd-for-tests"


def change(user):
    return f"/admin/accounts/user/{user.pk}/change/"


def user_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "_save": "Save",
    }
    return {k: v for k, v in {**data, **changes}.items() if v != ""}


def new_user(username, role, password=STRONG):
    return {
        "username": username,
        "usable_password": "true",
        "password1": password,
        "password2": password,
        "role": role,
        "_save": "Save",
    }


def role_error(response):
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["adminform"].form.errors.get("role", []))


def test_an_admin_cannot_change_their_own_role(browser, admin_user):
    client = browser(admin_user)
    for role in ("gp", "nurse"):
        response = client.submit(change(admin_user), user_data(admin_user, role=role))
        assert "cannot change your own role" in role_error(response)
        admin_user.refresh_from_db()
        assert admin_user.role == "admin" and admin_user.is_staff


def test_an_admin_can_still_edit_their_own_name(browser, admin_user):
    client = browser(admin_user)
    response = client.submit(change(admin_user), user_data(admin_user, first_name="Priya"))
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.first_name == "Priya" and admin_user.role == "admin"


def test_an_admin_cannot_add_a_gp_and_what_was_typed_is_kept(browser, admin_user):
    response = browser(admin_user).submit(
        "/admin/accounts/user/add/", new_user("north.locum", "gp")
    )
    assert "grant_gp_role" in role_error(response)
    assert 'value="north.locum"' in response.content.decode()
    assert not User.objects.filter(username="north.locum").exists()


def test_the_add_form_offers_the_nurse_role_first(browser, admin_user):
    page = browser(admin_user).get("/admin/accounts/user/add/").content.decode()
    assert '<option value="nurse" selected>' in page


def test_an_admin_adds_a_nurse_to_their_practice(browser, admin_user):
    response = browser(admin_user).submit(
        "/admin/accounts/user/add/", new_user("north.nurse2", "nurse")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    nurse = User.objects.get(username="north.nurse2")
    assert nurse.role == "nurse" and nurse.practice == admin_user.practice
    assert not nurse.is_staff and nurse.check_password(STRONG)


def test_an_admin_cannot_promote_a_nurse_to_gp(browser, admin_user, nurse):
    response = browser(admin_user).submit(change(nurse), user_data(nurse, role="gp"))
    assert "grant_gp_role" in role_error(response)
    nurse.refresh_from_db()
    assert nurse.role == "nurse"


def test_an_admin_may_make_a_nurse_an_admin(browser, admin_user, nurse):
    response = browser(admin_user).submit(change(nurse), user_data(nurse, role="admin"))
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.role == "admin" and nurse.is_staff


def test_the_password_validators_apply_to_a_new_user(browser, admin_user):
    response = browser(admin_user).submit(
        "/admin/accounts/user/add/", new_user("north.nurse2", "nurse", "Summer2024")
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not User.objects.filter(username="north.nurse2").exists()


def test_a_gps_account_is_read_only_to_the_admin_except_deactivation(browser, admin_user, gp):
    client = browser(admin_user)
    page = client.get(change(gp)).content.decode()
    assert 'name="is_active"' in page
    assert 'name="first_name"' not in page and 'name="role"' not in page
    assert "/password/" not in page  # no link to set the GP's password
    response = client.submit(
        change(gp),
        {"first_name": "Mallory", "role": "nurse", "email": "x@example.org", "_save": "Save"},
    )
    assert response.status_code == 302
    gp.refresh_from_db()
    assert gp.first_name == "Alex" and gp.role == "gp" and gp.email == ""
    assert not gp.is_active  # the unticked box deactivated them, which the admin may do


def test_an_admin_cannot_set_a_gps_password(browser, admin_user, gp):
    client = browser(admin_user)
    url = f"/admin/accounts/user/{gp.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.submit(
        "/admin/password_change/",
        {"password1": STRONG, "password2": STRONG, "usable_password": "true"},
        action=url,
    )
    assert response.status_code == 403
    gp.refresh_from_db()
    assert gp.check_password(PASSWORD)


def test_an_admin_sets_a_nurses_password(browser, admin_user, nurse):
    url = f"/admin/accounts/user/{nurse.pk}/password/"
    response = browser(admin_user).submit(
        url, {"password1": STRONG, "password2": STRONG, "usable_password": "true"}
    )
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.check_password(STRONG)


def test_clinicians_reach_no_admin_page_of_users(login, gp, nurse, admin_user):
    for user in (gp, nurse):
        response = login(user).get(f"/admin/accounts/user/{admin_user.pk}/password/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_grant_gp_role_makes_a_gp_and_logs_it(nurse, caplog, capsys):
    with caplog.at_level(logging.WARNING):
        call_command("grant_gp_role", nurse.username)
    nurse.refresh_from_db()
    assert nurse.role == "gp" and nurse.can_decide
    records = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in records] == [
        f"GP role granted to {nurse.username} by grant_gp_role"
    ]
    assert "GP role" in capsys.readouterr().out


def test_grant_gp_role_takes_staff_status_from_a_former_admin(admin_user):
    call_command("grant_gp_role", admin_user.username)
    admin_user.refresh_from_db()
    assert admin_user.role == "gp" and not admin_user.is_staff


def test_grant_gp_role_refuses_an_unknown_user(caplog):
    with caplog.at_level(logging.WARNING), pytest.raises(CommandError) as refused:
        call_command("grant_gp_role", "nobody.here")
    assert refused.value.returncode == 2
    assert "No user is called 'nobody.here'" in str(refused.value)
    assert "granted" not in caplog.text
