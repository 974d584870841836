"""Personas: a GP, a nurse and an admin of Northside, a GP of Southside, a Northside patient
with one consultation, and ways to be logged in as any of them.

A pytest plugin (tests/conftest.py lists it in `pytest_plugins`), so every test asks for a
persona by name and no test module imports fixtures. `admin_user` replaces pytest-django's
superuser of that name: here the admin is a practice's admin, as in production.
"""

import pytest

from tests.browsing import Browser
from tests.factories import PASSWORD, PatientFactory, PracticeFactory, UserFactory, consultation_for
from workup.accounts.models import User


@pytest.fixture
def north(db):
    return PracticeFactory(name="Northside Surgery")


@pytest.fixture
def south(db):
    return PracticeFactory(name="Southside Surgery")


@pytest.fixture
def gp(north):
    return UserFactory(username="north.gp", practice=north, role=User.Role.GP)


@pytest.fixture
def nurse(north):
    return UserFactory(username="north.nurse", practice=north, role=User.Role.NURSE)


@pytest.fixture
def admin_user(north):
    return UserFactory(username="north.admin", practice=north, role=User.Role.ADMIN)


@pytest.fixture
def outsider(south):
    return UserFactory(username="south.gp", practice=south, role=User.Role.GP)


@pytest.fixture
def patient(north):
    return PatientFactory(practice=north, name="Margaret Ellis")


@pytest.fixture
def consultation(patient, gp):
    return consultation_for(
        patient,
        gp,
        medications=["Lasix 40mg"],
        findings=["calf_swelling_3cm", "deep_vein_tenderness"],
    )


@pytest.fixture
def login(client):
    """A logged-in test client (session made directly; tests/browsing.py logs in through the
    login page with CSRF enforced, as a browser does)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def browser(db):
    """browser(user) -> a Browser (CSRF enforced) logged in through the login page."""

    def _browser(user=None):
        b = Browser()
        if user is not None:
            response = b.login(user.username, PASSWORD)
            assert response.status_code == 302, response.content.decode()[:500]
        return b

    return _browser
