"""One or more tests for every row of the rule table (REFERENCE.md section 3)."""

import pytest

from tests.engine.intakes import codes, item

ATYPICAL_PANEL = ["u_and_e", "calcium", "magnesium", "tsh", "glucose_hba1c", "creatine_kinase"]


def test_a_typical_cramp_gets_no_tests_no_referral_and_an_idiopathic_conclusion(assess):
    a = assess()
    assert a["red_flags"] == [] and a["investigations"] == [] and a["referrals"] == []
    assert codes(a, "differentials") == ["idiopathic_nocturnal_leg_cramps"]
    reason = item(a, "differentials", "idiopathic_nocturnal_leg_cramps")["reasons"][0]
    assert "Longest cramp 3 min" in reason and "eased by stretching" in reason


def test_lifestyle_factors_keep_a_typical_cramp_idiopathic_and_show_in_the_reason(assess):
    a = assess(findings=["strenuous_exercise", "low_fluid_intake"])
    assert a["investigations"] == []
    reason = item(a, "differentials", "idiopathic_nocturnal_leg_cramps")["reasons"][0]
    assert "strenuous exercise" in reason and "low fluid intake" in reason


@pytest.mark.parametrize(
    "fields, evidence",
    [
        ({"medications": ["Lasix 40mg"]}, "Takes Lasix 40mg: furosemide, a loop diuretic"),
        ({"medications": ["bendroflumethiazide 2.5 mg"]}, "bendroflumethiazide"),
        ({"medications": ["Spironolactone"]}, "potassium-sparing diuretic"),
        ({"findings": ["vomiting_or_diarrhoea"]}, "Vomiting or diarrhoea"),
        ({"conditions": ["chronic_kidney_disease"]}, "Chronic kidney disease"),
        ({"conditions": ["dialysis"]}, "On dialysis"),
    ],
)
def test_diuretics_fluid_loss_and_kidney_disease_get_u_and_e(assess, fields, evidence):
    a = assess(**fields)
    assert {"u_and_e", "calcium", "magnesium"} <= set(codes(a, "investigations"))
    assert "electrolyte_disturbance" in codes(a, "differentials")
    assert any(evidence in r for r in item(a, "investigations", "u_and_e")["reasons"])
    assert a["referrals"] == []


@pytest.mark.parametrize(
    "fields", [{"findings": ["thyroid_symptoms"]}, {"conditions": ["thyroid_disease"]}]
)
def test_thyroid_symptoms_or_disease_get_tsh(assess, fields):
    a = assess(**fields)
    assert codes(a, "investigations") == ["tsh"]
    assert "thyroid_disease" in codes(a, "differentials")


@pytest.mark.parametrize(
    "fields", [{"findings": ["thirst_or_polyuria"]}, {"conditions": ["diabetes"]}]
)
def test_thirst_or_diabetes_get_glucose(assess, fields):
    assert codes(assess(**fields), "investigations") == ["glucose_hba1c"]


@pytest.mark.parametrize(
    "fields", [{"findings": ["heavy_alcohol_use"]}, {"conditions": ["liver_disease"]}]
)
def test_alcohol_or_liver_disease_get_liver_function(assess, fields):
    a = assess(**fields)
    assert codes(a, "investigations") == ["liver_function"]
    assert "liver_disease" in codes(a, "differentials")


@pytest.mark.parametrize("symptom", ["muscle_pain_or_tenderness", "muscle_weakness"])
def test_a_statin_with_muscle_symptoms_gets_ck(assess, symptom):
    a = assess(medications=["Atorvastatin 20 mg"], findings=[symptom])
    assert "creatine_kinase" in codes(a, "investigations")
    assert "statin_muscle_symptoms" in codes(a, "differentials")


def test_a_statin_without_muscle_symptoms_gets_no_routine_ck(assess):
    a = assess(medications=["Lipitor"])
    assert "creatine_kinase" not in codes(a, "investigations")
    assert "statin_muscle_symptoms" not in codes(a, "differentials")
    assert codes(a, "investigations") == ["medication_review"]


def test_possible_pregnancy_gets_a_pregnancy_test(assess):
    assert codes(assess(pregnancy="possible"), "investigations") == ["pregnancy_test"]


@pytest.mark.parametrize("trimester", ["trimester_1", "trimester_2", "trimester_3"])
def test_pregnancy_alone_gets_a_differential_and_no_tests(assess, trimester):
    a = assess(pregnancy=trimester)
    assert codes(a, "differentials") == ["pregnancy_associated_cramps"]
    assert a["investigations"] == [] and a["referrals"] == []


@pytest.mark.parametrize(
    "cramps, evidence",
    [
        ({"longest_minutes": 15}, "Longest cramp 15 min, over 10"),
        ({"relieved_by_stretching": False}, "Not eased by stretching"),
    ],
)
def test_an_atypical_cramp_gets_the_blood_panel(assess, cramps, evidence):
    a = assess(cramps=cramps)
    assert codes(a, "investigations") == ATYPICAL_PANEL
    assert "idiopathic_nocturnal_leg_cramps" not in codes(a, "differentials")
    assert any(evidence in r for r in item(a, "investigations", "tsh")["reasons"])


