import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken

from tests.factories import intake_data

pytestmark = pytest.mark.django_db
PAGE = "/accounts/api-token/"
SHOWN = re.compile(r'id="new-token"[^>]*value="([0-9a-f]{64})"')


def make_token(browser) -> str:
    """Press "Make a new token" (CSRF token taken from the page) and read the token shown."""
    response = browser.submit(PAGE, {"action": "make"})
    assert response.status_code == 200
    found = SHOWN.findall(response.content.decode())
    assert len(found) == 1, "the new token is shown once on the response page"
    return found[0]


def api_status(client, token) -> int:
    return client.post(
        "/api/v1/assessments",
        json.dumps(intake_data()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    ).status_code


def test_a_user_makes_a_token_that_works_on_the_api(browser, nurse, client):
    b = browser(nurse)
    assert "You have no token yet" in b.get(PAGE).content.decode()
    token = make_token(b)
    assert api_status(client, token) == 200


def test_the_token_is_never_shown_again(browser, nurse):
    b = browser(nurse)
    token = make_token(b)
    html = b.get(PAGE).content.decode()
    assert token not in html and token[:15] not in html
    assert f"<code>{token[:8]}…</code>" in html  # a short prefix tells the tokens apart
    second = make_token(b)
    assert token not in b.get(PAGE).content.decode()
    assert second not in b.get(PAGE).content.decode()


def test_the_database_holds_no_plain_token(browser, nurse):
    token = make_token(browser(nurse))
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                assert token not in " ".join(map(str, row)), f"{table} holds the token"
    assert AuthToken.objects.filter(user=nurse).count() == 1


def test_the_page_lists_the_users_live_tokens_with_their_expiry(browser, nurse, gp):
    b = browser(nurse)
    make_token(b)
    make_token(b)
    AuthToken.objects.create(user=gp)
    expired, _ = AuthToken.objects.create(user=nurse)
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(days=1))
    html = b.get(PAGE).content.decode()
    assert html.count("…</code></td>") == 2  # the nurse's two live tokens only
    expiry = timezone.localtime(timezone.now() + timedelta(days=30))
    assert expiry.strftime("%-d %b %Y") in html
    assert "30 days" in html


def test_revoking_stops_every_token_of_the_user(browser, nurse, gp, client):
    b = browser(nurse)
    first, second = make_token(b), make_token(b)
    _, others = AuthToken.objects.create(user=gp)
    response = b.submit(PAGE, {"action": "revoke"}, follow=True)
    assert "All your API tokens were revoked" in response.content.decode()
    assert "You have no token yet" in response.content.decode()
    assert api_status(client, first) == 401 and api_status(client, second) == 401
    assert api_status(client, others) == 200


def test_an_expired_token_stops_working(browser, nurse, client):
    token = make_token(browser(nurse))
    AuthToken.objects.filter(user=nurse).update(expiry=timezone.now() - timedelta(seconds=1))
    response = client.post(
        "/api/v1/assessments",
        json.dumps(intake_data()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 401
    assert list(response.json()) == ["errors"] and "authorization" in response.json()["errors"]


def test_making_a_token_needs_the_pages_csrf_token(browser, nurse):
    b = browser(nurse)
    assert b.client.post(PAGE, {"action": "make"}).status_code == 403
    assert not AuthToken.objects.exists()


def test_login_takes_a_gp_to_the_patient_list(client, gp):
    from tests.factories import PASSWORD

    response = client.post(
        "/accounts/login/", {"username": "north.gp", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/patients/"


def test_login_takes_a_practice_admin_to_the_admin(client, admin_user):
    from tests.factories import PASSWORD

    response = client.post(
        "/accounts/login/", {"username": "north.admin", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.status_code == 200


def test_a_wrong_password_is_refused_and_the_username_kept(client, gp):
    response = client.post("/accounts/login/", {"username": "north.gp", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200 and "Please enter a correct username" in html
    assert 'value="north.gp"' in html
