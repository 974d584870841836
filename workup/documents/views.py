from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from workup.accounts.rules import clinician_required
from workup.clinic import selectors
from workup.documents import services
from workup.documents.kinds import OptionsInvalid, kind_get
from workup.documents.models import Document


def _document_get(user, public_id) -> Document:
    try:
        return Document.objects.select_related("consultation__patient").get(
            consultation__patient__practice_id=user.practice_id, public_id=public_id
        )
    except Document.DoesNotExist:
        raise Http404("No such document") from None


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
        messages.error(request, str(refused))
        return redirect("consultation_review", consultation_id=consultation.public_id)
    except services.PrintingDelayed as delayed:
        messages.warning(
            request,
            "Printing is delayed: the print service is not answering. "
            "The consultation is saved, and the document will be made "
            "as soon as the service is back; this page updates by itself.",
        )
        document = delayed.document
    return redirect("document_detail", document_id=document.public_id)


@clinician_required
def document_detail(request, document_id):
    document = _document_get(request.user, document_id)
    template = (
        "documents/_status.html" if request.headers.get("HX-Request") else "documents/detail.html"
    )
    return render(request, template, {"document": document, "consultation": document.consultation})


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
