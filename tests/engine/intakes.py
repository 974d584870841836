"""Contract-2 intakes for the engine tests, read from REFERENCE.md 3-3c and the contract README.

`intake(**overrides)` is a typical idiopathic night cramp (REFERENCE section 1), changed only
where a test says so; the strategies at the end generate valid version 1 and version 2 intakes
for hypothesis. Nothing here reads the knowledge base: the codes are the contract's own, so a
code the engine forgot to accept shows up as a failure instead of being generated away.
"""
import copy
from datetime import date

from hypothesis import strategies as st

TYPICAL = {
    "age": 68,
    "sex": "female",
    "pregnancy": "none",
    "cramps": {
        "episodes_per_week": 3,
        "longest_minutes": 3,
        "when": ["night"],
        "sites": ["calf"],
        "side": "both",
        "relieved_by_stretching": True,
        "sleep_disturbed": True,
    },
    "findings": [],
    "conditions": [],
    "medications": [],
    "legs": {"left": [], "right": []},
}


def intake(*, cramps=None, left=None, right=None, **overrides):
    """A typical night cramp; `cramps` updates the cramp fields, `left`/`right` set the legs."""
    data = copy.deepcopy(TYPICAL)
    data["cramps"].update(cramps or {})
    if left is not None:
        data["legs"]["left"] = list(left)
    if right is not None:
        data["legs"]["right"] = list(right)
    data.update(copy.deepcopy(overrides))
    return data


def result(code, value, **extra):
    return {"code": code, "value": value, **extra}


def previous(code, kind="investigation", on="2026-09-01"):
    return {"code": code, "kind": kind, "date": on}


# -- Reading an assessment ----------------------------------------------------------------------

def codes(assessment, section):
    return [entry["code"] for entry in assessment[section]]


def find(assessment, section, code):
    found = [entry for entry in assessment[section] if entry["code"] == code]
    return found[0] if found else None


def item(assessment, section, code):
    found = find(assessment, section, code)
    assert found is not None, f"{section} has no {code}: {codes(assessment, section)}"
    return found


def new_codes(assessment, section):
    """Codes recommended at this visit (not outstanding from an earlier one)."""
    return [e["code"] for e in assessment[section] if not e.get("already_requested")]


def flag_of(assessment, code):
    found = [r for r in assessment["results"] if r["code"] == code]
    assert found, f"results has no {code}: {[r['code'] for r in assessment['results']]}"
    return found[0]["flag"]


# -- Medicines as a GP types them (REFERENCE section 5 and 3a) ---------------------------------
LOOP_DIURETIC = "Furosemide 40mg"
THIAZIDE = "Bendroflumethiazide 2.5 mg"
POTASSIUM_SPARING = "Spironolactone 25mg"
STATIN = "Atorvastatin 20 mg"
PPI = "Omeprazole 20mg"
QUININE = "Quinine sulfate 200mg"
NOT_ASSOCIATED = "Paracetamol 1g"
DIURETICS = (LOOP_DIURETIC, THIAZIDE, POTASSIUM_SPARING)

# -- Contract 2 codes (contract README) ---------------------------------------------------------
FINDINGS_V1 = [
    "urge_to_move_legs", "relief_by_movement", "calf_pain_on_walking_relieved_by_rest",
    "numbness_or_tingling", "muscle_weakness", "muscle_wasting", "fasciculations",
    "muscle_pain_or_tenderness", "reduced_reflexes_or_sensation", "back_pain_radiating_to_leg",
    "saddle_anaesthesia_or_sphincter_change", "thirst_or_polyuria", "thyroid_symptoms",
    "vomiting_or_diarrhoea", "heavy_alcohol_use", "low_fluid_intake", "strenuous_exercise",
    "prolonged_standing_or_sitting", "tetanus_prone_wound", "unexplained_bruising_or_bleeding",
    "drinks_tonic_water_for_cramps", "weak_or_absent_foot_pulses", "rest_pain_in_foot",
    "sudden_cold_pale_pulseless_leg",
]
WELLS_ITEMS = [
    "active_cancer", "paralysis_or_plaster_cast", "bedridden_or_recent_major_surgery",
    "deep_vein_tenderness", "whole_leg_swollen", "calf_swelling_3cm", "pitting_oedema_one_leg",
    "collateral_superficial_veins", "previous_dvt", "alternative_diagnosis_likely",
]
DVT_SIGNS = ["calf_swelling_3cm", "whole_leg_swollen", "deep_vein_tenderness",
             "pitting_oedema_one_leg"]
