"""Writes to clinical records. Each service takes keyword-only arguments.

Assessments always come from the engine (`workup.engine.recommend`); nothing here
re-implements a rule.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from workup.accounts import rules
from workup.accounts.models import Practice, User
from workup.clinic.models import Consultation, Decision, Patient
from workup.engine import DECIDABLE, IntakeError, recommend
from workup.knowledge.loading import knowledge_base


def patient_create(
    *,
    practice: Practice,
    name: str,
    date_of_birth: date,
    sex: str,
    nhs_number: str = "",
    mrn: str = "",
    language: str = "en",
) -> Patient:
    return Patient.objects.create(
        practice=practice,
        name=name,
        date_of_birth=date_of_birth,
        sex=sex,
        nhs_number=nhs_number,
        mrn=mrn,
        language=language,
    )


def patient_intake(
    *,
    patient: Patient,
    day: date,
    cramps: dict,
    pregnancy: str = "none",
    findings=(),
    conditions=(),
    medications=(),
    legs: dict | None = None,
    **later,
) -> dict:
    """The contract intake of `patient` seen on `day`. Age and sex always come from the record
    (the age on that day), never typed again: the intake form, the demo data and the tests all
    build an intake here. `later`: contract 2's results, previous and quinine_started."""
    return {
        "age": patient.age_on(day),
        "sex": patient.sex,
        "pregnancy": pregnancy,
        "cramps": cramps,
        "findings": list(findings),
        "conditions": list(conditions),
        "medications": list(medications),
        "legs": {"left": [], "right": [], **(legs or {})},
        **later,
    }


@transaction.atomic
def consultation_create(
    *, patient: Patient, clinician: User, intake: dict, day: date | None = None, submission=None
) -> Consultation:
    """Assess the intake (IntakeError if it is invalid) and save the consultation with it.

    `submission` is the intake page's id for this save: the same id again (a double click, a
    resent form) returns the consultation the first save made, for the same patient."""
    if submission is not None:
        existing = Consultation.objects.filter(submission=submission).first()
        if existing is not None:
            if existing.patient_id != patient.pk:
                raise IntakeError("submission", "belongs to another consultation")
            return existing
    kb = knowledge_base()
    assessment = recommend(intake, kb)
    try:
        with transaction.atomic():
            return Consultation.objects.create(
                patient=patient,
                clinician=clinician,
                date=day or date.today(),
                intake=intake,
                assessment=assessment,
                knowledge_base_version=kb.version,
                submission=submission,
            )
    except IntegrityError:  # the other click won the race
        existing = Consultation.objects.filter(submission=submission, patient=patient).first()
        if submission is None or existing is None:
            raise
        return existing


class ConsultationChanged(Exception):
    """Someone else saved the consultation after this user opened it."""

    def __init__(self, current: Consultation):
        super().__init__("The consultation was changed by someone else")
        self.current = current


@transaction.atomic
def consultation_update_intake(
    *, consultation: Consultation, intake: dict, user: User, expected_version: int
) -> Consultation:
    """Re-assess a changed intake, if nobody else saved it since `expected_version` (else
    ConsultationChanged). Decisions on items no longer recommended are removed (the history
    keeps them)."""
    kb = knowledge_base()
    assessment = recommend(intake, kb)
    current = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if current.version != expected_version:
        raise ConsultationChanged(current)
    consultation.assessment = assessment
    consultation.intake = intake
    consultation.knowledge_base_version = kb.version
    consultation.version = current.version + 1
    consultation.updated_by = user
    consultation.save()
    still = {(kind, item["code"]) for kind in DECIDABLE for item in consultation.assessment[kind]}
    for decision in consultation.decisions.all():
        if (decision.kind, decision.code) not in still:
            decision.delete()
    return consultation


class DecisionError(ValueError):
    """A decision refused; `field` is the posted field it is about (kind, code or reason)."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


@transaction.atomic
def decision_record(
    *,
    consultation: Consultation,
    user: User,
    kind: str,
    code: str,
    accepted: bool,
    reason: str = "",
) -> Decision:
    """Record a GP's decision on one recommended item; a decline needs a reason."""
    if not rules.user_can_decide(user):
        raise PermissionDenied("Only a GP can accept or decline recommendations.")
    if kind not in DECIDABLE:
        raise DecisionError("That item is not part of this assessment.", field="kind")
    if code not in {i["code"] for i in consultation.assessment[kind]}:
        raise DecisionError("That item is not part of this assessment.", field="code")
    reason = reason.strip()
    if not accepted and not reason:
        raise DecisionError("Give a reason for declining.", field="reason")
    if len(reason) > Decision.MAX_REASON_LENGTH:
        raise DecisionError(
            f"Keep the reason for declining to at most {Decision.MAX_REASON_LENGTH:,} characters.",
            field="reason",
        )
    decision, _ = Decision.objects.update_or_create(
        consultation=consultation,
        kind=kind,
        code=code,
        defaults={"accepted": accepted, "reason": reason, "decided_by": user},
    )
    return decision
