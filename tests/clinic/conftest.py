"""Personas: a GP, a nurse and an admin of Northside, a GP of Southside, and the anonymous."""
import pytest

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
    return consultation_for(patient, gp, medications=["Lasix 40mg"],
                            findings=["calf_swelling_3cm", "deep_vein_tenderness"])


@pytest.fixture
def login(client):
    def _login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client
    return _login