FOOT_ULCER_CODES = ["foot_ulcer", "foot_ulcer_or_gangrene"]   # the old code is a synonym
FINDINGS = FINDINGS_V1 + WELLS_ITEMS + ["chest_pain_or_breathlessness", "gangrene"]
CONDITIONS = ["diabetes", "thyroid_disease", "chronic_kidney_disease", "dialysis",
              "liver_disease", "peripheral_arterial_disease", "lumbar_spinal_stenosis", "smoker"]
LEG_SIGNS = [
    "telangiectasia_or_reticular_veins", "varicose_veins", "recurrent_varicose_veins",
    "venous_oedema", "pigmentation_or_eczema", "lipodermatosclerosis_or_atrophie_blanche",
    "corona_phlebectatica", "healed_venous_ulcer", "active_venous_ulcer",
    "recurrent_active_venous_ulcer", "venous_symptoms", "bleeding_varicose_vein",
    "superficial_vein_thrombosis",
]
C4_OR_MORE = ["pigmentation_or_eczema", "lipodermatosclerosis_or_atrophie_blanche",
              "corona_phlebectatica", "healed_venous_ulcer", "active_venous_ulcer",
              "recurrent_active_venous_ulcer"]
PREGNANCY = ["none", "possible", "trimester_1", "trimester_2", "trimester_3", "postpartum"]
PREGNANT = ["trimester_1", "trimester_2", "trimester_3", "postpartum"]

INVESTIGATIONS = [
    "u_and_e", "calcium", "magnesium", "tsh", "glucose_hba1c", "liver_function",
    "creatine_kinase", "ferritin", "vitamin_b12", "pregnancy_test", "ankle_brachial_index",
    "d_dimer", "proximal_leg_vein_ultrasound", "venous_duplex_ultrasound", "medication_review",
    "full_blood_count", "free_t4",
]
REFERRALS = ["vascular", "neurology", "emergency_department"]
RED_FLAGS = [
    "suspected_dvt", "acute_limb_ischaemia", "critical_limb_ischaemia", "bleeding_varicose_vein",
    "neuromuscular_signs", "cauda_equina", "tetanus_risk", "quinine_bleeding",
    "suspected_pulmonary_embolism", "critical_result", "confirmed_dvt",
]
DIFFERENTIALS = [
    "idiopathic_nocturnal_leg_cramps", "restless_legs_syndrome", "peripheral_arterial_disease",
    "deep_vein_thrombosis", "chronic_venous_disease", "peripheral_neuropathy",
    "neuromuscular_disease", "lumbar_radiculopathy", "drug_induced_cramps",
    "statin_muscle_symptoms", "pregnancy_associated_cramps", "electrolyte_disturbance",
    "thyroid_disease", "diabetes", "liver_disease", "haematological_cause",
    "superficial_vein_thrombosis", "exercise_associated_cramps", "vitamin_b12_deficiency",
]
ACTIONS = [
    "review_diuretic", "review_medicine_causing_low_magnesium", "repeat_egfr_within_3_months",
    "confirm_diabetes", "diabetes_prevention_advice", "stop_statin_recheck_ck_in_7_days",
    "offer_oral_iron", "treat_vitamin_b12_deficiency", "no_compression",
    "compression_may_be_used", "dvt_unlikely_consider_other_causes", "start_anticoagulation",
    "repeat_ultrasound_in_6_to_8_days", "quinine_review",
]
RED_FLAG_URGENCIES = {"emergency", "same_day", "urgent"}
REFERRAL_URGENCIES = {"immediate", "urgent", "routine"}
FLAGS = {"normal", "low", "high", "critical", "positive", "negative"}

