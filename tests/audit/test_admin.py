"""The access log in the admin: read only, the admin's own practice only, no search box."""

import pytest

from tests.factories import PatientFactory, UserFactory
from workup.accounts.models import User
from workup.audit.models import AccessEvent

pytestmark = pytest.mark.django_db

LIST = "/admin/audit/accessevent/"


@pytest.fixture
def logged(login, gp, outsider, patient, south):
    """One event in each practice."""
    login(gp).get(f"/patients/{patient.public_id}/")
    southern = PatientFactory(practice=south, name="Irene Walsh")
    login(outsider).get(f"/patients/{southern.public_id}/")
    north_event, south_event = AccessEvent.objects.order_by("id")
    return north_event, south_event


def test_a_practice_admin_reads_their_practices_log_only(login, admin_user, logged):
    north_event, south_event = logged
    page = login(admin_user).get(LIST).content.decode()
    assert "north.gp" in page and str(north_event.patient) in page
    assert "south.gp" not in page and str(south_event.patient) not in page
    assert "Margaret Ellis" not in page
    assert 'id="searchbar"' not in page and 'name="q"' not in page
    assert 'name="action"' not in page  # no bulk actions (no "delete selected")


def test_the_log_cannot_be_added_to_changed_or_deleted_in_the_admin(login, admin_user, logged):
    north_event, _ = logged
    client = login(admin_user)
    change = f"{LIST}{north_event.pk}/change/"
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change, {"action": "view_review"}).status_code == 403
    assert client.get(f"{LIST}{north_event.pk}/delete/").status_code == 403
    assert client.post(f"{LIST}{north_event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{LIST}add/").status_code == 403
    assert AccessEvent.objects.get(pk=north_event.pk).action == "view_patient"
    assert AccessEvent.objects.count() == 2


def test_even_a_superuser_cannot_delete_events(client, logged):
    boss = UserFactory(username="operator", practice=None, role=User.Role.ADMIN, is_superuser=True)
    client.force_login(boss)
    assert str(logged[1].patient) in client.get(LIST).content.decode()
    assert client.get(f"{LIST}{logged[0].pk}/delete/").status_code == 403
    assert client.post(
        LIST, {"action": "delete_selected", "_selected_action": [logged[0].pk]}
    ).status_code in (200, 302)
    assert AccessEvent.objects.count() == 2


def test_another_practices_event_is_not_shown(login, admin_user, logged):
    _, south_event = logged
    response = login(admin_user).get(f"{LIST}{south_event.pk}/change/")
    assert response.status_code == 302


def test_clinicians_do_not_get_the_log(login, gp, logged):
    assert login(gp).get(LIST).status_code == 302
