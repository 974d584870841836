"""Reads of clinical records, always within the user's own practice."""
from django.db.models import Count, Max, Prefetch
from django.http import Http404

from workup.accounts.models import User
from workup.clinic.models import Consultation, Decision, Patient


def patient_list(*, user: User):
    return (Patient.objects.filter(practice_id=user.practice_id)
            .annotate(last_seen=Max("consultations__date"),
                      consultation_count=Count("consultations")))


def patient_get(*, user: User, public_id) -> Patient:
    """The patient if they belong to the user's practice; 404 otherwise (never 403, so an
    outsider learns nothing about whether the record exists)."""
    try:
        return Patient.objects.get(practice_id=user.practice_id, public_id=public_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient") from None


def consultation_get(*, user: User, public_id) -> Consultation:
    try:
        return (Consultation.objects.select_related("patient", "clinician")
                .prefetch_related(Prefetch("decisions",
                                           queryset=Decision.objects.select_related("decided_by")))
                .get(patient__practice_id=user.practice_id, public_id=public_id))
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None


def consultation_history(*, patient: Patient):
    """The patient's consultations, oldest first, with decisions and their authors."""
    return (patient.consultations.select_related("clinician")
            .prefetch_related(Prefetch("decisions",
                                       queryset=Decision.objects.select_related("decided_by")))
            .order_by("date", "created_at"))


def consultation_latest(*, patient: Patient) -> Consultation | None:
    return patient.consultations.order_by("-date", "-created_at").first()