UNITS = {
    "sodium": "mmol/L", "potassium": "mmol/L", "adjusted_calcium": "mmol/L",
    "magnesium": "mmol/L", "egfr": "mL/min/1.73m2", "tsh": "mU/L", "hba1c": "mmol/mol",
    "creatine_kinase": "U/L", "ferritin": "micrograms/L", "vitamin_b12": "ng/L",
    "ankle_brachial_index": "ratio",
}
CODED_RESULTS = ["d_dimer", "proximal_leg_vein_ultrasound", "pregnancy_test"]
RESULT_CODES = list(UNITS) + CODED_RESULTS

# REFERENCE 3c: the results that answer a previous investigation (otherwise the same code).
ANSWERED_BY = {"u_and_e": {"sodium", "potassium", "egfr"}, "calcium": {"adjusted_calcium"},
               "glucose_hba1c": {"hba1c"}}


def answers(investigation):
    return ANSWERED_BY.get(investigation, {investigation})


# -- Hypothesis strategies ----------------------------------------------------------------------
# Each numeric result is drawn from its REFERENCE 3b edges (exactly at a threshold and just
# either side) or from a plausible range. Magnesium, eGFR and HbA1c stay where REFERENCE
# names a band: there is no high magnesium band, and HbA1c between 41 and 42 is left alone
# (the "normal" band is not written, so "the worse band" does not say where it falls).
EDGES = {
    "sodium": [124.9, 125, 132.9, 133, 140, 146, 146.1, 155, 155.1],
    "potassium": [2.3, 2.49, 2.5, 3.49, 3.5, 4.2, 5.3, 5.31, 5.99, 6.0, 6.49, 6.5, 7.1],
    "adjusted_calcium": [1.79, 1.8, 2.19, 2.2, 2.4, 2.6, 2.61, 3.0, 3.01],
    "magnesium": [0.3, 0.39, 0.4, 0.69, 0.7, 0.85],
    "egfr": [15, 59, 59.9, 60, 90],
    "tsh": [0.1, 0.29, 0.3, 2.0, 4.5, 4.51, 9.0],
    "hba1c": [38, 41, 42, 44, 47, 47.5, 47.99, 48, 60],
    "creatine_kinase": [100, 200, 201, 999, 1000, 1001, 5000],
    "ferritin": [5, 14, 14.9, 15, 50, 75, 75.1, 150],
    "vitamin_b12": [100, 179, 179.9, 180, 400],
    "ankle_brachial_index": [0.3, 0.49, 0.495, 0.5, 0.79, 0.795, 0.8, 0.9, 0.905, 0.91, 1.0,
                             1.3, 1.305, 1.31, 1.5],
}
RANGES = {
    "sodium": (110, 170), "potassium": (1.5, 8.0), "adjusted_calcium": (1.2, 3.8),
    "magnesium": (0.1, 1.05), "egfr": (3, 140), "tsh": (0.0, 60.0), "hba1c": (20, 41),
    "creatine_kinase": (0, 20000), "ferritin": (0, 600), "vitamin_b12": (0, 1500),
    "ankle_brachial_index": (0.1, 2.0),
}


def numeric_value(code):
    low, high = RANGES[code]
    spread = st.floats(low, high, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 2))
    if code == "hba1c":   # keep clear of (41, 42), see above
        spread = spread | st.floats(48, 130).map(lambda v: round(v, 1))
    return st.sampled_from(EDGES[code]) | spread


dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)).map(date.isoformat)


@st.composite
def one_result(draw, code):
    if code in CODED_RESULTS:
        entry = {"code": code, "value": draw(st.sampled_from(["positive", "negative"]))}
    else:
        entry = {"code": code, "value": draw(numeric_value(code))}
        if code == "creatine_kinase" and draw(st.booleans()):
            entry["upper_limit"] = draw(st.sampled_from([150, 200, 320]))
    if draw(st.booleans()):
        entry["date"] = draw(dates)
    return entry


@st.composite
def results_lists(draw, result_codes):
    chosen = draw(st.lists(st.sampled_from(result_codes), unique=True, max_size=5))
    return [draw(one_result(code)) for code in chosen]