def test_a_ten_minute_cramp_is_still_typical(assess):
    assert assess(cramps={"longest_minutes": 10})["investigations"] == []


def test_an_urge_to_move_eased_by_movement_suggests_restless_legs(assess):
    a = assess(findings=["urge_to_move_legs", "relief_by_movement"])
    assert codes(a, "investigations") == ["ferritin"]
    assert "restless_legs_syndrome" in codes(a, "differentials")
    reason = item(a, "differentials", "restless_legs_syndrome")["reasons"][0]
    assert "Urge to move the legs; symptoms eased by moving" in reason


def test_relief_by_movement_alone_is_not_restless_legs(assess):
    a = assess(findings=["relief_by_movement"])
    assert "ferritin" not in codes(a, "investigations")


@pytest.mark.parametrize(
    "finding", ["calf_pain_on_walking_relieved_by_rest", "weak_or_absent_foot_pulses"]
)
def test_claudication_or_weak_pulses_get_an_abi(assess, finding):
    a = assess(findings=[finding], conditions=["smoker"])
    assert codes(a, "investigations") == ["ankle_brachial_index"]
    assert "peripheral_arterial_disease" in codes(a, "differentials")
    reason = item(a, "investigations", "ankle_brachial_index")["reasons"][0]
    label = {
        "calf_pain_on_walking_relieved_by_rest": "Calf pain on walking, eased by rest",
        "weak_or_absent_foot_pulses": "Weak or absent foot pulses",
    }[finding]
    assert reason.startswith(f"{label}; smoker. ")
    assert a["referrals"] == []


@pytest.mark.parametrize("finding", ["numbness_or_tingling", "reduced_reflexes_or_sensation"])
def test_sensory_symptoms_suggest_neuropathy(assess, finding):
    a = assess(findings=[finding])
    assert codes(a, "investigations") == ["glucose_hba1c", "vitamin_b12"]
    assert "peripheral_neuropathy" in codes(a, "differentials")


@pytest.mark.parametrize(
    "fields",
    [
        {"findings": ["muscle_wasting"]},
        {"findings": ["fasciculations"]},
        {"findings": ["muscle_weakness"]},
        {"cramps": {"sites": ["calf", "other_muscles"]}},
    ],
)
def test_neuromuscular_signs_are_an_urgent_red_flag_with_neurology_referral(assess, fields):
    a = assess(**fields)
    assert item(a, "red_flags", "neuromuscular_signs")["urgency"] == "urgent"
    assert item(a, "referrals", "neurology")["urgency"] == "urgent"
    assert "creatine_kinase" in codes(a, "investigations")


def test_radiating_back_pain_suggests_radiculopathy_without_tests(assess):
    a = assess(findings=["back_pain_radiating_to_leg"])
    assert codes(a, "differentials") == ["lumbar_radiculopathy"]
    assert a["investigations"] == []


def test_saddle_anaesthesia_is_an_emergency(assess):
    a = assess(findings=["back_pain_radiating_to_leg", "saddle_anaesthesia_or_sphincter_change"])
    assert item(a, "red_flags", "cauda_equina")["urgency"] == "emergency"
    assert item(a, "referrals", "emergency_department")["urgency"] == "immediate"


@pytest.mark.parametrize(
    "sign",
    ["calf_swelling_3cm", "whole_leg_swollen", "deep_vein_tenderness", "pitting_oedema_one_leg"],
)
def test_each_dvt_sign_raises_a_same_day_red_flag(assess, sign):
    a = assess(findings=[sign])
    assert item(a, "red_flags", "suspected_dvt")["urgency"] == "same_day"
    assert "deep_vein_thrombosis" in codes(a, "differentials")
    assert a["wells_score"] == 1


def test_dvt_likely_gets_an_ultrasound_within_4_hours(assess):
    a = assess(findings=["calf_swelling_3cm", "deep_vein_tenderness"])
    assert a["wells_score"] == 2
    assert "proximal_leg_vein_ultrasound" in codes(a, "investigations")
    assert "d_dimer" not in codes(a, "investigations")
    reason = item(a, "investigations", "proximal_leg_vein_ultrasound")["reasons"][0]
    assert "Two-level Wells score 2 (DVT likely" in reason


def test_dvt_unlikely_gets_a_d_dimer(assess):
    a = assess(findings=["calf_swelling_3cm"])
    assert "d_dimer" in codes(a, "investigations")
    assert "proximal_leg_vein_ultrasound" not in codes(a, "investigations")


def test_a_cold_pale_pulseless_leg_is_an_emergency_vascular_referral(assess):
    a = assess(findings=["sudden_cold_pale_pulseless_leg"])
    assert item(a, "red_flags", "acute_limb_ischaemia")["urgency"] == "emergency"
    assert item(a, "referrals", "vascular")["urgency"] == "immediate"


