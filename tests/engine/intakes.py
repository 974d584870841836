"""Contract-2 intakes for the engine tests, read from REFERENCE.md 3-3c and the contract README.

`intake(**overrides)` is a typical idiopathic night cramp (REFERENCE section 1), changed only
where a test says so; the strategies at the end generate valid version 1 and version 2 intakes
for hypothesis. Nothing here reads the knowledge base: the codes are the contract's own, so a
code the engine forgot to accept shows up as a failure instead of being generated away.
"""

import copy
from datetime import date

from hypothesis import strategies as st

from tests.factories import TYPICAL  # a typical idiopathic night cramp (REFERENCE section 1)


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
    "urge_to_move_legs",
    "relief_by_movement",
    "calf_pain_on_walking_relieved_by_rest",
    "numbness_or_tingling",
    "muscle_weakness",
    "muscle_wasting",
    "fasciculations",
    "muscle_pain_or_tenderness",
    "reduced_reflexes_or_sensation",
    "back_pain_radiating_to_leg",
    "saddle_anaesthesia_or_sphincter_change",
    "thirst_or_polyuria",
    "thyroid_symptoms",
    "vomiting_or_diarrhoea",
    "heavy_alcohol_use",
    "low_fluid_intake",
    "strenuous_exercise",
    "prolonged_standing_or_sitting",
    "tetanus_prone_wound",
    "unexplained_bruising_or_bleeding",
    "drinks_tonic_water_for_cramps",
    "weak_or_absent_foot_pulses",
    "rest_pain_in_foot",
    "sudden_cold_pale_pulseless_leg",
]
WELLS_ITEMS = [
    "active_cancer",
    "paralysis_or_plaster_cast",
    "bedridden_or_recent_major_surgery",
    "deep_vein_tenderness",
    "whole_leg_swollen",
    "calf_swelling_3cm",
    "pitting_oedema_one_leg",
    "collateral_superficial_veins",
    "previous_dvt",
    "alternative_diagnosis_likely",
]
DVT_SIGNS = [
    "calf_swelling_3cm",
    "whole_leg_swollen",
    "deep_vein_tenderness",
    "pitting_oedema_one_leg",
]
FOOT_ULCER_CODES = ["foot_ulcer", "foot_ulcer_or_gangrene"]  # the old code is a synonym
FINDINGS = FINDINGS_V1 + WELLS_ITEMS + ["chest_pain_or_breathlessness", "gangrene"]
CONDITIONS = [
    "diabetes",
    "thyroid_disease",
    "chronic_kidney_disease",
    "dialysis",
    "liver_disease",
    "peripheral_arterial_disease",
    "lumbar_spinal_stenosis",
    "smoker",
]
LEG_SIGNS = [
    "telangiectasia_or_reticular_veins",
    "varicose_veins",
    "recurrent_varicose_veins",
    "venous_oedema",
    "pigmentation_or_eczema",
    "lipodermatosclerosis_or_atrophie_blanche",
    "corona_phlebectatica",
    "healed_venous_ulcer",
    "active_venous_ulcer",
    "recurrent_active_venous_ulcer",
    "venous_symptoms",
    "bleeding_varicose_vein",
    "superficial_vein_thrombosis",
]
C4_OR_MORE = [
    "pigmentation_or_eczema",
    "lipodermatosclerosis_or_atrophie_blanche",
    "corona_phlebectatica",
    "healed_venous_ulcer",
    "active_venous_ulcer",
    "recurrent_active_venous_ulcer",
]
PREGNANCY = ["none", "possible", "trimester_1", "trimester_2", "trimester_3", "postpartum"]
PREGNANT = ["trimester_1", "trimester_2", "trimester_3", "postpartum"]

