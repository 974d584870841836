"""Every demo patient's documents print: handout, referral letters and lab request."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from workup.clinic.models import Consultation
from workup.documents import services
from workup.documents.kinds import offers_for
from workup.documents.models import Document

pytestmark = pytest.mark.django_db


def test_every_demo_consultation_prints_all_its_documents(django_capture_on_commit_callbacks):
    call_command("seed_demo")
    printed = 0
    for consultation in Consultation.objects.select_related("patient", "clinician"):
        gp = consultation.clinician
        for kind in ("investigations", "referrals", "differentials"):
            for item in consultation.assessment[kind]:
                services_decide(consultation, gp, kind, item["code"])
        offers = offers_for(patient=consultation.patient, decisions=consultation.decisions.all())
        letters = {o.fixed["to"] for o in offers if o.kind.code == "referral"}
        assert letters == {
            r["code"]
            for r in consultation.assessment["referrals"]
            if r["code"] in ("vascular", "neurology")
        }
        for offer in offers:
            kind = offer.kind.code
            options = offer.kind.options(offer.fixed, patient=consultation.patient)
            with django_capture_on_commit_callbacks(execute=True):
                document = services.document_request(
                    consultation=consultation, user=gp, kind=kind, options=options
                )
            document.refresh_from_db()
            assert document.status == Document.Status.READY, (consultation.patient.name, kind)
            pages = len(PdfReader(io.BytesIO(document.file.read())).pages)
            assert pages <= (2 if kind == "handout" else 1), (consultation.patient.name, kind)
            printed += 1
    assert printed >= 40


def services_decide(consultation, gp, kind, code):
    from workup.clinic.services import decision_record

    decision_record(consultation=consultation, user=gp, kind=kind, code=code, accepted=True)
