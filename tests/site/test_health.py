"""GET /health/ for load balancers: no login, no patient data, 500 when something is down.

Production-like: tasks are not run in-process, so the broker and a PDF worker are really asked
(both faked here: the broker's connection and the worker's control answers)."""

from unittest import mock

import pytest

from workup.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def celery(settings):
    """A reachable broker and one worker consuming the pdf queue; tests break them."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with (
        mock.patch.object(celery_app, "connection_for_write") as connection,
        mock.patch.object(celery_app, "control") as control,
    ):
        control.ping.return_value = [{"pdf@host": {"ok": "pong"}}]
        control.inspect.return_value.active_queues.return_value = {"pdf@host": [{"name": "pdf"}]}
        yield connection, control


def test_it_reports_database_broker_and_worker_without_login(client, celery):
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    body = response.json()
    assert set(body.values()) == {"OK"}
    assert any("Database" in k for k in body) and "Broker()" in body and "PdfWorker" in body
    connection, _ = celery
    connection.return_value.__enter__.return_value.ensure_connection.assert_called()


def test_it_fails_when_the_broker_cannot_be_reached(client, celery):
    connection, _ = celery
    connection.side_effect = OSError("refused")
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    assert response.json()["Broker()"] == "Unavailable: The Celery broker cannot be reached"


@pytest.mark.parametrize(
    "ping, queues, message",
    [
        ([], {}, "Celery workers unavailable"),
        (
            [{"pdf@host": {"ok": "pong"}}],
            {"pdf@host": [{"name": "default"}]},
            "No worker consumes the pdf queue",
        ),
    ],
)
def test_it_fails_when_no_worker_renders_pdfs(client, celery, ping, queues, message):
    _, control = celery
    control.ping.return_value = ping
    control.inspect.return_value.active_queues.return_value = queues
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    body = response.json()
    assert body["PdfWorker"] == f"Unavailable: {message}"
    assert body["Broker()"] == "OK"
