"""Turn a stored assessment into what the review screens show (labels, actions, links).

A stored assessment may be of an earlier contract (version 1 has no `actions`, `results`,
`suggestions` or `stopped`): whatever it lacks is shown as absent, never as an error."""
from datetime import date

from workup.clinic.models import Decision
from workup.knowledge.loading import knowledge_base

URGENCY_LABELS = {
    "emergency": "Emergency", "same_day": "Same day", "urgent": "Urgent",
    "immediate": "Immediate", "routine": "Routine",
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

    view = {kind: items(kind) for kind in ("red_flags", *Decision.KINDS)}
    # recommendations only: a GP does not accept or decline them here (yet)
    view["actions"] = items("actions")
    view["results"] = [{**result, "label": result_label(kb, result["code"]),
                        "source_links": [(s, links.get(s)) for s in result.get("sources", [])]}
                       for result in assessment.get("results", [])]
    view["medications"] = [{**m, "suggestions": m.get("suggestions") or [],
                            "stopped": bool(m.get("stopped"))}
                           for m in assessment.get("medications", [])]
    view["unrecognised"] = [m for m in view["medications"]
                            if m.get("recognised") is False or not m.get("drug")]
    view["wells_score"] = assessment.get("wells_score")
    view["wells_likely_at"] = kb.scores["wells"]["likely_at_least"]
    view["ceap"] = assessment.get("ceap", {})
    view["knowledge_base"] = assessment.get("knowledge_base")
    view["undecided"] = sum(1 for k in Decision.KINDS for i in view[k] if not i["decision"])
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


LETTER_SERVICES = ("vascular", "neurology")  # the services a referral letter is written for


def printable(decisions) -> dict:
    """Which documents may be printed, from the GP's decisions: a referral letter for each
    accepted vascular or neurology referral, with the GP who accepted it; a lab request once a
    blood or urine test is accepted, with the GP who accepted the last of them. The review page
    offers these and the document service refuses anything else."""
    catalogue = knowledge_base().catalogue["investigations"]
    accepted = [d for d in decisions if d.accepted]
    letters = {d.code: d.decided_by for d in accepted
               if d.kind == "referrals" and d.code in LETTER_SERVICES}
    lab = sorted((d for d in accepted if d.kind == "investigations"
                  and catalogue.get(d.code, {}).get("kind") in ("blood", "urine")),
                 key=lambda d: d.decided_at)
    return {
        "referrals_to_print": [code for code in LETTER_SERVICES if code in letters],
        "referral_signers": letters,
        "lab_tests_accepted": bool(lab),
        "lab_signer": lab[-1].decided_by if lab else None,
    }
