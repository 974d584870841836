from celery import shared_task

from workup.documents.services import document_render, documents_requeue_stale


@shared_task(acks_late=True)
def render_document(document_id: int) -> str:
    """Takes an id and calls the service; idempotent, so a redelivered task is harmless."""
    return document_render(document_id=document_id).status


@shared_task
def requeue_stale_documents() -> int:
    """Run by Celery beat (settings.DOCUMENT_REQUEUE_SECONDS): documents the broker never took
    get queued again."""
    return documents_requeue_stale()
