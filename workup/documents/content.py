"""What each printed document says, built from the knowledge base and an assessment.

No database here: the review page, the Celery task and the command line all pass in the same
plain data (intake, assessment, accepted codes, names), so a handout printed from the browser
and one printed from `manage.py handout` come from one place.
"""
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from workup.engine import KnowledgeBase

DECIDABLE = ("investigations", "referrals", "differentials")


@dataclass
class DocumentInput:
    """Everything a document needs. `accepted` maps investigations/referrals/differentials to
    the codes the GP accepted."""

    intake: dict
    assessment: dict
    accepted: dict
    patient_name: str = ""
    date_of_birth: date | None = None
    sex: str = ""
    nhs_number: str = ""
    mrn: str = ""
    day: date = field(default_factory=date.today)
    clinician: str = ""
    practice: str = ""

    @classmethod
    def all_accepted(cls, intake: dict, assessment: dict, **kwargs) -> "DocumentInput":
        """For the command line: every recommended item counts as accepted."""
        accepted = {k: [i["code"] for i in assessment[k]] for k in DECIDABLE}
        return cls(intake=intake, assessment=assessment, accepted=accepted, **kwargs)


def _t(statement: dict) -> str:
    """A knowledge-base statement in the active language."""
    return _(statement["text"])


def handout_context(doc: DocumentInput, kb: KnowledgeBase) -> dict:
    h = kb.handout
    a = doc.assessment
    accepted = {k: set(doc.accepted.get(k, ())) for k in DECIDABLE}
    differentials = [_t(h["differentials"][i["code"]]) for i in a["differentials"]
                     if i["code"] in accepted["differentials"]]
    tests = [_t(h["investigations"][i["code"]]) for i in a["investigations"]
             if i["code"] in accepted["investigations"]]
    referrals = [{"service": _t(h["referrals"][i["code"]]),
                  "when": _t(h["referral_urgency"][i["urgency"]])}
                 for i in a["referrals"] if i["code"] in accepted["referrals"]]
    red_flags = [_t(h["red_flags"][f["code"]]) for f in a["red_flags"]]
    takes_quinine = any(m.get("drug") == "quinine" for m in a["medications"]) or \
        "drinks_tonic_water_for_cramps" in doc.intake.get("findings", [])
    typical = "idiopathic_nocturnal_leg_cramps" in accepted["differentials"]
    avoid = []
    for rule in h["avoid"].values():
        if (rule["when"] == "quinine" and takes_quinine) or \
                (rule["when"] == "typical_cramp" and typical):
            avoid += [_t(s) for s in rule["statements"]]
    medicines = [{"text": m["text"], "linked": bool(m.get("associated_with_cramps"))}
                 for m in a["medications"]]
    return {
        "about": [_t(s) for s in h["about_cramps"]],
        "differentials": differentials,
        "tests": tests,
        "referrals": referrals,
        "red_flags": red_flags,
        "stretch_intro": [_t(s) for s in h["stretching"]["intro"]],
        "stretch_steps": [{"text": _t(s), "picture": s["picture"]}
                          for s in h["stretching"]["steps"]],
        "stretch_outro": [_t(s) for s in h["stretching"]["outro"]],
        "during": [_t(s) for s in h["during_cramp"]],
        "avoid": avoid,
        "medicines": medicines,
        "medicines_advice": [_t(s) for s in h["medicines"]] if medicines else [],
        "linked_medicine": _t(h["linked_medicine"]),
        "any_linked": any(m["linked"] for m in medicines),
        "emergency": [_t(s) for s in h["urgent_help"]["emergency"]],
        "same_day": [_t(s) for s in h["urgent_help"]["same_day"]],
        "follow_up": [_t(s) for s in h["follow_up"]],
    }


def clinical_context(doc: DocumentInput, kb: KnowledgeBase) -> dict:
    """For the referral letter and the lab request (for clinicians, in English)."""
    v, a, intake = kb.vocabulary, doc.assessment, doc.intake
    cramps = intake["cramps"]
    labels = {kind: {c: i["label"] for c, i in kb.catalogue[kind].items()}
              for kind in ("investigations", "referrals", "red_flags", "differentials")}
    accepted = {k: set(doc.accepted.get(k, ())) for k in DECIDABLE}

    def label(section, code):
        return v[section][code]["label"]

    wells = None
    if a.get("wells_score") is not None:
        wells = {"score": a["wells_score"],
                 "likely": a["wells_score"] >= kb.scores["wells"]["likely_at_least"]}
    return {
        "cramps": {
            "episodes_per_week": cramps["episodes_per_week"],
            "longest_minutes": cramps["longest_minutes"],
            "when": ", ".join(label("cramp_when", w) for w in cramps["when"]),
            "sites": ", ".join(label("cramp_sites", s) for s in cramps["sites"]),
            "side": cramps["side"],
            "relieved": cramps["relieved_by_stretching"],
            "sleep": cramps.get("sleep_disturbed", False),
        },
        "pregnancy": label("pregnancy", intake.get("pregnancy", "none")),
        "findings": [label("findings", f) for f in intake.get("findings", [])],
        "conditions": [label("conditions", c) for c in intake.get("conditions", [])],
        "legs": {leg: [label("leg_signs", s) for s in intake.get("legs", {}).get(leg, [])]
                 for leg in ("left", "right")},
        "ceap": a["ceap"],
        "wells": wells,
        "medications": a["medications"],
        "red_flags": [{**f, "label": labels["red_flags"][f["code"]]} for f in a["red_flags"]],
        "accepted_investigations": [
            {**i, "label": labels["investigations"][i["code"]],
             "kind": kb.catalogue["investigations"][i["code"]]["kind"]}
            for i in a["investigations"] if i["code"] in accepted["investigations"]],
        "accepted_referrals": [{**r, "label": labels["referrals"][r["code"]]}
                               for r in a["referrals"] if r["code"] in accepted["referrals"]],
        "accepted_differentials": [labels["differentials"][d["code"]] for d in a["differentials"]
                                   if d["code"] in accepted["differentials"]],
        "referrals_all": {r["code"]: {**r, "label": labels["referrals"][r["code"]]}
                          for r in a["referrals"]},
    }
