"""The access log: who looked at which patient's record, and when.

One row per page of a patient's record shown to someone (and per document asked for or
opened). Rows are only ever added: the model and its querysets refuse to change or delete
them. They hold public ids only (never a name, never a row id of a patient), and a copy of
the username so the log stays readable whatever happens to the account.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from workup.accounts.models import Practice


class AppendOnlyError(Exception):
    """The access log is append-only: an event cannot be changed or deleted."""

    def __init__(self, what: str = "changed or deleted"):
        super().__init__(f"The access log is append-only: events cannot be {what}.")


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("updated")

    def delete(self):
        raise AppendOnlyError("deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("updated")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AppendOnlyError("updated")

    def _raw_delete(self, using):
        raise AppendOnlyError("deleted")


class AccessEvent(models.Model):
    class Action(models.TextChoices):
        # Names contain "view" for a page shown and "download" for a document's file.
        VIEW_PATIENT = "view_patient", "Opened the patient's page"
        VIEW_INTAKE = "view_intake", "Opened the intake form for a new consultation"
        VIEW_CONSULTATION = "view_consultation", "Opened a consultation's intake"
        VIEW_REVIEW = "view_review", "Opened a consultation's workup review"
        RECORD_DECISION = "record_decision", "Accepted or declined a recommendation"
        VIEW_RESULTS = "view_results", "Opened or saved a consultation's results"
        ACKNOWLEDGE_RESULT = "acknowledge_result", "Acknowledged a result"
        REQUEST_DOCUMENT = "request_document", "Asked for a document"
        VIEW_DOCUMENT = "view_document", "Opened a document's page"
        DOWNLOAD_DOCUMENT = "download_document", "Opened a document's PDF"
        ADMIN_VIEW_PATIENT = "admin_view_patient", "Opened the patient in the admin"
        ADMIN_VIEW_PATIENT_HISTORY = (
            "admin_view_patient_history",
            "Opened the patient's history in the admin",
        )

    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="access_events",
        editable=False,
    )
    username = models.CharField(max_length=150, editable=False)
    # the practice whose record was seen
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, related_name="access_events", editable=False
    )
    action = models.CharField(max_length=40, choices=Action.choices, editable=False)
    patient = models.UUIDField("patient (public id)", db_index=True, editable=False)
    consultation = models.UUIDField(
        "consultation (public id)", null=True, blank=True, editable=False
    )
    document = models.UUIDField("document (public id)", null=True, blank=True, editable=False)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        base_manager_name = "objects"

    def __str__(self):
        return f"{self.username} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *, force_insert=False, force_update=False, using=None, update_fields=None):
        if not self._state.adding or force_update or update_fields is not None:
            raise AppendOnlyError("updated")
        if not self.username:
            self.username = self.user.username
        # an INSERT always: a new object given an existing row's id fails instead of
        # overwriting it
        super().save(force_insert=True, using=using)

    def delete(self, using=None, keep_parents=False):
        raise AppendOnlyError("deleted")
