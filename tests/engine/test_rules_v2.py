"""One or more tests for every row of the version 2 rule table (REFERENCE.md section 3a).

Black box: `recommend(intake, kb)` only. Expected answers come from REFERENCE 3a and its
"Where the table leaves room, read it so" notes, never from the engine's code.
"""

import pytest

from tests.engine.intakes import (
    C4_OR_MORE,
    DVT_SIGNS,
    PPI,
    PREGNANT,
    QUININE,
    STATIN,
    codes,
    find,
    item,
    result,
)

IDLE_DIFFERENTIALS = {"idiopathic_nocturnal_leg_cramps", "exercise_associated_cramps"}


def test_it_speaks_contract_2_and_a_typical_cramp_still_needs_nothing(assess):
    a = assess()
    assert a["contract"] == 2
    assert a["red_flags"] == [] and a["investigations"] == [] and a["referrals"] == []
    assert codes(a, "differentials") == ["idiopathic_nocturnal_leg_cramps"]
    assert a["results"] == []


# -- Unexplained bruising, bleeding or petechiae ------------------------------------------------


def test_unexplained_bruising_without_quinine_gets_a_full_blood_count(assess):
    a = assess(findings=["unexplained_bruising_or_bleeding"])
    assert "full_blood_count" in codes(a, "investigations")
    assert "haematological_cause" in codes(a, "differentials")
    assert "quinine_bleeding" not in codes(a, "red_flags")


@pytest.mark.parametrize(
    "fields",
    [
        {"medications": [QUININE]},
        {"medications": ["quinine sulphate 300 mg nocte"]},
    ],
)
def test_bruising_on_quinine_gets_the_blood_count_and_the_quinine_red_flag(assess, fields):
    a = assess(findings=["unexplained_bruising_or_bleeding"], **fields)
    assert "full_blood_count" in codes(a, "investigations")
    assert "haematological_cause" in codes(a, "differentials")
    assert item(a, "red_flags", "quinine_bleeding")["urgency"] == "same_day"


# -- Chest pain, breathlessness or coughing blood -----------------------------------------------


def test_chest_pain_or_breathlessness_is_a_possible_pulmonary_embolism(assess):
    a = assess(findings=["chest_pain_or_breathlessness"])
    assert item(a, "red_flags", "suspected_pulmonary_embolism")["urgency"] == "emergency"
    assert item(a, "referrals", "emergency_department")["urgency"] == "immediate"
    assert not IDLE_DIFFERENTIALS & set(codes(a, "differentials"))


def test_chest_pain_beside_dvt_signs_still_raises_both_red_flags(assess):
    a = assess(
        findings=["chest_pain_or_breathlessness", "calf_swelling_3cm"], cramps={"side": "left"}
    )
    assert {"suspected_pulmonary_embolism", "suspected_dvt"} <= set(codes(a, "red_flags"))
    assert item(a, "referrals", "emergency_department")["urgency"] == "immediate"


# -- Superficial vein thrombosis ----------------------------------------------------------------


@pytest.mark.parametrize(
    "legs",
    [
        {"left": ["superficial_vein_thrombosis"], "right": []},
        {"left": [], "right": ["superficial_vein_thrombosis"]},
        # varicose veins in the other leg do not make this leg's thrombosis "with varicose veins"
        {"left": ["superficial_vein_thrombosis"], "right": ["varicose_veins"]},
    ],
)
def test_superficial_vein_thrombosis_without_varicose_veins_gets_a_duplex_scan(assess, legs):
    a = assess(**legs)
    assert "venous_duplex_ultrasound" in codes(a, "investigations")
    assert "superficial_vein_thrombosis" in codes(a, "differentials")
    assert "idiopathic_nocturnal_leg_cramps" not in codes(a, "differentials")
    assert a["referrals"] == []  # section 3 asks for no referral here


def test_superficial_vein_thrombosis_in_a_varicose_leg_is_referred_routinely(assess):
    a = assess(left=["varicose_veins", "superficial_vein_thrombosis"])
    assert item(a, "referrals", "vascular")["urgency"] == "routine"
    assert "venous_duplex_ultrasound" in codes(a, "investigations")
    assert {"superficial_vein_thrombosis", "chronic_venous_disease"} <= set(
        codes(a, "differentials")
    )


