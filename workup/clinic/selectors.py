"""Reads of clinical records, always within the user's own practice; the engine's
assessment of an intake that is not saved; and a stored assessment as the screens show it.

A stored assessment may be of an earlier contract (version 1 has no `actions`, `results`,
`suggestions` or `stopped`): whatever it lacks is shown as absent, never as an error."""

from datetime import date

from django.db.models import Count, Max, Prefetch
from django.http import Http404

from workup.accounts.models import User
from workup.clinic.models import Consultation, Decision, Patient, Result
from workup.engine import DECIDABLE, drugs_taken, recommend
from workup.knowledge.loading import knowledge_base


def patient_list(*, user: User):
    return Patient.objects.filter(practice_id=user.practice_id).annotate(
        last_seen=Max("consultations__date"), consultation_count=Count("consultations")
    )


def patient_get(*, user: User, public_id) -> Patient:
    """The patient if they belong to the user's practice; 404 otherwise (never 403, so an
    outsider learns nothing about whether the record exists)."""
    try:
        return Patient.objects.get(practice_id=user.practice_id, public_id=public_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient") from None


def consultation_get(*, user: User, public_id) -> Consultation:
    try:
        return (
            Consultation.objects.select_related("patient", "clinician")
            .prefetch_related(
                Prefetch("decisions", queryset=Decision.objects.select_related("decided_by"))
            )
            .get(patient__practice_id=user.practice_id, public_id=public_id)
        )
    except Consultation.DoesNotExist:
        raise Http404("No such consultation") from None


def consultation_history(*, patient: Patient):
    """The patient's consultations, oldest first, with decisions and their authors."""
    return (
        patient.consultations.select_related("clinician")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("decided_by"))
        )
        .order_by("date", "created_at")
    )


def consultation_latest(*, patient: Patient) -> Consultation | None:
    return patient.consultations.order_by("-date", "-created_at").first()


# What a consultation's intake carries from the patient's records (contract 2): never typed.
HISTORY_FIELDS = ("results", "previous", "quinine_started")
PREVIOUS_KIND = {"investigations": "investigation", "referrals": "referral"}


def _earlier(patient: Patient, consultation: Consultation | None) -> list[Consultation]:
    """The patient's consultations before `consultation` (all of them for a new one), oldest
    first."""
    visits = list(patient.consultations.order_by("date", "created_at", "pk"))
    if consultation is None:
        return visits
    return [c for c in visits if (c.date, c.created_at, c.pk) < _place(consultation)]


def _place(c: Consultation):
    return (c.date, c.created_at, c.pk)


def intake_history(
    *, patient: Patient, day: date, medications=(), consultation: Consultation | None = None
) -> dict:
    """The intake fields that come from the patient's records, for `consultation` (None: a new
    one seen on `day`) taking `medications` now. Empty fields are left out.

    - `results`: the results answering this consultation's own requests, and results from
      earlier visits still relevant: those answering the last visit's requests or recorded
      since it (the newest of each code; the visit's own result of a code wins).
    - `previous`: tests and referrals accepted at earlier visits and not yet answered (a test
      is answered once a result for it is in; a referral stays requested).
    - `quinine_started`: the first visit of the unbroken run of visits, up to this one, at
      which quinine was taken (this visit's date when it starts now)."""
    kb = knowledge_base()
    earlier = _earlier(patient, consultation)
    results = list(Result.objects.filter(patient=patient).order_by("taken_on", "recorded_at", "pk"))
    previous = [
        {"code": d.code, "kind": PREVIOUS_KIND[d.kind], "date": d.consultation.date.isoformat()}
        for d in _outstanding(patient, consultation, kb, results)
    ]
    chosen: dict[str, Result] = {}
    last = earlier[-1] if earlier else None
    before = {c.pk for c in earlier}
    for r in results:  # oldest first: a newer result of a code replaces an older one
        if r.consultation_id in before and (
            r.consultation_id == last.pk or r.recorded_at > last.created_at
        ):
            chosen[r.code] = r
    if consultation is not None:
        for r in results:
            if r.consultation_id == consultation.pk:
                chosen[r.code] = r
    history: dict = {}
    if chosen:
        history["results"] = [r.as_intake() for r in chosen.values()]
    if previous:
        history["previous"] = previous
    if "quinine" in drugs_taken(medications, kb):
        start = day
        for visit in reversed(earlier):
            if "quinine" not in drugs_taken(visit.intake.get("medications", []), kb):
                break
            start = visit.date
        history["quinine_started"] = start.isoformat()
    return history


def _outstanding(patient, consultation, kb, results=None) -> list[Decision]:
    """Tests and referrals accepted at visits before `consultation` (None: all visits) and not
    yet answered, oldest first. `results`: the patient's results, if already read."""
    decisions = [
        d
        for d in Decision.objects.filter(
            consultation__patient=patient, accepted=True, kind__in=PREVIOUS_KIND
        ).select_related("consultation")
        if consultation is None or _place(d.consultation) < _place(consultation)
    ]
    if not decisions:
        return []
    if results is None:
        results = Result.objects.filter(patient=patient).only("consultation_id", "investigation")
    answered = {(r.consultation_id, r.investigation) for r in results}
    answerable = {inv for d in kb.results.values() for inv in d.answers}
    out = []
    for d in sorted(decisions, key=lambda d: (_place(d.consultation), d.code)):
        if d.kind == "investigations" and (
            (d.consultation_id, d.code) in answered or d.code not in answerable
        ):
            continue  # answered; or a test no result is recorded for (a medication review)
        out.append(d)
    return out


