"""Production mode against real services, including the faults it must survive."""

import threading
import time
from unittest import mock

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from tests.factories import (
    PatientFactory,
    PracticeFactory,
    UserFactory,
    consultation_for,
    intake_data,
)
from tests.services.conftest import wait_for
from workup.accounts.models import User
from workup.clinic import services as clinic_services
from workup.clinic.models import Consultation
from workup.documents import services
from workup.documents.models import Document

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people():
    practice = PracticeFactory(name="Northside Surgery")
    gp = UserFactory(
        username="north.gp",
        practice=practice,
        role=User.Role.GP,
        first_name="Amira",
        last_name="Patel",
    )
    nurse = UserFactory(
        username="north.nurse",
        practice=practice,
        role=User.Role.NURSE,
        first_name="Tom",
        last_name="Okafor",
    )
    patient = PatientFactory(practice=practice, name="Derek Owusu")
    consultation = consultation_for(
        patient, gp, findings=["calf_swelling_3cm"], medications=["Lasix 40mg"]
    )
    return gp, nurse, consultation


def status(document):
    document.refresh_from_db()
    return document.status


def print_handout(client, consultation):
    return client.post(
        reverse("document_create", args=[consultation.public_id]),
        {"kind": "handout", "language": "en"},
    )


def test_the_settings_are_production_ones():
    from django.conf import settings

    assert connection.vendor == "postgresql"
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST


def test_a_real_worker_renders_a_printed_handout(people, worker):
    gp, _, consultation = people
    worker.start()
    client = Client()
    client.force_login(gp)
    response = print_handout(client, consultation)
    document = Document.objects.get()
    wait_for(lambda: status(document) == "ready", 60, "the worker to render the handout")
    assert response.status_code == 302
    pdf = client.get(reverse("document_file", args=[document.public_id]))
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"


def test_the_health_endpoint_sees_database_broker_and_worker(people, worker, broker):
    client = Client()
    worker.start()
    response = client.get("/health/?format=json")
    assert response.status_code == 200, response.content
    assert set(response.json().values()) == {"OK"}
    worker.stop()
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    assert response.json()["PdfWorker"] != "OK"


def test_a_worker_killed_mid_render_produces_the_document_once_after_a_restart(
    people, worker, settings
):
    gp, _, consultation = people
    worker.start("--include", "tests.services.slow_render")
    document = services.document_request(
        consultation=consultation,
        user=gp,
        kind="handout",
        options={"language": "en", "large_print": False},
    )
    wait_for(lambda: status(document) == "rendering", 30, "the render to start")
    worker.kill()
    assert status(document) == "rendering"
    # The task was never acknowledged. Once the broker's visibility timeout has passed, the
    # next worker to start takes it back from the broker.
    time.sleep(settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + 1)
    worker.start()
    wait_for(lambda: status(document) == "ready", 90, "the task to be delivered again")
    assert Document.objects.count() == 1
    assert document.file.read()[:5] == b"%PDF-"


def test_when_the_broker_is_down_printing_is_delayed_and_done_once_it_is_back(
    people, worker, broker
):
    gp, _, consultation = people
    client = Client()
    client.force_login(gp)
    broker.stop()
    started = time.monotonic()
    response = print_handout(client, consultation)
    assert time.monotonic() - started < 10  # the GP is not kept waiting
    page = client.get(response.url).content.decode()
    assert "Printing is delayed" in page and "The consultation is saved" in page
    document = Document.objects.get()
    assert document.status == "queued"
    assert Consultation.objects.filter(pk=consultation.pk).exists()

    broker.start()
    worker.start()
    # what the beat-scheduled sweep does every 30 s (here without waiting for the 30 s)
    assert services.documents_requeue_stale(older_than_seconds=0) == 1
    wait_for(lambda: Document.objects.get().status == "ready", 60, "the delayed document")
    assert Document.objects.count() == 1


def _terminate_own_connection():
    """Drop this test's database connection from the server side, as a network cut would."""
    pid = connection.connection.info.backend_pid
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_dropped_connection_during_a_new_consultation_leaves_nothing_half_saved(people):
    gp, _, consultation = people
    patient = consultation.patient
    before = (Consultation.objects.count(), Consultation.history.count())
    from simple_history.signals import post_create_historical_record

    def cut(**kwargs):
        _terminate_own_connection()

    post_create_historical_record.connect(cut)
    try:
        with pytest.raises(OperationalError):
            consultation_for(patient, gp, findings=["muscle_wasting"])
    finally:
        post_create_historical_record.disconnect(cut)
    connection.close()
    assert (Consultation.objects.count(), Consultation.history.count()) == before


def test_a_dropped_connection_during_an_edit_changes_nothing(people):
    gp, _, consultation = people
    client = Client()
    client.force_login(gp)
    client.post(
        reverse("decision_record", args=[consultation.public_id]),
        {"kind": "differentials", "code": "deep_vein_thrombosis", "action": "accept"},
    )
    from workup.clinic.models import Decision

    with mock.patch.object(
        Decision,
        "delete",
        side_effect=lambda *a, **k: (_terminate_own_connection(), Decision.objects.count()),
    ):
        with pytest.raises(OperationalError):
            clinic_services.consultation_update_intake(
                consultation=consultation, intake=intake_data(), user=gp, expected_version=1
            )
    connection.close()
    saved = Consultation.objects.get(pk=consultation.pk)
    assert saved.version == 1 and saved.intake["findings"] == ["calf_swelling_3cm"]
    assert Decision.objects.count() == 1


def test_two_clinicians_saving_at_once_cannot_overwrite_each_other(people):
    gp, nurse, consultation = people
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(user, medication):
        try:
            barrier.wait(5)
            clinic_services.consultation_update_intake(
                consultation=Consultation.objects.get(pk=consultation.pk),
                intake=intake_data(medications=[medication]),
                user=user,
                expected_version=1,
            )
            outcomes[user.username] = "saved"
        except clinic_services.ConsultationChanged:
            outcomes[user.username] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(gp, "Lipitor")),
        threading.Thread(target=save, args=(nurse, "Seretide 250")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes.values()) == ["refused", "saved"]
    saved = Consultation.objects.get(pk=consultation.pk)
    winner = next(u for u, o in outcomes.items() if o == "saved")
    assert saved.version == 2 and saved.updated_by.username == winner
    expected = "Lipitor" if winner == "north.gp" else "Seretide 250"
    assert saved.intake["medications"] == [expected]