INVESTIGATIONS = [
    "u_and_e",
    "calcium",
    "magnesium",
    "tsh",
    "glucose_hba1c",
    "liver_function",
    "creatine_kinase",
    "ferritin",
    "vitamin_b12",
    "pregnancy_test",
    "ankle_brachial_index",
    "d_dimer",
    "proximal_leg_vein_ultrasound",
    "venous_duplex_ultrasound",
    "medication_review",
    "full_blood_count",
    "free_t4",
]
REFERRALS = ["vascular", "neurology", "emergency_department"]
RED_FLAGS = [
    "suspected_dvt",
    "acute_limb_ischaemia",
    "critical_limb_ischaemia",
    "bleeding_varicose_vein",
    "neuromuscular_signs",
    "cauda_equina",
    "tetanus_risk",
    "quinine_bleeding",
    "suspected_pulmonary_embolism",
    "critical_result",
    "confirmed_dvt",
]
DIFFERENTIALS = [
    "idiopathic_nocturnal_leg_cramps",
    "restless_legs_syndrome",
    "peripheral_arterial_disease",
    "deep_vein_thrombosis",
    "chronic_venous_disease",
    "peripheral_neuropathy",
    "neuromuscular_disease",
    "lumbar_radiculopathy",
    "drug_induced_cramps",
    "statin_muscle_symptoms",
    "pregnancy_associated_cramps",
    "electrolyte_disturbance",
    "thyroid_disease",
    "diabetes",
    "liver_disease",
    "haematological_cause",
    "superficial_vein_thrombosis",
    "exercise_associated_cramps",
    "vitamin_b12_deficiency",
]
ACTIONS = [
    "review_diuretic",
    "review_medicine_causing_low_magnesium",
    "repeat_egfr_within_3_months",
    "confirm_diabetes",
    "diabetes_prevention_advice",
    "stop_statin_recheck_ck_in_7_days",
    "offer_oral_iron",
    "treat_vitamin_b12_deficiency",
    "no_compression",
    "compression_may_be_used",
    "dvt_unlikely_consider_other_causes",
    "start_anticoagulation",
    "repeat_ultrasound_in_6_to_8_days",
    "quinine_review",
]
RED_FLAG_URGENCIES = {"emergency", "same_day", "urgent"}
REFERRAL_URGENCIES = {"immediate", "urgent", "routine"}
FLAGS = {"normal", "low", "high", "critical", "positive", "negative"}

UNITS = {
    "sodium": "mmol/L",
    "potassium": "mmol/L",
    "adjusted_calcium": "mmol/L",
    "magnesium": "mmol/L",
    "egfr": "mL/min/1.73m2",
    "tsh": "mU/L",
    "hba1c": "mmol/mol",
    "creatine_kinase": "U/L",
    "ferritin": "micrograms/L",
    "vitamin_b12": "ng/L",
    "ankle_brachial_index": "ratio",
}
CODED_RESULTS = ["d_dimer", "proximal_leg_vein_ultrasound", "pregnancy_test"]
RESULT_CODES = list(UNITS) + CODED_RESULTS

# REFERENCE 3c: the results that answer a previous investigation (otherwise the same code).
ANSWERED_BY = {
    "u_and_e": {"sodium", "potassium", "egfr"},
    "calcium": {"adjusted_calcium"},
    "glucose_hba1c": {"hba1c"},
}


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
    "ankle_brachial_index": [
        0.3,
        0.49,
        0.495,
        0.5,
        0.79,
        0.795,
        0.8,
        0.9,
        0.905,
        0.91,
        1.0,
        1.3,
        1.305,
        1.31,
        1.5,
    ],
}
RANGES = {
    "sodium": (110, 170),
    "potassium": (1.5, 8.0),
    "adjusted_calcium": (1.2, 3.8),
    "magnesium": (0.1, 1.05),
    "egfr": (3, 140),
    "tsh": (0.0, 60.0),
    "hba1c": (20, 41),
    "creatine_kinase": (0, 20000),
    "ferritin": (0, 600),
    "vitamin_b12": (0, 1500),
    "ankle_brachial_index": (0.1, 2.0),
}