@pytest.mark.parametrize(
    "leg",
    [
        ["bleeding_varicose_vein", "superficial_vein_thrombosis"],
        ["varicose_veins", "bleeding_varicose_vein", "superficial_vein_thrombosis"],
    ],
)
def test_superficial_vein_thrombosis_beside_a_bleeding_varicose_vein_still_gets_the_scan(
    assess, leg
):
    # with or without varicose veins, both the section 3 and the 3a rows ask for the duplex scan
    a = assess(left=leg)
    assert "venous_duplex_ultrasound" in codes(a, "investigations")
    assert "superficial_vein_thrombosis" in codes(a, "differentials")
    assert item(a, "red_flags", "bleeding_varicose_vein")["urgency"] == "emergency"
    assert item(a, "referrals", "vascular")["urgency"] == "immediate"


# -- DVT signs in pregnancy or after birth ------------------------------------------------------


@pytest.mark.parametrize("pregnancy", PREGNANT)
@pytest.mark.parametrize("sign", DVT_SIGNS)
def test_dvt_signs_in_pregnancy_go_straight_to_the_scan_without_wells_or_d_dimer(
    assess, pregnancy, sign
):
    a = assess(age=31, pregnancy=pregnancy, findings=[sign], cramps={"side": "left"})
    assert item(a, "red_flags", "suspected_dvt")["urgency"] == "same_day"
    assert a["wells_score"] is None
    assert "d_dimer" not in codes(a, "investigations")
    assert "proximal_leg_vein_ultrasound" in codes(a, "investigations")


@pytest.mark.parametrize("pregnancy", PREGNANT)
def test_a_likely_wells_picture_in_pregnancy_still_gets_no_score(assess, pregnancy):
    a = assess(
        age=31,
        pregnancy=pregnancy,
        cramps={"side": "left"},
        findings=["calf_swelling_3cm", "pitting_oedema_one_leg", "previous_dvt"],
    )
    assert a["wells_score"] is None
    assert "d_dimer" not in codes(a, "investigations")


def test_postpartum_is_accepted_for_a_woman(assess):
    a = assess(age=29, pregnancy="postpartum")
    assert a["red_flags"] == []


def test_possible_pregnancy_with_dvt_signs_is_scored_and_always_scanned(assess):
    # calf swelling alone scores 1 ("unlikely"), yet the scan is always recommended
    a = assess(
        age=30, pregnancy="possible", findings=["calf_swelling_3cm"], cramps={"side": "left"}
    )
    assert a["wells_score"] == 1
    assert "proximal_leg_vein_ultrasound" in codes(a, "investigations")
    assert item(a, "red_flags", "suspected_dvt")["urgency"] == "same_day"
    assert "pregnancy_test" in codes(a, "investigations")


def test_a_positive_pregnancy_test_makes_the_pregnancy_dvt_row_apply(assess):
    a = assess(
        age=30,
        pregnancy="possible",
        findings=["calf_swelling_3cm"],
        cramps={"side": "left"},
        results=[result("pregnancy_test", "positive")],
    )
    assert a["wells_score"] is None
    assert "d_dimer" not in codes(a, "investigations")
    assert "proximal_leg_vein_ultrasound" in codes(a, "investigations")


def test_a_negative_pregnancy_test_keeps_the_wells_route(assess):
    a = assess(
        age=30,
        pregnancy="possible",
        findings=["calf_swelling_3cm"],
        cramps={"side": "left"},
        results=[result("pregnancy_test", "negative")],
    )
    assert a["wells_score"] == 1
    assert "d_dimer" in codes(a, "investigations")


# -- Wells: collateral superficial veins (3a) and the two levels (section 3, kept) --------------


@pytest.mark.parametrize(
    "legs",
    [
        {},
        {"left": ["varicose_veins"]},
        {"right": ["varicose_veins"]},
        {"left": ["varicose_veins"], "right": ["recurrent_varicose_veins"]},
    ],
)
def test_collateral_veins_score_one_whatever_varicose_veins_are_elsewhere(assess, legs):
    a = assess(
        findings=["calf_swelling_3cm", "collateral_superficial_veins"],
        cramps={"side": "left"},
        **legs,
    )
    assert a["wells_score"] == 2
    assert "proximal_leg_vein_ultrasound" in codes(a, "investigations")


