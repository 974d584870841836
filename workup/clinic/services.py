"""Writes to clinical records. Each service takes keyword-only arguments.

Assessments always come from the engine (`workup.engine.recommend`); nothing here
re-implements a rule.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from workup.accounts import rules
from workup.accounts.models import Practice, User
from workup.clinic import selectors
from workup.clinic.models import Consultation, Decision, Patient, Result
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
    allergies: str = "",
    no_known_allergies: bool = False,
) -> Patient:
    return Patient.objects.create(
        practice=practice,
        name=name,
        date_of_birth=date_of_birth,
        sex=sex,
        nhs_number=nhs_number,
        mrn=mrn,
        language=language,
        allergies=allergies.strip(),
        no_known_allergies=no_known_allergies,
    )


@transaction.atomic
def allergies_confirm(
    *, consultation: Consultation, allergies: str, no_known_allergies: bool
) -> None:
    """The allergies were checked with the patient at this visit: the record keeps them as
    confirmed (an edit updates it; the history keeps the old version)."""
    consultation.patient.record_allergies(
        allergies=allergies, no_known_allergies=no_known_allergies
    )
    consultation.confirm_allergies()


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


LETTER_DETAILS = ("symptoms_for", "venous_surgery")  # Consultation fields, not in the intake


def _letter_details(details: dict | None) -> dict:
    return {name: (details or {}).get(name, "") or "" for name in LETTER_DETAILS}


@transaction.atomic
def consultation_create(
    *,
    patient: Patient,
    clinician: User,
    intake: dict,
    day: date | None = None,
    submission=None,
    letter_details: dict | None = None,
) -> Consultation:
    """Assess the intake (IntakeError if it is invalid) and save the consultation with it.
    `letter_details`: what the referral letters print beside the intake (LETTER_DETAILS).

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
    day = day or date.today()
    try:
        with transaction.atomic():
            consultation = Consultation.objects.create(
                patient=patient,
                clinician=clinician,
                date=day,
                intake=intake,
                assessment=assessment,
                knowledge_base_version=kb.version,
                submission=submission,
                **_letter_details(letter_details),
            )
            # the patient list's order (never earlier: a visit entered late for an old date)
            Patient.objects.filter(pk=patient.pk).filter(
                Q(last_seen__isnull=True) | Q(last_seen__lt=day)
            ).update(last_seen=day)
            if patient.last_seen is None or patient.last_seen < day:
                patient.last_seen = day
            return consultation
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
    *,
    consultation: Consultation,
    intake: dict,
    user: User,
    expected_version: int,
    letter_details: dict | None = None,
) -> Consultation:
    """Re-assess a changed intake, if nobody else saved it since `expected_version` (else
    ConsultationChanged). Decisions on items no longer recommended are removed (the history
    keeps them). `letter_details`, if given, replace the consultation's (LETTER_DETAILS)."""
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
    if letter_details is not None:
        for name, value in _letter_details(letter_details).items():
            setattr(consultation, name, value)
    consultation.save()
    still = {
        (kind, item["code"]) for kind in DECIDABLE for item in consultation.assessment.get(kind, [])
    }
    resulted = set(consultation.results.values_list("investigation", flat=True))
    for decision in consultation.decisions.all():
        if (decision.kind, decision.code) in still:
            continue
        if decision.kind == "investigations" and decision.code in resulted:
            continue  # the test was done: its request stays with its result
        decision.delete()
    return consultation


@transaction.atomic
def consultation_refresh(*, consultation: Consultation, user: User) -> Consultation:
    """Bring the intake's record-borne fields (results, earlier requests, quinine start) up to
    date and re-assess if they changed. The GP's decisions are kept: a request made stays made.
    """
    current = Consultation.objects.select_for_update().get(pk=consultation.pk)
    history = selectors.intake_history(
        patient=current.patient,
        day=current.date,
        medications=current.intake.get("medications", []),
        consultation=current,
    )
    intake = {
        **{k: v for k, v in current.intake.items() if k not in selectors.HISTORY_FIELDS},
        **history,
    }
    if intake == current.intake:
        return current
    kb = knowledge_base()
    current.assessment = recommend(intake, kb)
    current.intake = intake
    current.knowledge_base_version = kb.version
    current.version += 1
    current.updated_by = user
    current.save()
    return current


