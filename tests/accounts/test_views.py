import pytest
from rest_framework.authtoken.models import Token

from tests.clinic.conftest import *  # noqa: F401,F403  (personas)

pytestmark = pytest.mark.django_db


def test_a_user_makes_and_replaces_their_own_api_token(login, nurse):
    client = login(nurse)
    assert b"You have no token yet" in client.get("/accounts/api-token/").content
    client.post("/accounts/api-token/")
    first = Token.objects.get(user=nurse).key
    assert first.encode() in client.get("/accounts/api-token/").content
    client.post("/accounts/api-token/")
    assert Token.objects.get(user=nurse).key != first


def test_login_takes_a_gp_to_the_patient_list(client, gp):
    from tests.factories import PASSWORD
    response = client.post("/accounts/login/", {"username": "north.gp", "password": PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == "/patients/"


def test_login_takes_a_practice_admin_to_the_admin(client, admin_user):
    from tests.factories import PASSWORD
    response = client.post("/accounts/login/", {"username": "north.admin", "password": PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.status_code == 200


def test_a_wrong_password_is_refused_and_the_username_kept(client, gp):
    response = client.post("/accounts/login/", {"username": "north.gp", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200 and "Please enter a correct username" in html
    assert 'value="north.gp"' in html