@pytest.mark.parametrize(
    "findings, score, test",
    [
        (["calf_swelling_3cm"], 1, "d_dimer"),
        (["calf_swelling_3cm", "pitting_oedema_one_leg"], 2, "proximal_leg_vein_ultrasound"),
        (
            ["calf_swelling_3cm", "pitting_oedema_one_leg", "alternative_diagnosis_likely"],
            0,
            "d_dimer",
        ),
        (
            ["whole_leg_swollen", "deep_vein_tenderness", "active_cancer"],
            3,
            "proximal_leg_vein_ultrasound",
        ),
    ],
)
def test_outside_pregnancy_the_two_level_wells_score_picks_the_test(assess, findings, score, test):
    a = assess(findings=findings, cramps={"side": "left"})
    assert a["wells_score"] == score
    assert test in codes(a, "investigations")
    assert item(a, "red_flags", "suspected_dvt")["urgency"] == "same_day"


# -- Gangrene, foot ulcers and rest pain ---------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"findings": ["gangrene"]},
        {"findings": ["gangrene"], "conditions": ["diabetes"]},
        {"findings": ["foot_ulcer", "weak_or_absent_foot_pulses"], "conditions": ["diabetes"]},
        {
            "findings": ["foot_ulcer_or_gangrene", "weak_or_absent_foot_pulses"],
            "conditions": ["diabetes"],
        },
        # gangrene decides, even beside rest pain (which alone is only urgent)
        {"findings": ["gangrene", "rest_pain_in_foot"]},
    ],
)
def test_gangrene_or_a_pulseless_diabetic_foot_ulcer_is_same_day(assess, fields):
    a = assess(**fields)
    assert item(a, "red_flags", "critical_limb_ischaemia")["urgency"] == "same_day"
    assert item(a, "referrals", "vascular")["urgency"] == "immediate"
    assert codes(a, "red_flags").count("critical_limb_ischaemia") == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"findings": ["rest_pain_in_foot"]},
        {"findings": ["foot_ulcer"]},
        {"findings": ["foot_ulcer_or_gangrene"]},  # the version 1 code reads as a foot ulcer
        {"findings": ["foot_ulcer", "weak_or_absent_foot_pulses"]},  # no diabetes
        {"findings": ["foot_ulcer"], "conditions": ["diabetes"]},  # diabetic ulcer with pulses
    ],
)
def test_rest_pain_or_other_foot_ulcers_stay_urgent(assess, fields):
    a = assess(**fields)
    assert item(a, "red_flags", "critical_limb_ischaemia")["urgency"] == "urgent"
    assert item(a, "referrals", "vascular")["urgency"] == "urgent"


# -- Venous ulcers, skin changes and oedema ------------------------------------------------------


@pytest.mark.parametrize(
    "legs, ceap",
    [
        ({"left": ["varicose_veins", "active_venous_ulcer"]}, "C6"),
        ({"left": ["active_venous_ulcer"]}, "C6"),
        ({"right": ["recurrent_active_venous_ulcer"]}, "C6r"),
    ],
)
def test_an_active_venous_ulcer_is_urgent_and_gets_abpi_first(assess, legs, ceap):
    a = assess(**legs)
    assert item(a, "referrals", "vascular")["urgency"] == "urgent"
    assert "ankle_brachial_index" in codes(a, "investigations")
    assert a["red_flags"] == []
    side = "left" if "left" in legs else "right"
    assert a["ceap"][side]["class"] == ceap


def test_an_ulcer_in_one_leg_sets_the_referral_even_if_the_other_is_only_routine(assess):
    a = assess(left=["active_venous_ulcer"], right=["varicose_veins", "venous_symptoms"])
    assert item(a, "referrals", "vascular")["urgency"] == "urgent"
    assert codes(a, "referrals").count("vascular") == 1


def test_a_bleeding_varicose_vein_beside_an_ulcer_is_still_immediate(assess):
    a = assess(left=["varicose_veins", "bleeding_varicose_vein"], right=["active_venous_ulcer"])
    assert item(a, "red_flags", "bleeding_varicose_vein")["urgency"] == "emergency"
    assert item(a, "referrals", "vascular")["urgency"] == "immediate"


@pytest.mark.parametrize(
    "sign, ceap",
    [
        ("pigmentation_or_eczema", "C4a"),
        ("lipodermatosclerosis_or_atrophie_blanche", "C4b"),
        ("corona_phlebectatica", "C4c"),
        ("healed_venous_ulcer", "C5"),
    ],
)
def test_venous_skin_changes_and_a_healed_ulcer_are_routine_with_abpi(assess, sign, ceap):
    a = assess(left=["varicose_veins", sign])
    assert item(a, "referrals", "vascular")["urgency"] == "routine"
    assert "ankle_brachial_index" in codes(a, "investigations")
    assert "chronic_venous_disease" in codes(a, "differentials")
    assert a["ceap"]["left"]["class"] == ceap


