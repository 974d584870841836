"""What each printed document says, built from the knowledge base and an assessment.

No database here: the review page, the Celery task and the command line all pass in the same
plain data (intake, assessment, accepted codes, names), so a handout printed from the browser
and one printed from `manage.py handout` come from one place.
"""

import re
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
    # The letterhead and the signature (empty: printed as "not recorded")
    practice_address: str = ""
    practice_telephone: str = ""
    practice_ods_code: str = ""
    clinician_role: str = ""
    clinician_registration: str = ""  # "GMC 1234567" or "NMC 12A3456E"
    # The patient's allergies: the text as the GP wrote it, or "no known allergies" ticked;
    # neither is "not recorded". `allergies_checked`: confirmed at this visit (None: unknown,
    # as on the command line).
    allergies: str = ""
    no_known_allergies: bool = False
    allergies_checked: bool | None = None
    # For the referral letters, beside the intake (empty: "not recorded"): how long the
    # symptoms have lasted, in words ("1 to 5 years"), and any earlier vein surgery or procedure
    symptoms_for: str = ""
    venous_surgery: str = ""

    @property
    def nhs_number_spaced(self) -> str:
        return nhs_number_spaced(self.nhs_number)

    @property
    def age(self) -> int | None:
        """The age on the day of the document: from the date of birth, else the intake's."""
        if self.date_of_birth:
            dob, day = self.date_of_birth, self.day
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        age = (self.intake or {}).get("age")
        return age if isinstance(age, int) else None

    @classmethod
    def all_accepted(cls, intake: dict, assessment: dict, **kwargs) -> "DocumentInput":
        """For the command line: every recommended item counts as accepted (a version 1
        assessment has no `actions`)."""
        accepted = {k: [i["code"] for i in assessment.get(k, [])] for k in DECIDABLE}
        return cls(intake=intake, assessment=assessment, accepted=accepted, **kwargs)


NOT_RECORDED = "not recorded"  # what a document prints for a field nobody recorded


def nhs_number_spaced(number: str) -> str:
    """An NHS number as it is written and read aloud, 3-3-4: "943 476 5919"."""
    digits = re.sub(r"\s", "", number or "")
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return number or ""


def _t(statement: dict) -> str:
    """A knowledge-base statement in the active language."""
    return _(statement["text"])


def is_gp_action(kb: KnowledgeBase, code: str) -> bool:
    """An investigation of the catalogue that is something the GP does, not a test (a
    medication review: `kind: review`, shown with the actions): never under a document's tests
    or "Investigations requested"."""
    item = kb.catalogue["investigations"].get(code) or {}
    return item.get("kind") == "review" or item.get("shown_as") == "actions"


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
    tests, reviews = [], []
    for i in a["investigations"]:
        if i["code"] not in accepted["investigations"] and not i.get("already_requested"):
            continue
        if is_gp_action(kb, i["code"]):  # a medication review: what the doctor will do
            statement = h["investigations"].get(i["code"]) or h["actions"][i["code"]]
            reviews.append(_t(statement))
        else:
            line = _t(h["investigations"][i["code"]])
            tests.append(line + (f" {earlier}" if i.get("already_requested") else ""))
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
    actions = reviews + [
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
    `already_requested`), with the date they were requested in words (a medication review is
    not a test that is awaited)."""
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
        and not (section == "investigations" and is_gp_action(kb, i["code"]))
    ]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(label: str) -> str:
    """A label inside a sentence: "Chronic venous disease" -> "chronic venous disease" (an
    acronym such as "DVT" or "ABPI" is kept)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def reasons_by_rule(kb: KnowledgeBase, section: str, code: str, reasons) -> list[tuple]:
    """Each of an item's reasons as (the patient's own evidence, the rule that gave it). The
    engine writes a reason as "<evidence>. <why>" (assess.py), the why being the rule's, for
    the GP; a reader elsewhere wants the evidence. A reason no rule of this knowledge base
    wrote (an earlier version's, or "Referred on ...") comes back whole, with no rule."""
    candidates = [
        (rule, _capital(out.get("why") or rule.why))
        for rule in kb.rules
        for out in rule.then.get(section, ())
        if out["code"] == code
    ]
    split = []
    for reason in reasons or ():
        for rule, why in candidates:
            if reason == why:
                split.append(("", rule))
                break
            if reason.endswith(". " + why):
                split.append((reason[: -len(why) - 2], rule))
                break
        else:
            split.append((reason, None))
    return split


