"""Documents: requested by a view (a row, queued on commit), rendered by a Celery task.

The task takes an id and is idempotent: rendering a ready document again does nothing, and
the same inputs always map to the same row (its fingerprint), so a double click or a retried
task never makes a duplicate.
"""

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from pypdf import PdfReader

from workup.accounts.models import User
from workup.clinic.models import Consultation
from workup.documents import pdf
from workup.documents.content import DocumentInput
from workup.documents.kinds import (
    KINDS,
    TEMPLATE_VERSION,
    DocumentKind,
    DocumentRefused,
    accepted_decisions,
)
from workup.documents.models import Document
from workup.engine import DECIDABLE
from workup.knowledge.loading import knowledge_base

logger = logging.getLogger(__name__)


def document_input(consultation: Consultation, *, signer: User | None = None) -> DocumentInput:
    """What a document is made from. `signer`: the GP the document speaks for (a letter is
    signed by the GP who accepted the referral); else the clinician of the consultation. The
    practice's letterhead, the signer's role and registration number, and the patient's
    allergies (as confirmed at this visit) are printed on every clinical document."""
    patient = consultation.patient
    practice = patient.practice
    clinician = signer or consultation.clinician
    accepted = {kind: [] for kind in DECIDABLE}
    for d in consultation.decisions.all():
        if d.accepted:
            accepted[d.kind].append(d.code)
    return DocumentInput(
        intake=consultation.intake,
        assessment=consultation.assessment,
        accepted=accepted,
        patient_name=patient.name,
        date_of_birth=patient.date_of_birth,
        sex=patient.get_sex_display(),
        nhs_number=patient.nhs_number,
        mrn=patient.mrn,
        day=consultation.date,
        clinician=clinician.display_name,
        practice=str(practice),
        practice_address=practice.address,
        practice_telephone=practice.telephone,
        practice_ods_code=practice.ods_code,
        clinician_role=clinician.role_title,
        clinician_registration=clinician.registration,
        allergies=getattr(patient, "allergies", ""),
        no_known_allergies=getattr(patient, "no_known_allergies", False),
        symptoms_for=consultation.get_symptoms_for_display() if consultation.symptoms_for else "",
        venous_surgery=consultation.venous_surgery,
        allergies_checked=getattr(consultation, "allergies_confirmed", None),
    )


def _fingerprint(kind: str, options: dict, doc: DocumentInput) -> str:
    payload = {
        "kind": kind,
        "options": options,
        "template": TEMPLATE_VERSION,
        "knowledge_base": knowledge_base().version,
        "input": {**doc.__dict__, "accepted": {k: sorted(v) for k, v in doc.accepted.items()}},
    }
    raw = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


class PrintingDelayed(Exception):
    """The document is saved, queued, but the print service (the broker) cannot take it now.
    A sweep queues it again as soon as the broker is back (tasks.requeue_stale_documents)."""

    def __init__(self, document: Document):
        super().__init__("Printing is delayed")
        self.document = document


def document_signer(*, consultation: Consultation, kind: DocumentKind, options: dict):
    """The GP a document speaks for, or DocumentRefused if the GP's decisions do not allow it
    (the kind says which decisions it needs)."""
    return kind.signer(accepted=accepted_decisions(consultation.decisions.all()), options=options)


def document_request(
    *, consultation: Consultation, user: User, kind: str, options: dict
) -> Document:
    """The document for these inputs, queued for rendering unless it exists already.
    Raises DocumentRefused when the user or the GP's decisions do not allow it, and
    PrintingDelayed (after saving it) when the broker cannot be reached."""
    document_kind = KINDS[kind]
    if not document_kind.may_print(user):
        raise DocumentRefused("Documents are printed by the practice's GPs and nurses.")
    signer = document_signer(consultation=consultation, kind=document_kind, options=options)
    fingerprint = _fingerprint(kind, options, document_input(consultation, signer=signer))
    try:
        with transaction.atomic():
            document, created = Document.objects.get_or_create(
                consultation=consultation,
                kind=kind,
                fingerprint=fingerprint,
                defaults={"options": options, "requested_by": user},
            )
            if created or document.status == Document.Status.FAILED:
                if not created:
                    document.status, document.error = Document.Status.QUEUED, ""
                    document.save(update_fields=["status", "error", "updated_at"])
                document_queue(document=document)
            elif document.status == Document.Status.READY:
                # printed again from the same inputs: the same PDF, now the current copy
                # (`documents_listed`), even if another copy was made in between
                document.updated_at = timezone.now()
                Document.objects.filter(pk=document.pk).update(updated_at=document.updated_at)
    except BrokerUnavailable:
        raise PrintingDelayed(document) from None
    return document


