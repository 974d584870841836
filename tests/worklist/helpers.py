"""Building worklist situations the way the practice makes them: visits through the service,
decisions accepted by a GP, results recorded, letters printed."""

from datetime import date, timedelta
from decimal import Decimal

from tests.factories import PatientFactory, consultation_for
from workup.clinic.models import Consultation
from workup.clinic.services import (
    ResultEntry,
    consultation_refresh,
    decision_record,
    results_record,
)
from workup.documents.models import Document
from workup.worklist.selectors import worklist_items

TODAY = date.today()

LASIX = dict(medications=["Lasix 40mg"])  # U&E, calcium and magnesium recommended
VEINS = dict(left=["varicose_veins", "venous_symptoms"])  # a routine vascular referral


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def follow_up(patient, gp, day, **fields) -> Consultation:
    """A later visit as the intake page saves it: with what the records carry (results,
    earlier requests, the quinine start)."""
    visit = consultation_for(patient, gp, day=day, **fields)
    return consultation_refresh(consultation=visit, user=gp)


def accept(consultation: Consultation, gp, kind: str, code: str) -> None:
    decision_record(consultation=consultation, user=gp, kind=kind, code=code, accepted=True)


def record(consultation: Consultation, user, taken_on: date | None = None, **values):
    """Record results (code=value: a number or positive/negative); the consultation as
    re-assessed."""
    entries = [
        ResultEntry(
            code,
            value if isinstance(value, str) else Decimal(str(value)),
            taken_on or TODAY,
        )
        for code, value in values.items()
    ]
    return results_record(consultation=consultation, user=user, entries=entries)


def print_letter(consultation: Consultation, user, to="vascular", status="ready") -> Document:
    return Document.objects.create(
        consultation=consultation,
        kind="referral",
        options={"to": to},
        fingerprint=f"{to}-{status}-{consultation.pk}",
        status=status,
        requested_by=user,
    )


def decide_everything(consultation: Consultation, gp) -> None:
    """Accept or decline (with a reason) every item not decided yet: nothing is left open."""
    consultation.refresh_from_db()
    decided = {(d.kind, d.code) for d in consultation.decisions.all()}
    for kind in ("investigations", "referrals", "differentials", "actions"):
        for item in consultation.assessment.get(kind, []):
            if (kind, item["code"]) in decided or item.get("already_requested"):
                continue
            decision_record(
                consultation=consultation,
                user=gp,
                kind=kind,
                code=item["code"],
                accepted=False,
                reason="Not needed now.",
            )


def lines(practice, today=TODAY, kind=None) -> set[tuple]:
    """The worklist as (patient public id, kind, code) triples."""
    return {
        (item.patient, item.kind, item.code)
        for item in worklist_items(practice_id=practice.pk, today=today, kind=kind)
    }


def busy_patient(practice, gp, name=None):
    """A patient with one line of every kind: a magnesium awaited, a critical potassium not
    acknowledged, a low calcium with items still to decide, a vascular referral without its
    letter and a quinine review due (started 40 days ago)."""
    patient = PatientFactory(practice=practice, **({"name": name} if name else {}))
    start = days_ago(40)
    visit = consultation_for(
        patient,
        gp,
        day=start,
        medications=["Lasix 40mg", "quinine 300mg"],
        quinine_started=start.isoformat(),
        **VEINS,
    )
    for kind, code in [
        ("investigations", "u_and_e"),
        ("investigations", "calcium"),
        ("investigations", "magnesium"),
        ("referrals", "vascular"),
    ]:
        accept(visit, gp, kind, code)
    record(visit, gp, potassium=6.6, adjusted_calcium=2.1)
    return patient
