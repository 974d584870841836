"""What each printed document says, built from the knowledge base and an assessment.

No database here: the review page, the Celery task and the command line all pass in the same
plain data (intake, assessment, accepted codes, names), so a handout printed from the browser
and one printed from `manage.py handout` come from one place.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from workup.clinic.selectors import result_label
from workup.engine import DECIDABLE, KnowledgeBase


@dataclass
class DocumentInput:
    """Everything a document needs. `accepted` maps each decidable section (investigations,
    referrals, differentials, actions) to the codes the GP accepted."""

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
        """For the command line: every recommended item counts as accepted (a version 1
        assessment has no `actions`)."""
        accepted = {k: [i["code"] for i in assessment.get(k, [])] for k in DECIDABLE}
        return cls(intake=intake, assessment=assessment, accepted=accepted, **kwargs)


def _t(statement: dict) -> str:
    """A knowledge-base statement in the active language."""
    return _(statement["text"])


# Red flags that make the handout one about a blood clot (REFERENCE section 7).
CLOT_FLAGS = ("suspected_dvt", "confirmed_dvt", "suspected_pulmonary_embolism")
PREGNANT = ("trimester_1", "trimester_2", "trimester_3", "postpartum")
NO_VENOUS_DISEASE = ("C0", "C1")


def is_pregnant(intake: dict, assessment: dict) -> bool:
    """Pregnant or within 6 weeks after birth, or a positive pregnancy test in the results."""
    return intake.get("pregnancy", "none") in PREGNANT or any(
        r.get("code") == "pregnancy_test" and r.get("flag") == "positive"
        for r in assessment.get("results") or ()
    )


def has_venous_disease(assessment: dict) -> bool:
    """Either leg is CEAP C2 or more."""
    return any(
        (leg or {}).get("class") not in NO_VENOUS_DISEASE
        for leg in (assessment.get("ceap") or {}).values()
    )


def current_medicines(assessment: dict) -> list[dict]:
    """The medication entries the patient takes now (not those written as stopped)."""
    return [m for m in assessment.get("medications") or () if not m.get("stopped")]


def drug_name(h: dict, kb: KnowledgeBase, drug: str) -> str:
    """A drug's plain name: from `drug_names` in handout.yaml where the dictionary's name is
    not a plain one, else the name with "_" read as a space."""
    component = kb.matcher.by_drug.get(drug)
    return (h.get("drug_names") or {}).get(component.id if component else drug) or drug.replace(
        "_", " "
    )


def plain_medicine(h: dict, kb: KnowledgeBase, entry: dict) -> list[dict]:
    """A recognised medicine in plain words, as groups of drug names with the plain words for
    their class: furosemide (a water tablet). A combination names each part, and parts with
    the same plain class share one bracket: amiloride and furosemide (a water tablet)."""
    classes = h.get("medicine_classes") or {}
    parts = entry.get("components") or [entry["drug"]]
    groups: list[dict] = []
    for drug in parts:
        component = kb.matcher.by_drug.get(drug)
        cls = (
            entry.get("class")
            if drug == entry.get("drug")
            else (component.drug_class if component else None)
        )
        words = _t(classes[cls]) if cls in classes else ""
        if groups and groups[-1]["words"] == words:
            groups[-1]["names"].append(drug_name(h, kb, drug))
        else:
            groups.append({"names": [drug_name(h, kb, drug)], "words": words})
    return groups


def _by_urgency(flags: list[dict], kb: KnowledgeBase) -> list[dict]:
    """The red flags, most urgent first (the engine's order otherwise)."""
    rank = kb.urgency_rank["red_flags"]
    return sorted(flags, key=lambda f: rank.get(f.get("urgency"), len(rank)))


def _urgency_of(flags: list[dict], kb: KnowledgeBase) -> str | None:
    """The most urgent red flag's urgency: it names the red box."""
    ranked = [f for f in _by_urgency(flags, kb) if f.get("urgency") in kb.urgency_rank["red_flags"]]
    return ranked[0]["urgency"] if ranked else None


def _red_flag_line(h: dict, flag: dict) -> str:
    entry = h["red_flags"][flag["code"]]
    at_urgency = entry.get(flag.get("urgency"))
    return _t(at_urgency if isinstance(at_urgency, dict) and "text" in at_urgency else entry)


def handout_context(doc: DocumentInput, kb: KnowledgeBase) -> dict:
    h = kb.handout
    a, intake = doc.assessment, doc.intake
    accepted = {k: set(doc.accepted.get(k, ())) for k in DECIDABLE}
    flags = _by_urgency(a.get("red_flags") or [], kb)
    flag_codes = {f["code"] for f in flags}
    any_red_flag = bool(flags)
    clot = bool(flag_codes & set(CLOT_FLAGS))
    pregnant = is_pregnant(intake, a)

    accepted_differentials = [
        i["code"] for i in a["differentials"] if i["code"] in accepted["differentials"]
    ]
    differentials = [_t(h["differentials"][code]) for code in accepted_differentials]
    earlier = _t(h["already_requested"])  # after an item asked for at an earlier visit
    # A test or referral asked for at an earlier visit and still awaited is printed whether or
    # not the GP decided it here: it cannot be decided again, and the patient still waits for it.
    tests = [
        _t(h["investigations"][i["code"]]) + (f" {earlier}" if i.get("already_requested") else "")
        for i in a["investigations"]
        if i["code"] in accepted["investigations"] or i.get("already_requested")
    ]
    # "No tests needed" only for a typical or exercise cramp, with no test (none accepted, none
    # awaited from an earlier visit) and no red flag.
    if (
        not any_red_flag
        and not tests
        and {"idiopathic_nocturnal_leg_cramps", "exercise_associated_cramps"}
        & set(accepted_differentials)
    ):
        differentials.append(_t(h["no_tests_needed"]))
    referrals = []
    for i in a["referrals"]:
        if i["code"] not in accepted["referrals"] and not i.get("already_requested"):
            continue
        # an outstanding earlier referral the current visit would not make has no urgency
        when = (
            [_t(h["referral_urgency"][i["urgency"]])]
            if i.get("urgency") in h["referral_urgency"]
            else []
        )
        referrals.append(
            {
                "service": _t(h["referrals"][i["code"]]),
                "when": " ".join(when + ([earlier] if i.get("already_requested") else [])),
            }
        )

    # The red box: the lung-clot warning first in a clot handout, then the flags, then what to
    # do about the leg.
    red_flags = [_red_flag_line(h, f) for f in flags]
    lung_warning = (
        _t(h["clot"]["lung_warning"])
        if clot and "suspected_pulmonary_embolism" not in flag_codes
        else ""
    )
    clot_advice = []
    if clot:
        if "suspected_dvt" in flag_codes and "confirmed_dvt" not in flag_codes:
            clot_advice.append(_t(h["clot"]["check_today"]))
        if flag_codes & {"suspected_dvt", "confirmed_dvt"}:
            clot_advice.append(_t(h["clot"]["leg_care"]))
        if pregnant:
            clot_advice.append(_t(h["pain_relief"]["pregnancy"]))

    # Results in plain words; normal ones summed up in one line.
    results, normal = [], 0
    for r in a.get("results") or ():
        if r.get("flag") == "normal":
            normal += 1
            continue
        statement = ((h.get("results") or {}).get(r.get("code")) or {}).get(r.get("flag"))
        if statement:
            results.append(_t(statement))
    if normal:
        results.append(_t(h["results_normal"]["others" if results else "all"]))
    # What happens next: the actions the GP accepted (an action is decided like a test).
    actions = [
        _t(h["actions"][i["code"]])
        for i in a.get("actions") or ()
        if i["code"] in (h.get("actions") or {}) and i["code"] in accepted["actions"]
    ]

    current = current_medicines(a)
    takes_quinine = any(
        m.get("drug") == "quinine" for m in current
    ) or "drinks_tonic_water_for_cramps" in intake.get("findings", [])
    typical = "idiopathic_nocturnal_leg_cramps" in accepted["differentials"]
    avoid = []
    for rule in h["avoid"].values():
        if (rule["when"] == "quinine" and takes_quinine) or (
            rule["when"] == "typical_cramp" and typical
        ):
            avoid += [_t(s) for s in rule["statements"]]
    # Only recognised medicines, in plain words: what the GP typed never reaches the patient.
    medicines = [
        {"groups": plain_medicine(h, kb, m), "linked": bool(m.get("associated_with_cramps"))}
        for m in current
        if m.get("recognised", m.get("drug") is not None) and m.get("drug")
    ]
    unlisted = len(current) - len(medicines)

    pain = h["pain_relief"]["pregnancy" if pregnant else "general"]
    return {
        "clot": clot,
        "red_flag_urgency": _urgency_of(flags, kb),
        "lung_warning": lung_warning,
        "clot_advice": clot_advice,
        "about": []
        if clot
        else [_t(s) for s in h["about_cramps"]] + ([] if any_red_flag else [_t(h["reassurance"])]),
        "differentials": differentials,
        "results": results,
        "actions": actions,
        "tests": tests,
        "referrals": referrals,
        "red_flags": red_flags,
        "venous": [_t(s) for s in h["venous_self_care"]] if has_venous_disease(a) else [],
        "stretch_intro": [] if clot else [_t(s) for s in h["stretching"]["intro"]],
        "stretch_steps": []
        if clot
        else [{"text": _t(s), "picture": s["picture"]} for s in h["stretching"]["steps"]],
        "stretch_outro": [] if clot else [_t(s) for s in h["stretching"]["outro"]],
        "during": [] if clot else [_t(s) for s in h["during_cramp"]] + [_t(pain)],
        "avoid": avoid,
        "medicines": medicines,
        "medicines_unlisted": _t(h["medicines_unlisted"]) if unlisted else "",
        "medicines_advice": [_t(s) for s in h["medicines"]] if current else [],
        "linked_medicine": _t(h["linked_medicine"]),
        "any_linked": any(m["linked"] for m in medicines),
        "emergency": [_t(s) for s in h["urgent_help"]["emergency"]],
        "same_day": [_t(s) for s in h["urgent_help"]["same_day"]],
        "follow_up": [_t(h["clot"]["follow_up"])] if clot else [_t(s) for s in h["follow_up"]],
    }


def day_words(value) -> str:
    """A date as a clinician reads it, "3 Oct 2026", from a date or YYYY-MM-DD; "date not
    recorded" when there is none (a result typed without its date)."""
    if not value:
        return "date not recorded"
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return f"{day.day} {day:%b %Y}"


def _value_words(result: dict) -> str:
    """A result's value as the laboratory reports it: "3.1 mmol/L", "0.6", "Positive"."""
    value = result.get("value")
    if isinstance(value, str):
        return value.capitalize()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    unit = result.get("unit")
    return f"{value}" + (f" {unit}" if unit and unit != "ratio" else "")


def results_of(assessment: dict, kb: KnowledgeBase, codes) -> list[dict]:
    """The assessment's results with these codes, in the order given, each with its label,
    value, flag, date in words and reasons (for clinicians)."""
    by_code = {r.get("code"): r for r in assessment.get("results") or ()}
    out = []
    for code in codes:
        r = by_code.get(code)
        if r is None:
            continue
        value = _value_words(r)
        flag = r.get("flag")
        out.append(
            {
                "code": code,
                "label": result_label(kb, code),
                "value": value,
                # a coded value is its own flag ("Positive"); a number says how it reads
                "flag": flag if flag and flag.lower() != value.lower() else "",
                "abnormal": flag not in (None, "normal", "negative"),
                "date": day_words(r.get("date")),
                "reasons": list(r.get("reasons") or ()),
            }
        )
    return out


def awaited_of(assessment: dict, kb: KnowledgeBase) -> list[dict]:
    """Tests and referrals requested at an earlier visit and still awaited (the assessment's
    `already_requested`), with the date they were requested in words."""
    return [
        {
            "code": i["code"],
            "section": section,
            "label": kb.catalogue[section][i["code"]]["label"],
            "since": day_words(i["already_requested"]),
        }
        for section in ("investigations", "referrals")
        for i in assessment.get(section) or ()
        if i.get("already_requested")
    ]


def clinical_context(doc: DocumentInput, kb: KnowledgeBase) -> dict:
    """For the referral letter, the lab request and the scan request (for clinicians, in
    English). `accepted_investigations` lists every accepted test as the assessment orders
    them; the documents leave out those marked `already_requested` (listed in `awaited`, with
    the date they were first requested), so no test is asked for twice."""
    v, a, intake = kb.vocabulary, doc.assessment, doc.intake
    cramps = intake["cramps"]
    labels = {
        kind: {c: i["label"] for c, i in kb.catalogue[kind].items()}
        for kind in ("investigations", "referrals", "red_flags", "differentials")
    }
    accepted = {k: set(doc.accepted.get(k, ())) for k in DECIDABLE}

    synonyms = v.get("finding_synonyms") or {}

    def label(section, code):
        # a record saved under an earlier version may hold a code since renamed
        code = synonyms.get(code, code) if section == "findings" else code
        return v[section][code]["label"]

    wells = None
    if a.get("wells_score") is not None:
        wells = {
            "score": a["wells_score"],
            "likely": a["wells_score"] >= kb.scores["wells"]["likely_at_least"],
        }
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
        "legs": {
            leg: [label("leg_signs", s) for s in intake.get("legs", {}).get(leg, [])]
            for leg in ("left", "right")
        },
        "ceap": a["ceap"],
        "wells": wells,
        "medications": a["medications"],
        "red_flags": [{**f, "label": labels["red_flags"][f["code"]]} for f in a["red_flags"]],
        "accepted_investigations": [
            {
                **i,
                "label": labels["investigations"][i["code"]],
                "kind": kb.catalogue["investigations"][i["code"]]["kind"],
            }
            for i in a["investigations"]
            if i["code"] in accepted["investigations"]
        ],
        "requested_investigations": [
            {**i, "label": labels["investigations"][i["code"]]}
            for i in a["investigations"]
            if i["code"] in accepted["investigations"] and not i.get("already_requested")
        ],
        "accepted_referrals": [
            {**r, "label": labels["referrals"][r["code"]]}
            for r in a["referrals"]
            if r["code"] in accepted["referrals"]
        ],
        "accepted_differentials": [
            labels["differentials"][d["code"]]
            for d in a["differentials"]
            if d["code"] in accepted["differentials"]
        ],
        "referrals_all": {
            r["code"]: {**r, "label": labels["referrals"][r["code"]]} for r in a["referrals"]
        },
        "awaited": awaited_of(a, kb),
    }
