"""The access log is append-only: nothing changes or deletes an event, and it names no patient."""

import pytest
from django.db import IntegrityError, transaction

from workup.audit.models import AccessEvent, AppendOnlyError

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(gp, patient):
    return AccessEvent.objects.create(
        user=gp, practice=gp.practice, action="view_patient", patient=patient.public_id
    )


def test_an_event_keeps_a_copy_of_the_username(event, gp):
    gp.username = "renamed.gp"
    gp.save()
    event.refresh_from_db()
    assert event.username == "north.gp"


def test_an_event_cannot_be_changed(event):
    event.action = "download_document"
    with pytest.raises(AppendOnlyError, match="append-only"):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["action"])
    assert AccessEvent.objects.get().action == "view_patient"


def test_a_new_object_cannot_overwrite_an_event(event, nurse):
    forged = AccessEvent(
        pk=event.pk,
        user=nurse,
        practice=nurse.practice,
        action="view_patient",
        patient=event.patient,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()
    assert AccessEvent.objects.get().user_id == event.user_id


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AccessEvent.objects.count() == 1


def test_querysets_refuse_updates_and_deletes(event, gp):
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(action="view_review")
    event.action = "view_review"
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(AppendOnlyError):
        gp.access_events.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.update_or_create(pk=event.pk, defaults={"action": "view_review"})
    assert AccessEvent.objects.get().action == "view_patient"


def test_the_user_of_an_event_cannot_be_deleted(event, gp):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        gp.delete()


def test_an_event_holds_no_patient_name_or_row_id(login, gp, patient):
    login(gp).get(f"/patients/{patient.public_id}/")
    row = AccessEvent.objects.values().get()
    values = " ".join(str(v) for v in row.values())
    assert "Margaret" not in values and "Ellis" not in values
    assert row["patient"] == patient.public_id
    assert set(row) == {
        "id",
        "at",
        "user_id",
        "username",
        "practice_id",
        "action",
        "patient",
        "consultation",
        "document",
    }  # no row id of the patient