def _refresh_latest(*, consultation: Consultation, user: User) -> None:
    """A later visit lists what was requested before and carries results: keep it current."""
    latest = selectors.consultation_latest(patient=consultation.patient)
    if latest is not None and latest.pk != consultation.pk:
        consultation_refresh(consultation=latest, user=user)


class ResultError(ValueError):
    """A result refused; `field` is the form field it is about."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ResultEntry:
    """One result as typed: `value` a number (numeric results) or positive/negative, None for
    no result (one already recorded is removed; the history keeps it)."""

    code: str
    value: Decimal | str | None
    taken_on: date | None = None
    upper_limit: Decimal | None = None


@transaction.atomic
def results_record(*, consultation: Consultation, user: User, entries) -> Consultation:
    """Record the results of tests accepted at `consultation`, then re-assess it (and the
    patient's latest visit, which carries them). Returns the consultation re-assessed."""
    if not rules.user_is_clinician(user):
        raise PermissionDenied("Only a GP or a nurse records results.")
    kb = knowledge_base()
    requested = selectors.results_requested(consultation=consultation)
    answers = {code: inv for inv, codes in requested.items() for code in codes}
    recorded = {r.code: r for r in consultation.results.all()}
    for entry in entries:
        if entry.code not in answers:
            raise ResultError("No accepted test here is answered by that result.", field="code")
        existing = recorded.get(entry.code)
        if entry.value is None:
            if existing is not None:
                existing.delete()
            continue
        definition = kb.results[entry.code]
        number, coded = _result_value(definition, entry)
        if entry.taken_on is None:
            raise ResultError("Give the date the sample was taken.", field=entry.code)
        if entry.taken_on < consultation.date or entry.taken_on > date.today():
            raise ResultError(
                f"The date must be from {consultation.date:%-d %b %Y} (when it was requested) "
                "to today.",
                field=entry.code,
            )
        upper = entry.upper_limit if definition.upper_limit is not None else None
        values = {
            "number": number,
            "coded": coded,
            "upper_limit": upper,
            "taken_on": entry.taken_on,
        }
        if existing is None:
            Result.objects.create(
                patient=consultation.patient,
                consultation=consultation,
                investigation=answers[entry.code],
                code=entry.code,
                recorded_by=user,
                **values,
            )
        elif any(getattr(existing, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(existing, k, v)
            existing.acknowledged_by = existing.acknowledged_at = None  # a new value: look again
            existing.save()
    refreshed = consultation_refresh(consultation=consultation, user=user)
    _result_flags(consultation=refreshed)
    _refresh_latest(consultation=refreshed, user=user)
    return refreshed


def _result_value(definition, entry: ResultEntry) -> tuple[Decimal | None, str]:
    if definition.kind == "coded":
        if entry.value not in Result.Coded.values:
            raise ResultError("Choose positive or negative.", field=entry.code)
        return None, entry.value
    top = Decimal(str(definition.maximum))
    if not isinstance(entry.value, Decimal) or not Decimal(0) <= entry.value <= top:
        raise ResultError(
            f"Enter a number from 0 to {definition.maximum:,.10g} {definition.unit}.",
            field=entry.code,
        )
    return entry.value, ""


def _result_flags(*, consultation: Consultation) -> None:
    """Each result's flag as the engine read it, and whether a GP must acknowledge it."""
    kb = knowledge_base()
    flags = {r["code"]: r["flag"] for r in consultation.assessment.get("results", [])}
    for result in consultation.results.all():
        flag = flags.get(result.code, "")
        alert = flag == "critical" or (
            bool(result.coded) and result.coded in kb.results[result.code].acknowledge
        )
        if (result.flag, result.must_acknowledge) != (flag, alert):
            result.flag, result.must_acknowledge = flag, alert
            result.save(update_fields=["flag", "must_acknowledge", "updated_at"])


@transaction.atomic
def result_acknowledge(*, result: Result, user: User) -> Result:
    """A GP has seen a result that must be acknowledged (and acts on it)."""
    if not rules.user_can_decide(user):
        raise PermissionDenied("Only a GP acknowledges a result.")
    if result.acknowledged_at is None:
        result.acknowledged_by = user
        result.acknowledged_at = timezone.now()
        result.save(update_fields=["acknowledged_by", "acknowledged_at", "updated_at"])
    return result


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
    """Record a GP's decision on one recommended item; a decline needs a reason. The items
    decided with it (the venous duplex with the vascular referral: selectors.decision_groups)
    get the same decision, so the documents, which read accepted decisions by code, find
    them."""
    if not rules.user_can_decide(user):
        raise PermissionDenied("Only a GP can accept or decline recommendations.")
    if kind not in DECIDABLE:
        raise DecisionError("That item is not part of this assessment.", field="kind")
    item = next((i for i in consultation.assessment.get(kind, []) if i["code"] == code), None)
    if item is None:
        raise DecisionError("That item is not part of this assessment.", field="code")
    if item.get("already_requested"):
        raise DecisionError(
            f"Already requested on {date.fromisoformat(item['already_requested']):%-d %b %Y} "
            "and not yet answered: it is not requested again.",
            field="code",
        )
    if not accepted and _has_result(consultation, kind, code):
        raise DecisionError(
            "A result is recorded for this test, so it stays accepted.", field="code"
        )
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
    for f_kind, f_code in selectors.decision_groups(consultation.assessment).get((kind, code), ()):
        if not accepted and _has_result(consultation, f_kind, f_code):
            continue  # a test with its result stays accepted
        Decision.objects.update_or_create(
            consultation=consultation,
            kind=f_kind,
            code=f_code,
            defaults={"accepted": accepted, "reason": reason, "decided_by": user},
        )
    _refresh_latest(consultation=consultation, user=user)  # its earlier requests
    return decision


def _has_result(consultation: Consultation, kind: str, code: str) -> bool:
    return kind == "investigations" and consultation.results.filter(investigation=code).exists()


@transaction.atomic
def decision_undo(*, consultation: Consultation, user: User, kind: str, code: str) -> None:
    """Remove a GP's decision on one item, and on the items decided with it: the item waits for
    a decision again. The history keeps the decision removed. A test whose result is recorded
    stays accepted."""
    if not rules.user_can_decide(user):
        raise PermissionDenied("Only a GP can accept or decline recommendations.")
    decision = Decision.objects.filter(consultation=consultation, kind=kind, code=code).first()
    if decision is None:
        raise DecisionError("That item has no decision to undo.", field="code")
    if _has_result(consultation, kind, code):
        raise DecisionError(
            "A result is recorded for this test, so it stays accepted.", field="code"
        )
    followers = selectors.decision_groups(consultation.assessment).get((kind, code), ())
    for f_kind, f_code in followers:
        if not _has_result(consultation, f_kind, f_code):
            Decision.objects.filter(consultation=consultation, kind=f_kind, code=f_code).delete()
    decision.delete()
    _refresh_latest(consultation=consultation, user=user)


@transaction.atomic
def decisions_accept_all(*, consultation: Consultation, user: User) -> list[Decision]:
    """Accept every item not yet decided, but those that need their own click (a red flag's,
    an urgent or immediate referral) and those requested at an earlier visit
    (selectors.accept_all_items); the items decided with one are accepted with it. A decision
    someone made meanwhile is kept as it is. Returns the decisions made, one per item accepted
    (not those made for the items decided with it)."""
    if not rules.user_can_decide(user):
        raise PermissionDenied("Only a GP can accept or decline recommendations.")
    # the decisions as they are now (not a prefetched copy): another GP may have decided some
    current = list(Decision.objects.select_for_update().filter(consultation=consultation))
    groups = selectors.decision_groups(consultation.assessment)
    made = []
    for key in selectors.accept_all_items(assessment=consultation.assessment, decisions=current):
        for kind, code in (key, *groups.get(key, ())):
            decision, created = Decision.objects.get_or_create(
                consultation=consultation,
                kind=kind,
                code=code,
                defaults={"accepted": True, "reason": "", "decided_by": user},
            )
            if created and (kind, code) == key:
                made.append(decision)
    if made:
        _refresh_latest(consultation=consultation, user=user)
    return made