@pytest.mark.parametrize("sign", C4_OR_MORE)
def test_abpi_before_compression_does_not_need_varicose_veins(assess, sign):
    a = assess(right=[sign])
    assert "ankle_brachial_index" in codes(a, "investigations")
    assert "vascular" in codes(a, "referrals")


def test_venous_oedema_with_varicose_veins_counts_as_symptomatic_for_the_referral(assess):
    a = assess(left=["varicose_veins", "venous_oedema"])
    assert item(a, "referrals", "vascular")["urgency"] == "routine"
    assert a["ceap"]["left"]["class"] == "C3"
    assert a["ceap"]["left"]["symptomatic"] is False  # the CEAP flag keeps venous_symptoms only


@pytest.mark.parametrize(
    "legs, ceap",
    [
        ({"left": ["varicose_veins"]}, "C2"),
        ({"left": ["telangiectasia_or_reticular_veins"]}, "C1"),
        ({"left": ["varicose_veins"], "right": ["telangiectasia_or_reticular_veins"]}, "C2"),
    ],
)
def test_varicose_or_thread_veins_without_symptoms_are_not_referred(assess, legs, ceap):
    a = assess(**legs)
    assert a["referrals"] == []
    assert "venous_duplex_ultrasound" not in codes(a, "investigations")
    assert a["ceap"]["left"]["class"] == ceap
    assert a["ceap"]["left"]["symptomatic"] is False


# -- Restless legs -------------------------------------------------------------------------------


def test_restless_legs_needs_the_urge_and_the_relief_by_movement(assess):
    a = assess(findings=["urge_to_move_legs", "relief_by_movement"])
    assert "restless_legs_syndrome" in codes(a, "differentials")
    assert "ferritin" in codes(a, "investigations")


@pytest.mark.parametrize("finding", ["urge_to_move_legs", "relief_by_movement"])
def test_one_restless_legs_feature_alone_is_not_restless_legs(assess, finding):
    a = assess(findings=[finding])
    assert "restless_legs_syndrome" not in codes(a, "differentials")
    assert "ferritin" not in codes(a, "investigations")
    assert a["red_flags"] == [] and a["referrals"] == []


def test_the_urge_alone_leaves_a_typical_cramp_idiopathic(assess):
    a = assess(age=44, findings=["urge_to_move_legs"])
    assert a["investigations"] == []
    assert "idiopathic_nocturnal_leg_cramps" in codes(a, "differentials")


# -- Statin with weakness ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "findings", [["muscle_weakness"], ["muscle_weakness", "muscle_pain_or_tenderness"]]
)
def test_a_statin_with_weakness_alone_gets_ck_not_neurology(assess, findings):
    a = assess(medications=[STATIN], findings=findings)
    assert "creatine_kinase" in codes(a, "investigations")
    assert "statin_muscle_symptoms" in codes(a, "differentials")
    assert "neurology" not in codes(a, "referrals")
    assert "neuromuscular_signs" not in codes(a, "red_flags")


@pytest.mark.parametrize(
    "fields",
    [
        {"findings": ["muscle_weakness", "muscle_wasting"]},
        {"findings": ["muscle_weakness", "fasciculations"]},
        {"findings": ["muscle_weakness"], "cramps": {"sites": ["calf", "other_muscles"]}},
    ],
)
def test_a_statin_with_wasting_fasciculations_or_widespread_cramps_is_a_red_flag(assess, fields):
    a = assess(medications=[STATIN], **fields)
    assert item(a, "red_flags", "neuromuscular_signs")["urgency"] == "urgent"
    assert item(a, "referrals", "neurology")["urgency"] == "urgent"
    assert "creatine_kinase" in codes(a, "investigations")


def test_weakness_without_a_statin_keeps_the_section_3_red_flag(assess):
    a = assess(findings=["muscle_weakness"])
    assert item(a, "red_flags", "neuromuscular_signs")["urgency"] == "urgent"
    assert item(a, "referrals", "neurology")["urgency"] == "urgent"


