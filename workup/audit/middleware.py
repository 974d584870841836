"""Records an access event for every page of a patient's record that is shown.

The map below is the one place that says which URL is logged as what. An event is written
after the view has answered: for a page, when it was shown (2xx; for `document_file`, the
PDF); for the two form posts whose success is a redirect, when they redirect. A 403, a 404
or a form refused writes nothing. The ids come from the URL (`request.resolver_match`); the
patient and practice of a consultation or document are looked up with one small query.

If the event cannot be written, the request fails (500) rather than show the record unlogged.

tests/audit/test_url_map.py reads the whole URL conf and fails when a URL that takes a
patient, consultation or document id (or an admin URL of a clinical model) is in neither
LOGGED nor NOT_LOGGED, so a new view cannot escape the log.
"""

from urllib.parse import urlsplit

from django.contrib.admin.utils import unquote
from django.urls import Resolver404, resolve

from workup.audit.models import AccessEvent
from workup.clinic.models import Consultation, Patient, Result
from workup.documents.models import Document

A = AccessEvent.Action

# URL name -> action
LOGGED = {
    # workup/clinic/urls.py
    "patient_detail": A.VIEW_PATIENT,
    "consultation_create": A.VIEW_INTAKE,  # the form shows the patient's last visit
    "consultation_edit": A.VIEW_CONSULTATION,
    "consultation_review": A.VIEW_REVIEW,
    "decision_record": A.RECORD_DECISION,  # POST: the item (htmx), or back to the review
    "decisions_accept_all": A.RECORD_DECISION,  # POST: every item it accepted at once
    "consultation_results": A.VIEW_RESULTS,  # the form (200), or saved (a redirect)
    "result_acknowledge": A.ACKNOWLEDGE_RESULT,  # POST, redirects back to the review
    # workup/documents/urls.py: a document row is shared by everyone who asks for the same
    # inputs, so every request and every open is its own event
    "document_create": A.REQUEST_DOCUMENT,  # POST, redirects to the document
    "document_detail": A.VIEW_DOCUMENT,
    "document_file": A.DOWNLOAD_DOCUMENT,
    # the admin (workup/clinic/admin.py): ids there are the patient's row id
    "admin:clinic_patient_change": A.ADMIN_VIEW_PATIENT,
    "admin:clinic_patient_delete": A.ADMIN_VIEW_PATIENT,  # the confirmation page shows it
    "admin:clinic_patient_history": A.ADMIN_VIEW_PATIENT_HISTORY,
    "admin:clinic_patient_simple_history": A.ADMIN_VIEW_PATIENT_HISTORY,  # one past version
}

# URLs that take an id but are deliberately not logged (URL name, or route when unnamed) -> why
NOT_LOGGED = {
    "live_assessment": "the live panel beside the intake form: recomputed by the server on "
    "every keystroke, shows only what the user is typing; the intake page "
    "itself is logged",
    "admin/clinic/patient/<path:object_id>/": "unnamed: only redirects to the change page, "
    "which is logged",
}

# These succeed with a redirect (a POST that did something), not with a page.
DONE_BY_REDIRECT = {A.RECORD_DECISION, A.REQUEST_DOCUMENT, A.VIEW_RESULTS, A.ACKNOWLEDGE_RESULT}
# htmx refreshes of these are not logged: the document page polls its status every second
# while the PDF renders, and the refresh shows the status only (no patient details).
NOT_LOGGED_WHEN_HTMX = {A.VIEW_DOCUMENT}


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            record(request, response)
        except Exception:
            response.close()  # e.g. the PDF's open file
            raise
        return response


def record(request, response) -> AccessEvent | None:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated:
        return None
    action = LOGGED.get(match.view_name)
    if action is None or not _succeeded(action, request, response):
        return None
    ids = _ids(match, action, response)
    if ids is None:
        return None
    return AccessEvent.objects.create(user=user, username=user.get_username(), action=action, **ids)


def _succeeded(action, request, response) -> bool:
    if action in NOT_LOGGED_WHEN_HTMX and request.headers.get("HX-Request"):
        return False
    if 200 <= response.status_code < 300:
        return True
    return action in DONE_BY_REDIRECT and response.status_code in (302, 303)


def _ids(match, action, response) -> dict | None:
    """patient, practice, consultation and document of the URL's record (None: not found)."""
    kwargs = match.kwargs
    if action == A.REQUEST_DOCUMENT:
        document_id = _redirected_document(response)
        if document_id is None:  # refused: sent back to the review page with the reason
            return None
        kwargs = {"document_id": document_id}
    if "document_id" in kwargs:
        row = (
            Document.objects.filter(public_id=kwargs["document_id"])
            .values_list(
                "consultation__patient__public_id",
                "consultation__patient__practice_id",
                "consultation__public_id",
            )
            .first()
        )
        return row and _as_ids(*row, document=kwargs["document_id"])
    if "result_id" in kwargs:
        row = (
            Result.objects.filter(public_id=kwargs["result_id"])
            .values_list("patient__public_id", "patient__practice_id", "consultation__public_id")
            .first()
        )
        return row and _as_ids(row[0], row[1], consultation=row[2])
    if "consultation_id" in kwargs:
        row = (
            Consultation.objects.filter(public_id=kwargs["consultation_id"])
            .values_list("patient__public_id", "patient__practice_id")
            .first()
        )
        return row and _as_ids(*row, consultation=kwargs["consultation_id"])
    if "patient_id" in kwargs:
        row = (
            Patient.objects.filter(public_id=kwargs["patient_id"])
            .values_list("public_id", "practice_id")
            .first()
        )
        return row and _as_ids(*row)
    # the admin's pages of clinic.Patient: the row id, by name or first in the URL
    object_id = kwargs.get("object_id") or (match.args[0] if match.args else None)
    try:
        pk = int(unquote(object_id or ""))
    except ValueError:
        return None
    row = (
        Patient.objects.filter(pk=pk).values_list("public_id", "practice_id").first()
        or Patient.history.filter(id=pk).values_list("public_id", "practice_id").first()
    )
    return row and _as_ids(*row)


def _as_ids(patient, practice_id, consultation=None, document=None) -> dict:
    return {
        "patient": patient,
        "practice_id": practice_id,
        "consultation": consultation,
        "document": document,
    }


def _redirected_document(response):
    try:
        target = resolve(urlsplit(response.get("Location", "")).path)
    except Resolver404:
        return None
    return target.kwargs.get("document_id") if target.view_name == "document_detail" else None
