"""Health checks for load balancers: the database, the Celery broker and a PDF worker.

GET /health/ answers 200 when all are well and 500 otherwise (JSON with ?format=json), with
no login and no patient data. In the embedded default (tasks in-process) there is no broker
or worker to ask, and the checks say so.
"""

import dataclasses
import datetime

from django.conf import settings
from health_check.base import HealthCheck
from health_check.contrib.celery import Ping
from health_check.exceptions import ServiceUnavailable

from workup.celery import app as celery_app


@dataclasses.dataclass
class Broker(HealthCheck):
    """The broker accepts a connection (tasks can be queued)."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return  # embedded default: tasks run in-process
        try:
            with celery_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:
            raise ServiceUnavailable("The Celery broker cannot be reached") from exc


@dataclasses.dataclass
class PdfWorker(Ping):
    """A worker answers a ping and consumes the PDF queue."""

    timeout: datetime.timedelta = dataclasses.field(
        default=datetime.timedelta(seconds=2), repr=False
    )

    def run(self):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return  # embedded default: documents render in the web process
        super().run()

    def check_active_queues(self, *active_workers):
        active = {
            q.get("name")
            for queues in (self.app.control.inspect(active_workers).active_queues() or {}).values()
            for q in queues
        }
        if "pdf" not in active:
            raise ServiceUnavailable("No worker consumes the pdf queue")

    def __repr__(self):
        return "PdfWorker"


CHECKS = ["health_check.checks.Database", Broker, (PdfWorker, {"app": celery_app})]
