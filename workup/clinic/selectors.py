"""Reads of clinical records, always within the user's own practice; the engine's
assessment of an intake that is not saved; and a stored assessment as the screens show it.

A stored assessment may be of an earlier contract (version 1 has no `actions`, `results`,
`suggestions` or `stopped`): whatever it lacks is shown as absent, never as an error."""

from datetime import date

from django.db.models import Count, Max, Prefetch
from django.http import Http404

from workup.accounts.models import User
from workup.clinic.models import Consultation, Decision, Patient
from workup.engine import DECIDABLE, recommend
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
            if kind == "red_flags":
                entry["action"] = cat[kind].get(item["code"], {}).get("action", "")
            out.append(entry)
        return out

    view = {kind: items(kind) for kind in ("red_flags", *DECIDABLE)}
    # recommendations only: a GP does not accept or decline them here (yet)
    view["actions"] = items("actions")
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
    view["undecided"] = sum(1 for k in DECIDABLE for i in view[k] if not i["decision"])
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
