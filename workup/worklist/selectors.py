"""The practice's worklist: what is outstanding, one line per (patient, kind, code).

- `critical_result` (since it was taken): a result a GP must acknowledge (a critical value,
  a positive D-dimer or scan) is not acknowledged.
- `result_awaited` (since the visit that requested it): an accepted test that a result answers
  has no result recorded.
- `review_due` (with the day it is due): a review in the catalogue's `reviews` (quinine at 4
  weeks, then every 3 months) falls due on or before today.
- `letter_not_printed` (since the referral was accepted): an accepted vascular or neurology
  referral has no letter (a letter that failed to print does not count).
- `result_to_review` (since it was taken): an abnormal result is on the patient's latest visit
  and that visit still has items nobody has decided.

Every read is one bulk query for the whole practice (never one per patient); the rest is
worked out in Python, so the number of queries does not grow with the practice.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from workup.clinic.models import Consultation, Decision, Result
from workup.clinic.selectors import result_label, undecided_items
from workup.documents.kinds import LETTER_SERVICES
from workup.documents.models import Document
from workup.knowledge.loading import knowledge_base

# kind -> what the page calls it; in the order the page lists the filters
KINDS = {
    "critical_result": "Critical result not acknowledged",
    "result_awaited": "Result awaited",
    "review_due": "Review due",
    "letter_not_printed": "Referral letter not printed",
    "result_to_review": "Abnormal result: what follows is not decided",
}
KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
ABNORMAL = ("low", "high", "critical", "positive")  # the flags that need something done


@dataclass(frozen=True)
class WorklistItem:
    """One outstanding thing. `since` is when it started waiting; a review has `due` instead.
    `consultation` is the visit to open to deal with it."""

    kind: str
    code: str
    label: str
    patient: UUID  # the patient's public id
    patient_name: str  # for the page only: never in the command's output
    consultation: UUID  # the consultation's public id
    since: date | None = None
    due: date | None = None

    @property
    def day(self) -> date:
        return self.due if self.due is not None else self.since

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def as_json(self) -> dict:
        """The command's line: public ids, codes and dates, no name."""
        line = {"patient": str(self.patient), "kind": self.kind, "code": self.code}
        if self.due is not None:
            line["due"] = self.due.isoformat()
        else:
            line["since"] = self.since.isoformat()
        line["consultation"] = str(self.consultation)
        line["label"] = self.label
        return line


def worklist_items(*, practice_id, today: date, kind: str | None = None) -> list[WorklistItem]:
    """The practice's outstanding items on `today`, newest first (by `since` or `due`); only
    those of `kind` if given (ValueError for a kind that is not one of KINDS)."""
    if kind is not None and kind not in KINDS:
        raise ValueError("not a kind of worklist item")
    wanted = set(KINDS) if kind is None else {kind}
    kb = knowledge_base()
    found: dict[tuple, WorklistItem] = {}

    latest = {}
    if wanted & {"review_due", "result_to_review"}:
        latest = _latest_consultations(practice_id)
    if wanted & {"critical_result", "result_to_review"}:
        _results(found, kb, practice_id, wanted, latest)
    if wanted & {"result_awaited", "letter_not_printed", "review_due"}:
        _decisions(found, kb, practice_id, wanted, latest, today)

    return sorted(
        found.values(),
        key=lambda i: (-i.day.toordinal(), KIND_ORDER[i.kind], i.patient_name, i.code),
    )


def _latest_consultations(practice_id) -> dict[int, Consultation]:
    """Each patient's latest consultation (by patient row id), with its decisions: 2 queries."""
    newest = (
        Consultation.objects.filter(patient=OuterRef("patient"))
        .order_by("-date", "-created_at", "-pk")
        .values("pk")[:1]
    )
    visits = (
        Consultation.objects.filter(patient__practice_id=practice_id, pk=Subquery(newest))
        .select_related("patient")
        .prefetch_related("decisions")
    )
    return {c.patient_id: c for c in visits}


def _add(found: dict, item: WorklistItem, patient_pk: int, *, keep: str = "earliest") -> None:
    """One line per (patient, kind, code): the one waiting longest, or the newest (`keep`)."""
    key = (patient_pk, item.kind, item.code)
    current = found.get(key)
    if (
        current is None
        or (keep == "earliest" and item.day < current.day)
        or (keep == "newest" and item.day >= current.day)
    ):
        found[key] = item


