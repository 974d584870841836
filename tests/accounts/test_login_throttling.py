"""Password guessing is refused: after 5 failures for one username, or from one address,
further attempts are refused for a while, even with the right password; each is logged
without the password."""

import logging

import pytest
from axes.models import AccessAttempt

from tests.browsing import Browser
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"


def attempt(browser, username, password, path="/accounts/login/"):
    return browser.submit(path, {"username": username, "password": password})


def test_the_right_password_after_five_wrong_ones_is_refused(gp, caplog):
    browser = Browser()
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            assert attempt(browser, gp.username, WRONG).status_code in (200, 429)
        response = attempt(browser, gp.username, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed log-ins" in page and "Try again in 15 minutes" in page
    assert "_auth_user_id" not in browser.client.session
    logged = caplog.text
    assert gp.username in logged and "login failure" in logged.lower()
    assert WRONG not in logged and PASSWORD not in logged
    assert not any(WRONG in (a.post_data or "") for a in AccessAttempt.objects.all())


def test_a_few_mistakes_do_not_lock_and_a_success_resets_the_count(gp):
    browser = Browser()
    for _ in range(4):
        assert attempt(browser, gp.username, WRONG).status_code == 200
    assert attempt(browser, gp.username, PASSWORD).status_code == 302
    browser.logout()
    for _ in range(4):  # the count started again
        assert attempt(browser, gp.username, WRONG).status_code == 200
    assert attempt(browser, gp.username, PASSWORD).status_code == 302


def test_guessing_other_usernames_from_one_address_is_refused_too(gp):
    browser = Browser()
    for n in range(5):
        attempt(browser, f"guess{n}", WRONG)
    assert attempt(browser, gp.username, PASSWORD).status_code == 429


def test_a_colleague_at_another_address_can_still_log_in(gp, nurse):
    attacker = Browser(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        attempt(attacker, gp.username, WRONG)
    colleague = Browser(REMOTE_ADDR="198.51.100.7")
    assert attempt(colleague, nurse.username, PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(admin_user):
    browser = Browser()
    for _ in range(5):
        attempt(browser, admin_user.username, WRONG, path="/admin/login/")
    assert attempt(browser, admin_user.username, PASSWORD, path="/admin/login/").status_code == 429
