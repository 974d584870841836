"""API fixtures: a user's knox token, a poster, and throttle counts that start at zero."""

import json

import pytest
from django.core.cache import caches
from knox.models import AuthToken

from tests.factories import UserFactory

URL = "/api/v1/assessments"


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counts live in the default cache: each test starts with none."""
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def token(user):
    """A token as the token page gives it (the plain text; the database holds its hash)."""
    return AuthToken.objects.create(user=user)[1]


def post(client, body, token=None, content_type="application/json", **extra):
    """POST to the API: a dict or list is sent as JSON, str and bytes as they are."""
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Token {token}"
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    return client.generic("POST", URL, body, content_type=content_type, **extra)


def assert_errors(response, status, field):
    """The one error format: JSON {"errors": {field: message}}, naming `field`."""
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["errors"]
    assert field in body["errors"], body
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in body["errors"].items())
    return body["errors"][field]
