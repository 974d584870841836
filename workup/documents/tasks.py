import logging
import os
from datetime import date

from celery import shared_task
from celery.signals import worker_process_init
from django.template.loader import render_to_string

from workup.documents import pdf
from workup.documents.services import document_render, documents_requeue_stale

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def render_document(document_id: int) -> str:
    """Takes an id and calls the service; idempotent, so a redelivered task is harmless."""
    return document_render(document_id=document_id).status


@shared_task
def requeue_stale_documents() -> int:
    """Run by Celery beat (settings.DOCUMENT_REQUEUE_SECONDS): documents the broker never took
    get queued again."""
    return documents_requeue_stale()


# A worker process gives way to the web's (os.nice): the pages, and the status and PDF a GP
# waits for, are answered first; a PDF uses what CPU is left (make bench: 20 GPs printing at
# once on two cores).
WORKER_NICENESS = 5


@worker_process_init.connect
def warm_worker(**kwargs):
    """A worker process gives way to the web's and loads the documents' fonts as soon as it
    starts (pdf.py keeps them for the process), so the first GP to print after a restart or a
    recycled process does not wait for them: a page of the print base's fonts, with no one's
    data on it."""
    try:
        os.nice(WORKER_NICENESS)
    except OSError:  # not allowed here: the process keeps its priority
        logger.info("The document worker keeps its priority")
    try:
        context = {"doc": {"day": date(2026, 1, 1)}, "kb_version": "warm-up"}
        html = render_to_string("documents/_print_base.html", context)
        pdf.render_pdf(html.replace("<body>", "<body><p>Leg cramps <strong>workup</strong></p>"))
    except Exception:  # the first document will load them instead
        logger.warning("Loading the documents' fonts at worker start failed", exc_info=True)