@pytest.mark.parametrize("finding", ["rest_pain_in_foot", "foot_ulcer", "foot_ulcer_or_gangrene"])
def test_critical_limb_ischaemia_is_an_urgent_vascular_referral(assess, finding):
    a = assess(findings=[finding])
    assert item(a, "red_flags", "critical_limb_ischaemia")["urgency"] == "urgent"
    assert item(a, "referrals", "vascular")["urgency"] == "urgent"


def test_a_bleeding_varicose_vein_is_an_emergency(assess):
    a = assess(right=["varicose_veins", "bleeding_varicose_vein"])
    assert item(a, "red_flags", "bleeding_varicose_vein")["urgency"] == "emergency"
    assert item(a, "referrals", "vascular")["urgency"] == "immediate"
    assert "Right leg: bleeding varicose vein" in item(a, "referrals", "vascular")["reasons"][0]


@pytest.mark.parametrize(
    "signs",
    [
        ["varicose_veins", "venous_symptoms"],
        ["recurrent_varicose_veins", "venous_symptoms"],
        ["varicose_veins", "superficial_vein_thrombosis"],
        ["pigmentation_or_eczema"],
        ["lipodermatosclerosis_or_atrophie_blanche"],
        ["corona_phlebectatica"],
        ["healed_venous_ulcer"],
    ],
)
def test_venous_disease_needing_a_specialist_gets_a_routine_vascular_referral(assess, signs):
    a = assess(left=signs)
    assert item(a, "referrals", "vascular")["urgency"] == "routine"
    assert "venous_duplex_ultrasound" in codes(a, "investigations")
    assert "chronic_venous_disease" in codes(a, "differentials")
    assert a["red_flags"] == []


@pytest.mark.parametrize(
    "left, right",
    [
        (["varicose_veins"], []),
        (["telangiectasia_or_reticular_veins"], ["telangiectasia_or_reticular_veins"]),
        (["varicose_veins"], ["venous_symptoms"]),  # the symptoms are in the other leg
    ],
)
def test_uncomplicated_veins_get_advice_not_referral(assess, left, right):
    a = assess(left=left, right=right)
    assert a["referrals"] == [] and a["investigations"] == []


def test_a_tetanus_prone_wound_is_a_same_day_red_flag(assess):
    a = assess(findings=["tetanus_prone_wound"])
    assert item(a, "red_flags", "tetanus_risk")["urgency"] == "same_day"


@pytest.mark.parametrize(
    "fields",
    [
        {"medications": ["Quinine sulfate 200mg"]},
        {"findings": ["drinks_tonic_water_for_cramps"]},
    ],
)
def test_quinine_with_bruising_is_a_same_day_red_flag(assess, fields):
    fields.setdefault("findings", [])
    fields["findings"] = fields["findings"] + ["unexplained_bruising_or_bleeding"]
    a = assess(**fields)
    assert item(a, "red_flags", "quinine_bleeding")["urgency"] == "same_day"


def test_quinine_is_reviewed_but_not_called_a_cause(assess):
    a = assess(medications=["quinine sulphate 300 mg nocte"])
    assert codes(a, "investigations") == ["medication_review"]
    assert a["medications"][0]["drug"] == "quinine"
    assert a["medications"][0]["associated_with_cramps"] is False
    assert "drug_induced_cramps" not in codes(a, "differentials")
    assert a["red_flags"] == []


def test_a_medicine_linked_with_cramps_is_marked_reviewed_and_cited(assess):
    a = assess(medications=["Seretide 250 Evohaler", "Paracetamol 1g"])
    review = item(a, "investigations", "medication_review")
    assert review["reasons"][0].startswith("Takes Seretide 250 Evohaler: salmeterol")
    assert "Garrison 2012" in review["sources"]
    assert [m["associated_with_cramps"] for m in a["medications"]] == [True, False]
    assert "drug_induced_cramps" in codes(a, "differentials")


def test_the_most_urgent_referral_wins_when_rules_agree_on_a_service(assess):
    a = assess(left=["varicose_veins", "venous_symptoms", "bleeding_varicose_vein"])
    assert [r["code"] for r in a["referrals"]] == ["vascular"]
    assert a["referrals"][0]["urgency"] == "immediate"
    assert len(a["referrals"][0]["reasons"]) == 2


def test_red_flags_are_ordered_most_urgent_first(assess):
    a = assess(findings=["tetanus_prone_wound", "muscle_wasting", "sudden_cold_pale_pulseless_leg"])
    assert [f["urgency"] for f in a["red_flags"]] == ["emergency", "same_day", "urgent"]


def test_investigations_carry_their_loinc_codes(assess):
    a = assess(medications=["Furosemide 40mg"])
    assert item(a, "investigations", "u_and_e")["loinc"][:3] == ["2951-2", "2823-3", "2160-0"]