@st.composite
def previous_lists(draw):
    entries = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["investigation", "referral"]))
        pool = INVESTIGATIONS if kind == "investigation" else REFERRALS
        entries.append({"code": draw(st.sampled_from(pool)), "kind": kind, "date": draw(dates)})
    if entries and draw(st.booleans()):   # the same item requested twice: earliest date wins
        again = dict(entries[0], date=draw(dates))
        entries.append(again)
    return entries


MEDICINES = [LOOP_DIURETIC, "Lasix", THIAZIDE, POTASSIUM_SPARING, STATIN, "Simvastatin 40mg",
             PPI, "Lansoprazole 30mg", QUININE, NOT_ASSOCIATED, "Metformin 500mg",
             "Levothyroxine 100 micrograms", "Salbutamol inhaler"]
STATINS = {STATIN, "Simvastatin 40mg"}
PPIS = {PPI, "Lansoprazole 30mg"}
LOOP_OR_THIAZIDE = {LOOP_DIURETIC, "Lasix", THIAZIDE}
ALL_DIURETICS = LOOP_OR_THIAZIDE | {POTASSIUM_SPARING}


def subsets(pool, max_size=6):
    return st.lists(st.sampled_from(pool), unique=True, max_size=max_size)


@st.composite
def intakes(draw, *, version=2):
    """A valid contract intake: version 1 fields only, or version 2 (results, previous...)."""
    sex = draw(st.sampled_from(["female", "male", "other"]))
    pregnancy_values = ["none"] if sex == "male" else (
        PREGNANCY if version == 2 else PREGNANCY[:-1])
    findings = draw(subsets(FINDINGS, 7))
    if draw(st.integers(0, 4)) == 0:   # a foot ulcer, under either code (never both)
        findings.append(draw(st.sampled_from(FOOT_ULCER_CODES if version == 2
                                             else ["foot_ulcer_or_gangrene"])))
    if version == 1:
        findings = [f for f in findings
                    if f not in ("chest_pain_or_breathlessness", "gangrene")]
    data = {
        "age": draw(st.integers(16, 120)),
        "sex": sex,
        "cramps": {
            "episodes_per_week": draw(st.integers(0, 30) | st.floats(0, 50).map(
                lambda v: round(v, 1))),
            "longest_minutes": draw(st.sampled_from([0, 3, 10, 10.5, 11, 30])
                                    | st.floats(0, 120).map(lambda v: round(v, 1))),
            "when": draw(st.lists(st.sampled_from(["night", "rest", "exercise", "day"]),
                                  min_size=1, unique=True)),
            "sites": draw(st.lists(st.sampled_from(["calf", "foot", "thigh", "other_muscles"]),
                                   min_size=1, unique=True)),
            "side": draw(st.sampled_from(["left", "right", "both"])),
            "relieved_by_stretching": draw(st.booleans()),
        },
        "findings": findings,
    }
    if draw(st.booleans()):
        data["cramps"]["sleep_disturbed"] = draw(st.booleans())
    pregnancy = draw(st.sampled_from(pregnancy_values))
    if pregnancy != "none" or draw(st.booleans()):
        data["pregnancy"] = pregnancy
    optional = {
        "conditions": subsets(CONDITIONS, 3),
        "medications": subsets(MEDICINES, 3),
        "legs": st.fixed_dictionaries({"left": subsets(LEG_SIGNS, 4),
                                       "right": subsets(LEG_SIGNS, 4)}),
    }
    if version == 2:
        # a pregnancy test result only where pregnancy is "possible": REFERENCE says what a
        # result means there, not what a test means beside "none" or a trimester
        result_codes = [c for c in RESULT_CODES if c != "pregnancy_test" or pregnancy == "possible"]
        optional.update(results=results_lists(result_codes), previous=previous_lists(),
                        quinine_started=dates)
    for field, strategy in optional.items():
        if draw(st.integers(0, 3)) > 0:
            data[field] = draw(strategy)
    return data


any_intake = st.one_of(intakes(version=1), intakes(version=2))
