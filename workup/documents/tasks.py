from celery import shared_task

from workup.documents.services import document_render


@shared_task(acks_late=True)
def render_document(document_id: int) -> str:
    """Takes an id and calls the service; idempotent, so a redelivered task is harmless."""
    return document_render(document_id=document_id).status