class BrokerUnavailable(Exception):
    pass


def document_queue(*, document: Document) -> None:
    """Send the render task once the row is committed (never for a row that is not there)."""
    transaction.on_commit(lambda: _send(document.pk))


def _send(document_id: int) -> None:
    from kombu.exceptions import OperationalError

    from workup.documents.tasks import render_document

    try:
        render_document.delay(document_id)
    except OperationalError as exc:
        logger.warning("Broker unavailable; document %s stays queued", document_id)
        raise BrokerUnavailable() from exc


def documents_requeue_stale(*, older_than_seconds: int | None = None) -> int:
    """Queue again the documents that never reached a worker (broker down when the GP clicked
    Print) or whose worker died: those queued for longer than `older_than_seconds` (default
    settings.DOCUMENT_REQUEUE_SECONDS). The render task is idempotent, so a spare send is
    harmless."""
    if older_than_seconds is None:
        older_than_seconds = settings.DOCUMENT_REQUEUE_SECONDS
    now = timezone.now()
    # a render in progress may take up to the task's hard time limit
    rendering_limit = older_than_seconds + settings.CELERY_TASK_TIME_LIMIT
    stale = Document.objects.filter(
        Q(status=Document.Status.QUEUED, updated_at__lt=now - timedelta(seconds=older_than_seconds))
        | Q(
            status=Document.Status.RENDERING,
            updated_at__lt=now - timedelta(seconds=rendering_limit),
        )
    )
    count = 0
    for document_id in stale.values_list("pk", flat=True):
        _send(document_id)
        count += 1
    return count


def document_html(document: Document) -> str:
    """The document's HTML, from the consultation as it is now. A letter whose referral is no
    longer accepted is not made (DocumentRefused)."""
    kind = KINDS[document.kind]
    signer = document_signer(
        consultation=document.consultation, kind=kind, options=document.options
    )
    doc = document_input(document.consultation, signer=signer)
    return kind.html(doc, knowledge_base(), document.options)


def document_render(*, document_id: int) -> Document:
    """Render one document. Safe to run twice: a ready document is left as it is."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update()
            .select_related("consultation__patient__practice", "consultation__clinician")
            .get(pk=document_id)
        )
        if document.status == Document.Status.READY and document.file:
            return document
        document.status = Document.Status.RENDERING
        document.save(update_fields=["status", "updated_at"])
    try:
        data = pdf.render_pdf(document_html(document))
    except DocumentRefused as refused:  # the decision changed after the document was asked for
        document.status, document.error = Document.Status.FAILED, str(refused)
        document.save(update_fields=["status", "error", "updated_at"])
        return document
    except Exception as exc:  # the GP sees why, without patient data
        document.status = Document.Status.FAILED
        document.error = (
            f"The document could not be made ({exc.__class__.__name__}). "
            "Try again; if it fails again, tell the practice admin."
        )
        document.save(update_fields=["status", "error", "updated_at"])
        logger.exception("Rendering document %s failed", document.pk)  # ids only, no patient data
        return document
    # the layout's count (pdf.Pdf); read back only from a render_pdf that does not give it
    pages = getattr(data, "pages", None) or len(PdfReader(io.BytesIO(data)).pages)
    name = f"{document.public_id}.pdf"
    if document.file:
        document.file.delete(save=False)
    document.file.save(name, ContentFile(data), save=False)
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.pages = pages
    document.status = Document.Status.READY
    document.error = ""
    document.updated_at = timezone.now()
    document.save()
    return document


@dataclass(frozen=True)
class ListedDocument:
    """One line of a consultation's list of documents (the Print panel, the document page)."""

    document: Document
    at: datetime  # when it was last printed: made, or asked for again from the same inputs
    superseded_by: Document | None  # the newest copy of the same kind and options, if not this

    @property
    def current(self) -> bool:
        return self.superseded_by is None


def documents_listed(*, documents) -> list[ListedDocument]:
    """The documents, newest first, each marked current or superseded: of the copies of one kind
    with the same options (a handout in Spanish, large print; a letter to the vascular
    service), the one printed last is current and the older ones, made from inputs that have
    changed since (a decision, a result), are superseded by it."""
    documents = sorted(documents, key=lambda d: d.updated_at, reverse=True)
    newest: dict[tuple[str, str], Document] = {}
    listed = []
    for document in documents:
        key = (document.kind, json.dumps(document.options, sort_keys=True, default=str))
        current = newest.setdefault(key, document)
        listed.append(
            ListedDocument(
                document=document,
                at=document.updated_at,
                superseded_by=None if current is document else current,
            )
        )
    return listed