def _results(found, kb, practice_id, wanted, latest) -> None:
    """critical_result and result_to_review: one query for the practice's results."""
    results = (
        Result.objects.filter(patient__practice_id=practice_id)
        .filter(Q(must_acknowledge=True, acknowledged_at__isnull=True) | Q(flag__in=ABNORMAL))
        .select_related("patient", "consultation")
        .order_by("taken_on", "recorded_at", "pk")
    )
    undecided: dict[int, bool] = {}  # latest consultation pk -> has an item not decided
    for r in results:
        waiting = r.must_acknowledge and r.acknowledged_at is None
        if waiting:
            if "critical_result" in wanted:
                _add(found, _result_item("critical_result", r, r.consultation, kb), r.patient_id)
            continue
        if "result_to_review" not in wanted or r.flag not in ABNORMAL:
            continue
        visit = latest.get(r.patient_id)
        if visit is None:
            continue
        # the latest visit carries this result (its newest value of the code) as abnormal
        flags = {x.get("code"): x.get("flag") for x in visit.assessment.get("results", [])}
        if flags.get(r.code) not in ABNORMAL:
            continue
        if visit.pk not in undecided:
            undecided[visit.pk] = _has_undecided(visit)
        if undecided[visit.pk]:
            item = _result_item("result_to_review", r, visit, kb)
            _add(found, item, r.patient_id, keep="newest")


def _result_item(kind: str, r: Result, visit: Consultation, kb) -> WorklistItem:
    return WorklistItem(
        kind=kind,
        code=r.code,
        label=result_label(kb, r.code),
        patient=r.patient.public_id,
        patient_name=r.patient.name,
        consultation=visit.public_id,
        since=r.taken_on,
    )


def _has_undecided(visit: Consultation) -> bool:
    """Is an item of the visit's assessment waiting for a decision (as the review page says)?"""
    return bool(undecided_items(assessment=visit.assessment, decisions=visit.decisions.all()))


def _decisions(found, kb, practice_id, wanted, latest, today) -> None:
    """result_awaited, letter_not_printed and review_due: the practice's accepted requests,
    the results and letters that answer them (one query each)."""
    answerable = {inv for d in kb.results.values() for inv in d.answers}
    reviews = kb.catalogue.get("reviews") or {}
    which = Q(pk__in=[])
    if "result_awaited" in wanted:
        which |= Q(kind="investigations", code__in=sorted(answerable))
    if "letter_not_printed" in wanted:
        which |= Q(kind="referrals", code__in=list(LETTER_SERVICES))
    if "review_due" in wanted:
        which |= Q(kind="actions", code__in=sorted(reviews))
    decisions = Decision.objects.filter(
        which, accepted=True, consultation__patient__practice_id=practice_id
    ).select_related("consultation__patient")

    answered = set()
    if "result_awaited" in wanted:
        answered = set(
            Result.objects.filter(patient__practice_id=practice_id).values_list(
                "consultation_id", "investigation"
            )
        )
    printed = set()
    if "letter_not_printed" in wanted:
        documents = (
            Document.objects.filter(consultation__patient__practice_id=practice_id, kind="referral")
            .exclude(status=Document.Status.FAILED)
            .values_list("consultation_id", "options")
        )
        printed = {(c, o.get("to")) for c, o in documents if isinstance(o, dict)}

    reviewed: dict[tuple[int, str], list[date]] = defaultdict(list)
    for d in decisions:
        visit = d.consultation
        if d.kind == "actions":
            reviewed[(visit.patient_id, d.code)].append(visit.date)
            continue
        if d.kind == "investigations":
            if (visit.pk, d.code) in answered:
                continue
            kind, since = "result_awaited", visit.date  # the date it was requested
            label = _catalogue_label(kb, "investigations", d.code)
        else:
            if (visit.pk, d.code) in printed:
                continue
            kind, since = "letter_not_printed", timezone.localtime(d.decided_at).date()
            label = _catalogue_label(kb, "referrals", d.code)
        item = WorklistItem(
            kind=kind,
            code=d.code,
            label=label,
            patient=visit.patient.public_id,
            patient_name=visit.patient.name,
            consultation=visit.public_id,
            since=since,
        )
        _add(found, item, visit.patient_id)

    if "review_due" in wanted:
        for patient_pk, visit in latest.items():
            for code, interval in reviews.items():
                due = _review_due(visit, code, interval, reviewed[(patient_pk, code)])
                if due is not None and due <= today:
                    item = WorklistItem(
                        kind="review_due",
                        code=code,
                        label=_catalogue_label(kb, "actions", code),
                        patient=visit.patient.public_id,
                        patient_name=visit.patient.name,
                        consultation=visit.public_id,
                        due=due,
                    )
                    _add(found, item, patient_pk)


def _review_due(visit: Consultation, code: str, interval: dict, done: list[date]) -> date | None:
    """When the review `code` is next due for the patient whose latest visit is `visit`; None
    when nothing is to be reviewed. The latest visit decides: once it no longer records the
    start (the quinine was stopped), nothing is due. Reviews count from the visits after the
    start (the start visit's own acceptance is the prescription, not a review)."""
    start = _date(visit.intake.get(interval.get("start")))
    first, every = interval.get("first_after_days"), interval.get("then_every_days")
    if start is None or first is None:
        return None
    after = [day for day in done if day > start]
    if not after:
        return start + timedelta(days=first)
    if every is None:
        return None  # one review only, and it was done
    return max(after) + timedelta(days=every)


def _date(text) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _catalogue_label(kb, section: str, code: str) -> str:
    entry = kb.catalogue.get(section, {}).get(code) or {}
    return entry.get("label") or code.replace("_", " ").capitalize()
