"""The document views: Print (a POST), the document's page and its status, the PDF.

Print in one click: the review page's Print buttons post with htmx (workup/static/print.js
opens the new tab in the click itself, so no popup blocker stops it). The post redirects to the
document as without script (so the access log records the request the same way), and htmx
follows the redirect: the answer is then the status (`_status.html`), which asks again a moment
later (`hx-trigger`, sooner while the document is young) until the PDF is ready; the script then
sends the tab to the PDF and redraws the list of documents from the document's page (a page
view, logged as one: the status's own refreshes show no patient details and are not logged).
Without script, the form posts and the document page shows the
status, reloading itself, then "Open the PDF to print".
"""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Max, Min
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from workup.accounts.rules import clinician_required
from workup.clinic import selectors
from workup.documents import services
from workup.documents.kinds import OptionsInvalid, kind_get
from workup.documents.models import Document

# While a document is being made, its status asks again after this many milliseconds: soon
# while it is young (a handout takes about a tenth of a second in a free worker), then less
# often, so a queue that does not move costs little.
POLL_MS = ((1.5, 150), (5, 300), (30, 1000))  # (younger than seconds, ask again after ms)
POLL_MS_SLOW = 2000
# A queued document waits for those asked for before it: about this long each (a handout's
# render shared by the worker processes), so its status first asks again when its turn may
# have come, not every moment meanwhile (20 GPs printing at once, make bench). Those ahead are
# counted among the last AHEAD_WINDOW documents by id (the primary key's index).
AHEAD_MS = 40
AHEAD_MS_MAX = 1000
AHEAD_WINDOW = 500
# Once documents have been made in the last few seconds, their pace (the time between one
# made and the next, whatever the number and speed of the worker processes) replaces
# AHEAD_MS: a status asks again about when its turn is done, not several times before.
PACE_SECONDS = 3
RENDERING_MS = 75  # a document being made is ready in about a handout's render
DELAYED_AFTER_SECONDS = 10  # queued this long: say printing is delayed


def _document_get(user, public_id) -> Document:
    try:
        return Document.objects.select_related("consultation__patient").get(
            consultation__patient__practice_id=user.practice_id, public_id=public_id
        )
    except Document.DoesNotExist:
        raise Http404("No such document") from None


def _htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


@require_POST
@clinician_required
def document_create(request, consultation_id):
    consultation = selectors.consultation_get(user=request.user, public_id=consultation_id)
    kind = kind_get(request.POST.get("kind"))
    if kind is None:
        return HttpResponseBadRequest("Unknown document.")
    try:
        options = kind.options(request.POST, patient=consultation.patient)
        document = services.document_request(
            consultation=consultation, user=request.user, kind=kind.code, options=options
        )
    except OptionsInvalid as invalid:
        return HttpResponseBadRequest(f"Document options: {invalid}.", content_type="text/plain")
    except services.DocumentRefused as refused:
        if _htmx(request):  # shown in the Print panel, where the GP clicked
            return render(request, "documents/_status.html", {"refused": str(refused)})
        messages.error(request, str(refused))
        return redirect("consultation_review", consultation_id=consultation.public_id)
    except services.PrintingDelayed as delayed:
        if not _htmx(request):  # the status says so itself while the document waits
            messages.warning(
                request,
                "Printing is delayed: the print service is not answering. "
                "The consultation is saved, and the document will be made "
                "as soon as the service is back; this page updates by itself.",
            )
        document = delayed.document
    return redirect("document_detail", document_id=document.public_id)


def _ahead(document: Document) -> int:
    """Documents asked for before this one and not made yet (the queue ahead of it)."""
    return Document.objects.filter(
        pk__lt=document.pk,
        pk__gte=document.pk - AHEAD_WINDOW,
        status__in=(Document.Status.QUEUED, Document.Status.RENDERING),
    ).count()


def _pace_ms(document: Document) -> float | None:
    """Milliseconds between one document made and the next lately (the documents asked for
    before this one and made in the last PACE_SECONDS), or None if fewer than two were."""
    made = Document.objects.filter(
        pk__lt=document.pk,
        pk__gte=document.pk - AHEAD_WINDOW,
        status=Document.Status.READY,
        updated_at__gte=timezone.now() - timedelta(seconds=PACE_SECONDS),
    ).aggregate(n=Count("pk"), first=Min("updated_at"), last=Max("updated_at"))
    if made["n"] < 2 or made["last"] <= made["first"]:
        return None
    return (made["last"] - made["first"]).total_seconds() * 1000 / (made["n"] - 1)


def _status_context(document: Document) -> dict:
    waiting = document.status in (Document.Status.QUEUED, Document.Status.RENDERING)
    age = (timezone.now() - document.updated_at).total_seconds()
    poll_ms = None
    if waiting:
        poll_ms = next((ms for seconds, ms in POLL_MS if age < seconds), POLL_MS_SLOW)
        if document.status == Document.Status.RENDERING and age < POLL_MS[0][0]:
            poll_ms = RENDERING_MS
        elif document.status == Document.Status.QUEUED and poll_ms < AHEAD_MS_MAX:
            ahead = _ahead(document)
            pace = _pace_ms(document) if ahead else None
            if pace is None:
                poll_ms = max(poll_ms, min(AHEAD_MS_MAX, ahead * AHEAD_MS))
            else:  # its turn, and its own render, at the pace documents are being made
                poll_ms = round(min(AHEAD_MS_MAX, max(RENDERING_MS, (ahead + 1) * pace)))
    return {
        "document": document,
        "consultation": document.consultation,
        "poll_ms": poll_ms,
        "delayed": document.status == Document.Status.QUEUED and age >= DELAYED_AFTER_SECONDS,
    }


@clinician_required
def document_detail(request, document_id):
    document = _document_get(request.user, document_id)
    if _htmx(request):  # the status alone (not logged: it shows no patient details)
        return render(request, "documents/_status.html", _status_context(document))
    context = _status_context(document)
    context["listed"] = services.documents_listed(documents=document.consultation.documents.all())
    context["this"] = next(i for i in context["listed"] if i.document.pk == document.pk)
    return render(request, "documents/detail.html", context)


@clinician_required
def document_file(request, document_id):
    document = _document_get(request.user, document_id)
    if document.status != Document.Status.READY or not document.file:
        raise Http404("The document is not ready")
    response = FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{document.kind}.pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{document.kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