def outstanding_requests(*, consultation: Consultation) -> dict[tuple[str, str], Consultation]:
    """For a visit's items requested earlier and not yet answered: (kind, code) -> the visit
    that first requested it (where its result is recorded)."""
    out: dict[tuple[str, str], Consultation] = {}
    for d in _outstanding(consultation.patient, consultation, knowledge_base()):
        out.setdefault((d.kind, d.code), d.consultation)
    return out


def result_get(*, user: User, public_id) -> Result:
    try:
        return Result.objects.select_related("consultation", "patient").get(
            patient__practice_id=user.practice_id, public_id=public_id
        )
    except Result.DoesNotExist:
        raise Http404("No such result") from None


def result_records(*, consultation: Consultation) -> dict[str, Result]:
    """The recorded results a visit's assessment read, by code (its own, or carried from an
    earlier visit): who recorded them and whether a GP has acknowledged them."""
    shown = {r["code"]: r.get("date") for r in consultation.intake.get("results", [])}
    if not shown:
        return {}
    out: dict[str, Result] = {}
    rows = Result.objects.filter(patient_id=consultation.patient_id, code__in=shown)
    for r in rows.select_related("acknowledged_by", "consultation").order_by("recorded_at"):
        if r.taken_on.isoformat() == shown[r.code]:
            out[r.code] = r
    return out


def results_requested(*, consultation: Consultation) -> dict[str, list[str]]:
    """The tests accepted at this consultation that a result can answer, in the catalogue's
    order, each with the codes of the results that answer it (U&E: sodium, potassium, eGFR)."""
    kb = knowledge_base()
    order = kb.order["investigations"]
    accepted = sorted(
        (d.code for d in consultation.decisions.all() if d.kind == "investigations" and d.accepted),
        key=lambda code: order.get(code, len(order)),
    )
    out: dict[str, list[str]] = {}
    for investigation in accepted:
        codes = [code for code, d in kb.results.items() if investigation in d.answers]
        if codes:
            out[investigation] = [c for c in codes if c not in {x for v in out.values() for x in v}]
    return {inv: codes for inv, codes in out.items() if codes}


def assessment_preview(*, intake: dict) -> dict:
    """What the engine makes of an intake as the GP types it (the live panel); nothing is
    saved. IntakeError if the engine refuses the intake."""
    return recommend(intake, knowledge_base())


# A stored assessment as the review screens show it (labels, actions, links).

URGENCY_LABELS = {
    "emergency": "Emergency",
    "same_day": "Same day",
    "urgent": "Urgent",
    "immediate": "Immediate",
    "routine": "Routine",
}


def assessment_view(assessment: dict, decisions=()) -> dict:
    """Labels and source links for each item, and the GP's decision where there is one."""
    kb = knowledge_base()
    cat = kb.catalogue
    links = {src["short"]: src["url"] for src in kb.sources.values()}
    decided = {(d.kind, d.code): d for d in decisions}
    resulted = {
        inv
        for r in assessment.get("results", [])
        if r.get("code") in kb.results
        for inv in kb.results[r["code"]].answers
    }

    def items(kind):
        out = []
        for item in assessment.get(kind, []):
            entry = dict(item)
            entry["kind"] = kind
            entry["label"] = cat.get(kind, {}).get(item["code"], {}).get("label", item["code"])
            entry["urgency_label"] = URGENCY_LABELS.get(item.get("urgency"), "")
            entry["source_links"] = [(s, links.get(s)) for s in item.get("sources", [])]
            entry["decision"] = decided.get((kind, item["code"]))
            if item.get("already_requested"):
                entry["requested_on"] = _day(item["already_requested"])
            entry["resulted"] = kind == "investigations" and item["code"] in resulted
            if kind == "red_flags":
                entry["action"] = cat[kind].get(item["code"], {}).get("action", "")
            out.append(entry)
        return out

    view = {kind: items(kind) for kind in ("red_flags", *DECIDABLE)}
    view["results"] = [
        {
            **result,
            "label": result_label(kb, result["code"]),
            "source_links": [(s, links.get(s)) for s in result.get("sources", [])],
        }
        for result in assessment.get("results", [])
    ]
    view["medications"] = [
        {**m, "suggestions": m.get("suggestions") or [], "stopped": bool(m.get("stopped"))}
        for m in assessment.get("medications", [])
    ]
    view["unrecognised"] = [
        m for m in view["medications"] if m.get("recognised") is False or not m.get("drug")
    ]
    view["wells_score"] = assessment.get("wells_score")
    view["wells_likely_at"] = kb.scores["wells"]["likely_at_least"]
    view["ceap"] = assessment.get("ceap", {})
    view["knowledge_base"] = assessment.get("knowledge_base")
    # an item requested at an earlier visit is not decided again
    view["undecided"] = sum(
        1
        for k in DECIDABLE
        for i in view[k]
        if not i["decision"] and not i.get("already_requested")
    )
    return view


def _day(text):
    """A contract date (YYYY-MM-DD) as a date to format; kept as written if it is not one."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return text


def result_label(kb, code: str) -> str:
    """A result's name as a GP reads it: the knowledge base's label where it has one, else
    the code in words."""
    for table in (kb.catalogue.get("results"), getattr(kb, "results", None)):
        entry = _get(table, code)
        label = _get(entry, "label")
        if isinstance(label, str) and label:
            return label
    return code.replace("_", " ").capitalize()


def _get(table, key):
    if table is None:
        return None
    if isinstance(table, dict):
        return table.get(key)
    return getattr(table, key, None)
