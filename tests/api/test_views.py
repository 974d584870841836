"""POST /api/v1/assessments: the contract over HTTP, with a per-user token; stores nothing."""
import json

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory, intake_data
from workup.clinic.models import Consultation, Patient

pytestmark = pytest.mark.django_db
URL = "/api/v1/assessments"


@pytest.fixture
def token():
    return Token.objects.create(user=UserFactory()).key


def post(client, body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    return client.post(URL, body if isinstance(body, str) else json.dumps(body),
                       content_type="application/json", **headers)


def test_it_returns_the_contract_assessment(client, token):
    response = post(client, intake_data(medications=["Lasix 40mg"]), token)
    assert response.status_code == 200
    body = response.json()
    assert body["contract"] == 1 and body["knowledge_base"] == "2026.1"
    assert body["medications"][0]["drug"] == "furosemide"
    assert not Consultation.objects.exists() and not Patient.objects.exists()


def test_it_gives_field_errors_for_bad_input(client, token):
    response = post(client, intake_data(cramps={"longest_minutes": -1}), token)
    assert response.status_code == 400
    assert response.json() == {"errors": {"cramps.longest_minutes": "must be a number >= 0"}}


def test_it_refuses_json_that_is_not_an_object(client, token):
    response = post(client, [1, 2], token)
    assert response.status_code == 400 and "intake" in response.json()["errors"]


def test_it_refuses_malformed_json(client, token):
    assert post(client, "{not json", token).status_code == 400


def test_it_requires_a_token(client):
    assert post(client, intake_data()).status_code == 401


def test_it_refuses_a_wrong_token(client, token):
    assert post(client, intake_data(), "0" * 40).status_code == 401


def test_a_session_alone_is_not_enough(client):
    user = UserFactory()
    client.force_login(user)
    assert post(client, intake_data()).status_code == 401


def test_it_only_takes_post(client, token):
    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 405
