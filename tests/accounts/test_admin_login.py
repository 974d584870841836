"""Signing in from the admin's own address, /admin/login/, with CSRF enforced."""

import pytest

from tests.browsing import Browser
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(browser, username, password):
    return browser.submit(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
    )


def test_the_admin_login_page_opens_when_logged_out():
    response = Browser().get("/admin/login/")
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_the_admin_sends_the_logged_out_to_a_login_page():
    response = Browser().get("/admin/clinic/patient/")
    assert response.status_code == 302
    assert response["Location"].split("?")[0] in ("/accounts/login/", "/admin/login/")


def test_a_practice_admin_signs_in_from_the_admin_login_page(admin_user):
    browser = Browser()
    response = sign_in(browser, admin_user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    index = browser.get("/admin/").content.decode()
    assert "/admin/clinic/patient/" in index and "/admin/accounts/user/" in index


def test_a_wrong_password_at_the_admin_login_page_is_refused_with_a_message(admin_user):
    response = sign_in(Browser(), admin_user.username, "not-the-password-at-all")
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def test_a_clinician_signing_in_at_the_admin_is_told_it_is_not_for_them(gp):
    response = sign_in(Browser(), gp.username, PASSWORD)
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def test_the_admin_login_page_is_throttled(admin_user):
    browser = Browser()
    for _ in range(5):
        sign_in(browser, admin_user.username, "not-the-password-at-all")
    assert sign_in(browser, admin_user.username, PASSWORD).status_code == 429