def _numeric_value(code):
    low, high = RANGES[code]
    spread = st.floats(low, high, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 2))
    if code == "hba1c":  # keep clear of (41, 42), see above
        spread = spread | st.floats(48, 130).map(lambda v: round(v, 1))
    return st.sampled_from(EDGES[code]) | spread


# Strategies are built once here: building them inside a draw costs more than the engine.
dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)).map(date.isoformat)
VALUES = {code: _numeric_value(code) for code in RANGES}
VALUES.update({code: st.sampled_from(["positive", "negative"]) for code in CODED_RESULTS})
UPPER_LIMITS = st.sampled_from([150, 200, 320])
BOOLEANS = st.booleans()


@st.composite
def one_result(draw, code):
    entry = {"code": code, "value": draw(VALUES[code])}
    if code == "creatine_kinase" and draw(BOOLEANS):
        entry["upper_limit"] = draw(UPPER_LIMITS)
    if draw(BOOLEANS):
        entry["date"] = draw(dates)
    return entry


RESULT_CODE_LISTS = {
    with_test: st.lists(
        st.sampled_from([c for c in RESULT_CODES if with_test or c != "pregnancy_test"]),
        unique=True,
        max_size=5,
    )
    for with_test in (True, False)
}
KINDS = st.sampled_from(["investigation", "referral"])
PREVIOUS_CODES = {
    "investigation": st.sampled_from(INVESTIGATIONS),
    "referral": st.sampled_from(REFERRALS),
}


@st.composite
def previous_lists(draw):
    entries = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(KINDS)
        entries.append({"code": draw(PREVIOUS_CODES[kind]), "kind": kind, "date": draw(dates)})
    if entries and draw(BOOLEANS):  # the same item requested twice: earliest date wins
        entries.append(dict(entries[0], date=draw(dates)))
    return entries


MEDICINES = [
    LOOP_DIURETIC,
    "Lasix",
    THIAZIDE,
    POTASSIUM_SPARING,
    STATIN,
    "Simvastatin 40mg",
    PPI,
    "Lansoprazole 30mg",
    QUININE,
    NOT_ASSOCIATED,
    "Metformin 500mg",
    "Levothyroxine 100 micrograms",
    "Salbutamol inhaler",
]
STATINS = {STATIN, "Simvastatin 40mg"}
PPIS = {PPI, "Lansoprazole 30mg"}
LOOP_OR_THIAZIDE = {LOOP_DIURETIC, "Lasix", THIAZIDE}
ALL_DIURETICS = LOOP_OR_THIAZIDE | {POTASSIUM_SPARING}


def subsets(pool, max_size=6):
    return st.lists(st.sampled_from(pool), unique=True, max_size=max_size)


SEXES = st.sampled_from(["female", "male", "other"])
PREGNANCY_VALUES = {
    (male, version): st.sampled_from(
        ["none"] if male else PREGNANCY if version == 2 else PREGNANCY[:-1]
    )
    for male in (True, False)
    for version in (1, 2)
}
FINDING_LISTS = subsets(FINDINGS, 7)
FOOT_ULCER = {1: st.just("foot_ulcer_or_gangrene"), 2: st.sampled_from(FOOT_ULCER_CODES)}
ONE_IN_FIVE = st.integers(0, 4)
AGES = st.integers(16, 120)
EPISODES = st.integers(0, 30) | st.floats(0, 50).map(lambda v: round(v, 1))
LONGEST = st.sampled_from([0, 3, 10, 10.5, 11, 30]) | st.floats(0, 120).map(lambda v: round(v, 1))
WHEN = st.lists(st.sampled_from(["night", "rest", "exercise", "day"]), min_size=1, unique=True)
SITES = st.lists(
    st.sampled_from(["calf", "foot", "thigh", "other_muscles"]), min_size=1, unique=True
)
SIDES = st.sampled_from(["left", "right", "both"])
OPTIONAL_V1 = {
    "conditions": subsets(CONDITIONS, 3),
    "medications": subsets(MEDICINES, 3),
    "legs": st.fixed_dictionaries({"left": subsets(LEG_SIGNS, 4), "right": subsets(LEG_SIGNS, 4)}),
}
SOMETIMES = st.integers(0, 3)