# -- Proton pump inhibitors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "medicine", [PPI, "lansoprazole 30 mg", "Esomeprazole 40mg", "pantoprazole", "RABEPRAZOLE 20MG"]
)
def test_a_proton_pump_inhibitor_gets_magnesium_and_counts_as_a_cramp_medicine(assess, medicine):
    a = assess(medications=[medicine])
    assert "magnesium" in codes(a, "investigations")
    assert "medication_review" in codes(a, "investigations")
    assert "drug_induced_cramps" in codes(a, "differentials")
    entry = a["medications"][0]
    assert entry["text"] == medicine
    assert entry["recognised"] is True and entry["associated_with_cramps"] is True


# -- Cramps only with exercise -------------------------------------------------------------------


def test_cramps_only_with_exercise_are_exercise_associated_with_no_tests(assess):
    a = assess(age=19, cramps={"when": ["exercise"], "sleep_disturbed": False})
    assert "exercise_associated_cramps" in codes(a, "differentials")
    assert "idiopathic_nocturnal_leg_cramps" not in codes(a, "differentials")
    assert a["investigations"] == [] and a["referrals"] == [] and a["red_flags"] == []


@pytest.mark.parametrize("when", [["exercise", "night"], ["night"], ["exercise", "rest"]])
def test_cramps_not_only_with_exercise_stay_idiopathic(assess, when):
    a = assess(cramps={"when": when})
    assert "idiopathic_nocturnal_leg_cramps" in codes(a, "differentials")
    assert "exercise_associated_cramps" not in codes(a, "differentials")


def test_a_red_flag_replaces_the_exercise_differential(assess):
    a = assess(age=19, cramps={"when": ["exercise"]}, findings=["chest_pain_or_breathlessness"])
    assert not IDLE_DIFFERENTIALS & set(codes(a, "differentials"))


# -- Pregnancy: the red flag wins ----------------------------------------------------------------


@pytest.mark.parametrize(
    "finding, flag",
    [
        ("chest_pain_or_breathlessness", "suspected_pulmonary_embolism"),
        ("calf_swelling_3cm", "suspected_dvt"),
        ("sudden_cold_pale_pulseless_leg", "acute_limb_ischaemia"),
    ],
)
def test_in_pregnancy_a_red_flag_is_still_raised(assess, finding, flag):
    a = assess(age=30, pregnancy="trimester_2", findings=[finding], cramps={"side": "left"})
    assert flag in codes(a, "red_flags")
    assert not IDLE_DIFFERENTIALS & set(codes(a, "differentials"))


def test_pregnancy_alone_is_pregnancy_cramps_with_no_tests(assess):
    a = assess(age=30, pregnancy="trimester_3")
    assert "pregnancy_associated_cramps" in codes(a, "differentials")
    assert a["investigations"] == [] and a["red_flags"] == []


def test_an_older_woman_recorded_as_pregnant_is_unusual_but_accepted(assess):
    for value in ("trimester_1", "postpartum"):
        assert assess(age=64, pregnancy=value)["contract"] == 2


# -- Each new item carries reasons and sources ---------------------------------------------------


@pytest.mark.parametrize(
    "fields, section, code",
    [
        ({"findings": ["unexplained_bruising_or_bleeding"]}, "investigations", "full_blood_count"),
        (
            {"findings": ["chest_pain_or_breathlessness"]},
            "red_flags",
            "suspected_pulmonary_embolism",
        ),
        ({"left": ["superficial_vein_thrombosis"]}, "differentials", "superficial_vein_thrombosis"),
        ({"findings": ["gangrene"]}, "red_flags", "critical_limb_ischaemia"),
        ({"left": ["active_venous_ulcer"]}, "investigations", "ankle_brachial_index"),
        ({"medications": ["pantoprazole"]}, "investigations", "magnesium"),
        ({"cramps": {"when": ["exercise"]}}, "differentials", "exercise_associated_cramps"),
    ],
)
def test_new_items_name_their_reasons_and_sources(assess, fields, section, code):
    entry = item(assess(**fields), section, code)
    assert entry["reasons"] and all(isinstance(r, str) and r.strip() for r in entry["reasons"])
    assert entry["sources"] and all(isinstance(s, str) and s.strip() for s in entry["sources"])


def test_the_old_foot_ulcer_code_gives_the_same_answer_as_the_new_one(assess):
    old = assess(findings=["foot_ulcer_or_gangrene"])
    new = assess(findings=["foot_ulcer"])
    for section in ("red_flags", "referrals", "investigations", "differentials"):
        assert codes(old, section) == codes(new, section)
    assert find(old, "red_flags", "critical_limb_ischaemia")["urgency"] == "urgent"
