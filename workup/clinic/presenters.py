"""Turn a stored assessment into what the review screens show (labels, actions, links)."""
from workup.clinic.models import Decision
from workup.core.knowledge import knowledge_base

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
            entry["label"] = cat[kind].get(item["code"], {}).get("label", item["code"])
            entry["urgency_label"] = URGENCY_LABELS.get(item.get("urgency"), "")
            entry["source_links"] = [(s, links.get(s)) for s in item["sources"]]
            entry["decision"] = decided.get((kind, item["code"]))
            if kind == "red_flags":
                entry["action"] = cat[kind].get(item["code"], {}).get("action", "")
            out.append(entry)
        return out

    view = {kind: items(kind) for kind in ("red_flags", *Decision.KINDS)}
    view["medications"] = assessment.get("medications", [])
    view["wells_score"] = assessment.get("wells_score")
    view["wells_likely_at"] = kb.scores["wells"]["likely_at_least"]
    view["ceap"] = assessment.get("ceap", {})
    view["knowledge_base"] = assessment.get("knowledge_base")
    view["undecided"] = sum(1 for k in Decision.KINDS for i in view[k] if not i["decision"])
    return view


def printable(view: dict) -> dict:
    """Which documents the review page offers: referral letters for accepted vascular or
    neurology referrals, a lab request once a blood or urine test is accepted."""
    catalogue = knowledge_base().catalogue["investigations"]

    def accepted(kind):
        return [i["code"] for i in view[kind] if i["decision"] and i["decision"].accepted]

    return {
        "referrals_to_print": [c for c in accepted("referrals") if c in ("vascular", "neurology")],
        "lab_tests_accepted": any(catalogue[c]["kind"] in ("blood", "urine")
                                  for c in accepted("investigations")),
    }