def receiver_summary(kb: KnowledgeBase, assessment: dict, section: str, item: dict | None) -> dict:
    """The reason for a referral or a scan, written for whoever receives it: the patient's
    findings that led to it (the engine's evidence) and the question asked, in the knowledge
    base's words: "Please assess for <the differentials of the rules that recommended it>",
    or, for a rule with none, its title as the indication ("ABPI under 0.8")."""
    item = item or {}
    present = {d["code"] for d in assessment.get("differentials") or ()}
    labels = kb.catalogue["differentials"]
    findings, assess_for, indications = [], [], []
    for evidence, rule in reasons_by_rule(kb, section, item.get("code"), item.get("reasons")):
        if rule is None:
            if not item.get("already_requested"):  # "Referred on ...": listed as awaited
                findings.append(evidence.rstrip("."))
            continue
        if evidence and evidence not in findings:
            findings.append(evidence)
        differentials = [
            labels[o["code"]]["label"]
            for o in rule.then.get("differentials", ())
            if o["code"] in present
        ]
        for label in differentials or ():
            if _lower(label) not in assess_for:
                assess_for.append(_lower(label))
        if not differentials and rule.title not in indications:
            indications.append(rule.title)
    # a test the referral itself does (catalogue `decided_with`), as the rule asked for it
    includes = [
        kb.catalogue["investigations"][i["code"]]["label"]
        for i in assessment.get("investigations") or ()
        if section == "referrals"
        and kb.catalogue["investigations"][i["code"]].get("decided_with") == item.get("code")
    ]
    question = []
    if assess_for:
        question.append(f"Please assess for {_and_list(assess_for)}.")
    question += [f"Indication: {title}." for title in indications]
    return {
        "findings": findings,
        "question": question or ["Please assess and advise."],
        "includes": includes,
    }


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# The findings of the vocabulary a neurologist reads as the neurological history and
# examination (muscle, nerve, root and restless-legs findings), in this order.
NEURO_FINDINGS = (
    "muscle_weakness",
    "muscle_wasting",
    "fasciculations",
    "reduced_reflexes_or_sensation",
    "numbness_or_tingling",
    "muscle_pain_or_tenderness",
    "back_pain_radiating_to_leg",
    "saddle_anaesthesia_or_sphincter_change",
    "urge_to_move_legs",
    "relief_by_movement",
)
RED_FLAG_WORDS = {"emergency": "immediately", "same_day": "same day", "urgent": "urgent"}
RED_FLAG_HOURS = {"emergency": 0, "same_day": 24, "urgent": 72}
WITHIN_HOURS = re.compile(r"within (\d+) hours")


def test_urgency(kb: KnowledgeBase, assessment: dict, code: str) -> dict:
    """How soon a laboratory test is needed: the catalogue label's own words ("D-dimer
    (within 4 hours)"), or a red flag raised now whose action names the test ("check a full
    blood count today"), whichever is sooner; else routine."""
    label = kb.catalogue["investigations"][code]["label"]
    name, _, detail = label.partition(" (")
    detail = detail.removesuffix(")")
    soonest = None  # (hours, words)
    within = WITHIN_HOURS.search(detail)
    if within:
        soonest = (int(within.group(1)), detail)
    for flag in assessment.get("red_flags") or ():
        entry = kb.catalogue["red_flags"].get(flag["code"]) or {}
        urgency = flag.get("urgency") or entry.get("urgency")
        if name.lower() not in entry.get("action", "").lower() or urgency not in RED_FLAG_HOURS:
            continue
        hours = RED_FLAG_HOURS[urgency]
        if soonest is None or hours < soonest[0]:
            soonest = (hours, f"{RED_FLAG_WORDS[urgency]} ({_lower(entry['label'])})")
    return {
        "name": name if within else label,
        "words": soonest[1] if soonest else "routine",
        "urgent": soonest is not None,
    }


def key_results(
    assessment: dict, kb: KnowledgeBase, codes, accepted: dict, day: date
) -> list[dict]:
    """The results a receiver always looks for (CK and electrolytes for neurology, the ABPI
    for the vascular team): each recorded result with its date, else whether it was
    requested (today, or at an earlier visit and awaited), else "not recorded"."""
    shown = {r["code"]: r for r in results_of(assessment, kb, codes)}
    awaited = {
        i["code"]: i["already_requested"]
        for i in assessment.get("investigations") or ()
        if i.get("already_requested")
    }
    wanted = set(accepted.get("investigations", ()))
    rows = []
    for code in codes:
        if code in shown:
            rows.append(shown[code])
            continue
        answers = list(getattr(kb.results.get(code), "answers", None) or ())
        since = next((awaited[a] for a in answers if a in awaited), None)
        if since:
            value = f"requested on {day_words(since)}, result awaited"
        elif any(a in wanted for a in answers):
            value = f"requested on {day_words(day)}, result to follow"
        else:
            value = NOT_RECORDED
        rows.append(
            {
                "code": code,
                "label": result_label(kb, code),
                "value": value,
                "flag": "",
                "abnormal": False,
                "date": "",
                "reasons": [],
                "missing": True,
            }
        )
    return rows


def allergies_of(doc: DocumentInput) -> dict:
    """The allergies as every clinical document prints them: the text the GP wrote, "No known
    allergies", or "Allergies: not recorded"; and whether they were checked at this visit."""
    text = (doc.allergies or "").strip()
    if text:
        state, words = "recorded", text
    elif doc.no_known_allergies:
        state, words = "none_known", "No known allergies"
    else:
        state, words = "not_recorded", NOT_RECORDED
    checked = {True: f"checked on {day_words(doc.day)}", False: "not checked at this visit"}
    return {"state": state, "text": words, "checked": checked.get(doc.allergies_checked, "")}