# Work-ups whose parts rarely meet by chance: DVT signs with a D-dimer and a scan result,
# restless legs with a ferritin, a statin with weakness and a CK.
SCENARIOS = st.sampled_from([None, None, None, "dvt", "restless_legs", "statin"])
WELLS_PICTURES = [
    ["calf_swelling_3cm"],
    ["deep_vein_tenderness", "alternative_diagnosis_likely"],
    ["calf_swelling_3cm", "pitting_oedema_one_leg"],
    ["whole_leg_swollen", "collateral_superficial_veins", "previous_dvt"],
]
DVT_WORKUPS = st.sampled_from(
    [
        (wells, d_dimer, scan)
        for wells in WELLS_PICTURES
        for d_dimer in (None, "positive", "negative")
        for scan in (None, "positive", "negative")
    ]
)


def add_scenario(draw, data, scenario):
    findings, results = data["findings"], data.setdefault("results", [])

    def add_findings(codes_):
        findings.extend(c for c in codes_ if c not in findings)

    def set_result(code, value):
        results[:] = [r for r in results if r["code"] != code]
        if value is not None:
            results.append({"code": code, "value": value})

    if scenario == "dvt":
        wells, d_dimer, scan = draw(DVT_WORKUPS)
        add_findings(wells)
        set_result("d_dimer", d_dimer)
        set_result("proximal_leg_vein_ultrasound", scan)
    elif scenario == "restless_legs":
        add_findings(["urge_to_move_legs", "relief_by_movement"])
        set_result("ferritin", draw(VALUES["ferritin"]))
    elif scenario == "statin":
        if STATIN not in data.get("medications", []):
            data["medications"] = data.get("medications", []) + [STATIN]
        add_findings(["muscle_weakness"])
        set_result("creatine_kinase", draw(VALUES["creatine_kinase"]))
    if not results:
        del data["results"]


@st.composite
def intakes(draw, *, version=2):
    """A valid contract intake: version 1 fields only, or version 2 (results, previous...)."""
    sex = draw(SEXES)
    findings = draw(FINDING_LISTS)
    if draw(ONE_IN_FIVE) == 0:  # a foot ulcer, under either code (never both)
        findings.append(draw(FOOT_ULCER[version]))
    if version == 1:
        findings = [f for f in findings if f not in ("chest_pain_or_breathlessness", "gangrene")]
    data = {
        "age": draw(AGES),
        "sex": sex,
        "cramps": {
            "episodes_per_week": draw(EPISODES),
            "longest_minutes": draw(LONGEST),
            "when": draw(WHEN),
            "sites": draw(SITES),
            "side": draw(SIDES),
            "relieved_by_stretching": draw(BOOLEANS),
        },
        "findings": findings,
    }
    if draw(BOOLEANS):
        data["cramps"]["sleep_disturbed"] = draw(BOOLEANS)
    pregnancy = draw(PREGNANCY_VALUES[sex == "male", version])
    if pregnancy != "none" or draw(BOOLEANS):
        data["pregnancy"] = pregnancy
    for field, strategy in OPTIONAL_V1.items():
        if draw(SOMETIMES) > 0:
            data[field] = draw(strategy)
    if version == 2:
        if draw(SOMETIMES) > 0:
            # a pregnancy test result only where pregnancy is "possible": REFERENCE says what a
            # result means there, not what a test means beside "none" or a trimester
            codes_ = draw(RESULT_CODE_LISTS[pregnancy == "possible"])
            data["results"] = [draw(one_result(code)) for code in codes_]
        add_scenario(draw, data, draw(SCENARIOS))
        if draw(SOMETIMES) > 0:
            data["previous"] = draw(previous_lists())
        if draw(SOMETIMES) == 0:
            data["quinine_started"] = draw(dates)
    return data


any_intake = st.one_of(intakes(version=1), intakes(version=2))
