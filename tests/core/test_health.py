"""GET /health/ for load balancers: no login, no patient data, 500 when something is down."""
from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_database_broker_and_worker_without_login(client):
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    body = response.json()
    assert set(body.values()) == {"OK"}
    assert any("Database" in k for k in body) and "Broker()" in body and "PdfWorker" in body


def test_it_fails_when_the_broker_cannot_be_reached(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch("workup.core.health.celery_app.connection_for_write",
                    side_effect=OSError("refused")), \
            mock.patch("workup.core.health.PdfWorker.run"):
        response = client.get("/health/?format=json")
    assert response.status_code == 500
    assert response.json()["Broker()"] == "Unavailable: The Celery broker cannot be reached"