def letterhead_of(doc: DocumentInput) -> dict:
    return {
        "practice": doc.practice or NOT_RECORDED,
        "address": [line for line in (doc.practice_address or "").splitlines() if line.strip()],
        "telephone": doc.practice_telephone or NOT_RECORDED,
        "ods_code": doc.practice_ods_code or NOT_RECORDED,
    }


def signer_of(doc: DocumentInput) -> dict:
    body, _, number = (doc.clinician_registration or "").partition(" ")
    return {
        "name": doc.clinician or NOT_RECORDED,
        "role": doc.clinician_role or NOT_RECORDED,
        "registration": f"{body} number {number}" if number else "",
    }


def pregnancy_words(intake: dict, kb: KnowledgeBase, sex: str, age: int | None) -> str:
    """The pregnancy status where it can apply: any status but "none"; "not pregnant" only
    for a woman younger than the age from which the intake stops asking (scores.yaml)."""
    status = intake.get("pregnancy", "none")
    label = kb.vocabulary["pregnancy"][status]["label"]
    if status != "none":
        return label
    limit = (kb.scores.get("adults") or {}).get("pregnancy_not_asked_from_age", 55)
    female = (sex or intake.get("sex", "")).lower() == "female"
    return label if female and (age is None or age < limit) else ""


def clinical_context(doc: DocumentInput, kb: KnowledgeBase) -> dict:
    """For the referral letter, the lab request and the scan request (for clinicians, in
    English). `accepted_investigations` lists every accepted test as the assessment orders
    them; the documents leave out those marked `already_requested` (listed in `awaited`, with
    the date they were first requested), so no test is asked for twice. A medication review
    is what the GP does (`plan`), never an investigation requested."""
    v, a, intake = kb.vocabulary, doc.assessment, doc.intake
    cramps = intake["cramps"]
    labels = {
        kind: {c: i["label"] for c, i in kb.catalogue[kind].items()}
        for kind in ("investigations", "referrals", "red_flags", "differentials", "actions")
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
    findings = [synonyms.get(f, f) for f in intake.get("findings", [])]
    legs = {
        leg: [label("leg_signs", s) for s in intake.get("legs", {}).get(leg, [])]
        for leg in ("left", "right")
    }
    recurrent = [
        leg
        for leg in ("left", "right")
        if "recurrent_varicose_veins" in intake.get("legs", {}).get(leg, [])
    ]
    medications = a["medications"]
    return {
        "letterhead": letterhead_of(doc),
        "signer": signer_of(doc),
        "allergies": allergies_of(doc),
        "cramps": {
            "episodes_per_week": cramps["episodes_per_week"],
            "longest_minutes": cramps["longest_minutes"],
            "when": ", ".join(label("cramp_when", w) for w in cramps["when"]),
            "sites": ", ".join(label("cramp_sites", s) for s in cramps["sites"]),
            "side": cramps["side"],
            "relieved": cramps["relieved_by_stretching"],
            "sleep": cramps.get("sleep_disturbed", False),
        },
        "pregnancy": pregnancy_words(intake, kb, doc.sex, doc.age),
        "findings": [label("findings", f) for f in findings],
        "other_findings": [label("findings", f) for f in findings if f not in NEURO_FINDINGS],
        "neuro_findings": {
            "present": [label("findings", f) for f in NEURO_FINDINGS if f in findings],
            "not_recorded": [label("findings", f) for f in NEURO_FINDINGS if f not in findings],
        },
        "symptoms_for": doc.symptoms_for,
        "venous_surgery": doc.venous_surgery,
        "previous_dvt": label("findings", "previous_dvt") if "previous_dvt" in findings else "",
        "recurrent_varicose_legs": recurrent,
        "conditions": [label("conditions", c) for c in intake.get("conditions", [])],
        "legs": legs,
        "any_leg_sign": any(legs.values()),
        "ceap": a["ceap"],
        "wells": wells,
        "medications": medications,
        "anticoagulants": [m for m in current_medicines(a) if m.get("class") == "anticoagulant"],
        "red_flags": [
            {
                **f,
                "label": labels["red_flags"][f["code"]],
                "urgency_words": (f.get("urgency") or "").replace("_", " "),
            }
            for f in a["red_flags"]
        ],
        "accepted_investigations": [
            {
                **i,
                "label": labels["investigations"][i["code"]],
                "kind": kb.catalogue["investigations"][i["code"]]["kind"],
            }
            for i in a["investigations"]
            if i["code"] in accepted["investigations"] and not is_gp_action(kb, i["code"])
        ],
        "requested_investigations": [
            {**i, "label": labels["investigations"][i["code"]]}
            for i in a["investigations"]
            if i["code"] in accepted["investigations"]
            and not i.get("already_requested")
            and not is_gp_action(kb, i["code"])
        ],
        # what the GP does: a medication review and the actions accepted
        "plan": [
            labels["investigations"][i["code"]]
            for i in a["investigations"]
            if i["code"] in accepted["investigations"] and is_gp_action(kb, i["code"])
        ]
        + [
            labels["actions"][i["code"]]
            for i in a.get("actions") or ()
            if i["code"] in accepted["actions"] and i["code"] in labels["actions"]
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
