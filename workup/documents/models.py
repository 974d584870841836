import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models

from workup.clinic.models import Consultation
from workup.documents.kinds import KINDS, kind_choices


def document_storage():
    """Documents are private: stored outside the static and media roots, served by a view that
    checks the user's practice."""
    return FileSystemStorage(location=settings.DOCUMENT_ROOT)


class Document(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=kind_choices)
    options = models.JSONField(default=dict, blank=True)  # the kind's options (kinds.py)
    # sha256 of everything the document is made from: the same inputs give the same row
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    file = models.FileField(storage=document_storage, upload_to="documents/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "kind", "fingerprint"], name="one_document_per_input"
            )
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def title(self) -> str:
        return KINDS[self.kind].title(self.options)
