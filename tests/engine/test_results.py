"""Returned results (REFERENCE.md section 3b): every flag band with its edges, every consequence.

Edges follow REFERENCE 3b "Where the table leaves room": `<` is strict, `>=` includes the value,
and a value between two bands written to two figures falls in the worse band.
Black box: `recommend(intake, kb)` only.
"""

import pytest

from tests.engine.intakes import (
    C4_OR_MORE,
    DIURETICS,
    LOOP_DIURETIC,
    POTASSIUM_SPARING,
    PPI,
    STATIN,
    UNITS,
    codes,
    find,
    flag_of,
    item,
    result,
)

RESTLESS_LEGS = ["urge_to_move_legs", "relief_by_movement"]
IDLE_DIFFERENTIALS = {"idiopathic_nocturnal_leg_cramps", "exercise_associated_cramps"}


@pytest.fixture
def with_result(assess):
    """with_result(code, value, **intake_overrides): one result on a typical cramp."""

    def _run(code, value, extra=None, **overrides):
        return assess(results=[result(code, value, **(extra or {}))], **overrides)

    return _run


# -- Flags: each band, exactly at each threshold and just either side --------------------------

BANDS = [
    # sodium: < 125 critical; < 133 low; > 146 high; > 155 critical
    ("sodium", 124.9, "critical"),
    ("sodium", 125, "low"),
    ("sodium", 132.9, "low"),
    ("sodium", 133, "normal"),
    ("sodium", 146, "normal"),
    ("sodium", 146.1, "high"),
    ("sodium", 155, "high"),
    ("sodium", 155.1, "critical"),
    # potassium: < 2.5 critical; < 3.5 low; > 5.3 high; >= 6.0 critical
    ("potassium", 2.49, "critical"),
    ("potassium", 2.5, "low"),
    ("potassium", 3.49, "low"),
    ("potassium", 3.5, "normal"),
    ("potassium", 5.3, "normal"),
    ("potassium", 5.31, "high"),
    ("potassium", 5.99, "high"),
    ("potassium", 6.0, "critical"),
    ("potassium", 6.5, "critical"),
    # adjusted calcium: < 1.8 critical; < 2.2 low; > 2.6 high; > 3.0 critical
    ("adjusted_calcium", 1.79, "critical"),
    ("adjusted_calcium", 1.8, "low"),
    ("adjusted_calcium", 2.19, "low"),
    ("adjusted_calcium", 2.2, "normal"),
    ("adjusted_calcium", 2.6, "normal"),
    ("adjusted_calcium", 2.61, "high"),
    ("adjusted_calcium", 3.0, "high"),
    ("adjusted_calcium", 3.01, "critical"),
    # magnesium: < 0.4 critical; < 0.7 low
    ("magnesium", 0.39, "critical"),
    ("magnesium", 0.4, "low"),
    ("magnesium", 0.69, "low"),
    ("magnesium", 0.7, "normal"),
    # eGFR: < 60 low
    ("egfr", 59, "low"),
    ("egfr", 59.9, "low"),
    ("egfr", 60, "normal"),
    ("egfr", 90, "normal"),
    # TSH: < 0.3 low; > 4.5 high
    ("tsh", 0.29, "low"),
    ("tsh", 0.3, "normal"),
    ("tsh", 4.5, "normal"),
    ("tsh", 4.51, "high"),
    # HbA1c: 42-47 high; >= 48 high (47.5 is still 42-47)
    ("hba1c", 41, "normal"),
    ("hba1c", 42, "high"),
    ("hba1c", 47, "high"),
    ("hba1c", 47.5, "high"),
    ("hba1c", 48, "high"),
    ("hba1c", 70, "high"),
    # creatine kinase, default upper limit 200: above it high (no "critical")
    ("creatine_kinase", 200, "normal"),
    ("creatine_kinase", 201, "high"),
    ("creatine_kinase", 1000, "high"),
    ("creatine_kinase", 1001, "high"),
    # ferritin without the restless-legs differential: < 15 low, 15-75 normal
    ("ferritin", 14, "low"),
    ("ferritin", 14.9, "low"),
    ("ferritin", 15, "normal"),
    ("ferritin", 50, "normal"),
    ("ferritin", 75, "normal"),
    # vitamin B12: < 180 low
    ("vitamin_b12", 179, "low"),
    ("vitamin_b12", 179.9, "low"),
    ("vitamin_b12", 180, "normal"),
    # ABPI: < 0.5 critical; 0.5-0.79 low; 0.8-0.9 borderline (flagged low); 0.91-1.3 normal;
    # > 1.3 high. 0.795 and 0.905 fall between two-figure bands: the worse one.
    ("ankle_brachial_index", 0.49, "critical"),
    ("ankle_brachial_index", 0.495, "critical"),
    ("ankle_brachial_index", 0.5, "low"),
    ("ankle_brachial_index", 0.79, "low"),
    ("ankle_brachial_index", 0.795, "low"),
    ("ankle_brachial_index", 0.8, "low"),
    ("ankle_brachial_index", 0.9, "low"),
    ("ankle_brachial_index", 0.905, "low"),
    ("ankle_brachial_index", 0.91, "normal"),
    ("ankle_brachial_index", 1.0, "normal"),
    ("ankle_brachial_index", 1.3, "normal"),
    ("ankle_brachial_index", 1.305, "high"),
    ("ankle_brachial_index", 1.31, "high"),
]


@pytest.mark.parametrize("code, value, flag", BANDS, ids=[f"{c}-{v}" for c, v, _ in BANDS])
def test_a_numeric_result_is_flagged_by_its_band(with_result, code, value, flag):
    a = with_result(code, value)
    [entry] = a["results"]
    assert (entry["code"], entry["value"], entry["unit"]) == (code, value, UNITS[code])
    assert entry["flag"] == flag
    assert entry["sources"]
    if flag != "normal":
        assert entry["reasons"]


@pytest.mark.parametrize(
    "value, flag", [(14, "low"), (15, "low"), (75, "low"), (75.1, "normal"), (200, "normal")]
)
def test_ferritin_up_to_75_is_low_with_restless_legs(with_result, value, flag):
    assert flag_of(with_result("ferritin", value, findings=RESTLESS_LEGS), "ferritin") == flag


@pytest.mark.parametrize(
    "value, upper_limit, flag",
    [(150, 150, "normal"), (151, 150, "high"), (250, 320, "normal"), (321, 320, "high")],
)
def test_creatine_kinase_is_read_against_the_labs_upper_limit(
    with_result, value, upper_limit, flag
):
    a = with_result("creatine_kinase", value, {"upper_limit": upper_limit})
    assert flag_of(a, "creatine_kinase") == flag


@pytest.mark.parametrize("code", ["d_dimer", "proximal_leg_vein_ultrasound"])
@pytest.mark.parametrize("value", ["positive", "negative"])
def test_a_coded_result_is_flagged_with_its_value_and_has_no_unit(with_result, code, value):
    [entry] = with_result(code, value)["results"]
    assert (entry["code"], entry["value"], entry["flag"], entry["unit"]) == (
        code,
        value,
        value,
        None,
    )


@pytest.mark.parametrize("value", ["positive", "negative"])
def test_a_pregnancy_test_result_is_flagged_with_its_value(with_result, value):
    [entry] = with_result("pregnancy_test", value, age=30, pregnancy="possible")["results"]
    assert (entry["flag"], entry["unit"]) == (value, None)


# -- Electrolytes: disturbance, the critical red flag and its urgency ---------------------------


@pytest.mark.parametrize(
    "code, value",
    [
        ("sodium", 130),
        ("sodium", 150),
        ("potassium", 3.2),
        ("potassium", 5.6),
        ("adjusted_calcium", 2.1),
        ("adjusted_calcium", 2.7),
        ("magnesium", 0.6),
        ("sodium", 120),
        ("potassium", 6.8),
        ("adjusted_calcium", 3.2),
        ("magnesium", 0.3),
    ],
)
def test_any_abnormal_electrolyte_adds_electrolyte_disturbance(with_result, code, value):
    a = with_result(code, value)
    assert "electrolyte_disturbance" in codes(a, "differentials")
    assert not IDLE_DIFFERENTIALS & set(codes(a, "differentials"))


@pytest.mark.parametrize(
    "code, value, urgency",
    [
        ("sodium", 124.9, "same_day"),
        ("sodium", 155.1, "same_day"),
        ("potassium", 2.3, "same_day"),
        ("potassium", 2.49, "same_day"),
        ("potassium", 6.0, "same_day"),
        ("potassium", 6.49, "same_day"),
        ("potassium", 6.5, "emergency"),
        ("potassium", 7.2, "emergency"),
        ("adjusted_calcium", 1.79, "same_day"),
        ("adjusted_calcium", 3.01, "same_day"),
        ("magnesium", 0.39, "same_day"),
    ],
)
def test_a_critical_electrolyte_raises_the_critical_result_red_flag(
    with_result, code, value, urgency
):
    a = with_result(code, value)
    assert item(a, "red_flags", "critical_result")["urgency"] == urgency
    assert not IDLE_DIFFERENTIALS & set(codes(a, "differentials"))


@pytest.mark.parametrize(
    "code, value",
    [
        ("sodium", 125),
        ("sodium", 155),
        ("potassium", 2.5),
        ("potassium", 5.99),
        ("adjusted_calcium", 1.8),
        ("adjusted_calcium", 3.0),
        ("magnesium", 0.4),
        ("ankle_brachial_index", 0.49),  # critical, but its consequence is the urgent referral
        ("egfr", 8),
        ("creatine_kinase", 50000),
    ],
)
def test_a_value_short_of_critical_raises_no_red_flag(with_result, code, value):
    assert with_result(code, value)["red_flags"] == []


def test_several_critical_results_raise_one_red_flag_at_the_highest_urgency(assess):
    a = assess(results=[result("sodium", 120), result("potassium", 6.7), result("magnesium", 0.3)])
    assert codes(a, "red_flags") == ["critical_result"]
    assert item(a, "red_flags", "critical_result")["urgency"] == "emergency"
    b = assess(results=[result("sodium", 120), result("adjusted_calcium", 3.2)])
    assert codes(b, "red_flags") == ["critical_result"]
    assert item(b, "red_flags", "critical_result")["urgency"] == "same_day"


# -- Sodium and potassium with diuretics ---------------------------------------------------------


@pytest.mark.parametrize("medicine", DIURETICS)
@pytest.mark.parametrize(
    "code, value", [("sodium", 130), ("sodium", 120), ("potassium", 3.1), ("potassium", 2.3)]
)
def test_low_sodium_or_potassium_on_a_diuretic_gets_the_diuretic_reviewed(
    with_result, medicine, code, value
):
    a = with_result(code, value, medications=[medicine])
    assert "review_diuretic" in codes(a, "actions")
    entry = item(a, "actions", "review_diuretic")
    assert entry["reasons"] and entry["sources"]


@pytest.mark.parametrize("code, value", [("sodium", 130), ("potassium", 3.1)])
def test_low_sodium_or_potassium_without_a_diuretic_reviews_no_diuretic(with_result, code, value):
    assert "review_diuretic" not in codes(with_result(code, value), "actions")


@pytest.mark.parametrize("code, value", [("sodium", 140), ("potassium", 4.0), ("potassium", 3.5)])
def test_normal_sodium_or_potassium_on_a_diuretic_needs_no_review(with_result, code, value):
    assert "review_diuretic" not in codes(
        with_result(code, value, medications=[LOOP_DIURETIC]), "actions"
    )


@pytest.mark.parametrize("value", [5.31, 5.8, 6.6])
def test_high_potassium_on_a_potassium_sparing_diuretic_gets_it_reviewed(with_result, value):
    a = with_result("potassium", value, medications=[POTASSIUM_SPARING])
    assert "review_diuretic" in codes(a, "actions")


def test_the_diuretic_review_names_the_value_and_the_medicine(with_result):
    a = with_result("potassium", 3.1, medications=["Lasix 40mg"])
    assert "3.1" in " ".join(item(a, "results", "potassium")["reasons"])
    reasons = " ".join(item(a, "actions", "review_diuretic")["reasons"]).lower()
    assert "3.1" in reasons and ("lasix" in reasons or "furosemide" in reasons)


# -- Magnesium -----------------------------------------------------------------------------------


@pytest.mark.parametrize("medicine", [PPI, "pantoprazole", LOOP_DIURETIC, POTASSIUM_SPARING])
@pytest.mark.parametrize("value", [0.69, 0.4, 0.3])
def test_low_magnesium_on_a_ppi_or_diuretic_gets_the_medicine_reviewed(
    with_result, medicine, value
):
    a = with_result("magnesium", value, medications=[medicine])
    assert "review_medicine_causing_low_magnesium" in codes(a, "actions")


def test_low_magnesium_without_such_a_medicine_reviews_none(with_result):
    a = with_result("magnesium", 0.6)
    assert "review_medicine_causing_low_magnesium" not in codes(a, "actions")


def test_normal_magnesium_on_a_ppi_needs_no_review(with_result):
    a = with_result("magnesium", 0.7, medications=[PPI])
    assert "review_medicine_causing_low_magnesium" not in codes(a, "actions")


# -- eGFR ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [59.9, 59, 30])
def test_low_egfr_without_known_kidney_disease_is_repeated_within_3_months(with_result, value):
    assert "repeat_egfr_within_3_months" in codes(with_result("egfr", value), "actions")


@pytest.mark.parametrize(
    "value, conditions",
    [
        (60, []),
        (90, []),
        (59, ["chronic_kidney_disease"]),
        (59, ["dialysis"]),
        (12, ["dialysis"]),
    ],
)
def test_egfr_is_not_repeated_when_normal_or_kidney_disease_is_known(
    with_result, value, conditions
):
    a = with_result("egfr", value, conditions=conditions)
    assert "repeat_egfr_within_3_months" not in codes(a, "actions")


# -- TSH -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0.29, 0.05, 4.51, 12])
def test_abnormal_tsh_gets_free_t4_and_thyroid_disease(with_result, value):
    a = with_result("tsh", value)
    assert "free_t4" in codes(a, "investigations")
    assert "thyroid_disease" in codes(a, "differentials")


@pytest.mark.parametrize("value", [0.3, 2.0, 4.5])
def test_normal_tsh_gets_no_free_t4(with_result, value):
    assert "free_t4" not in codes(with_result("tsh", value), "investigations")


# -- HbA1c ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [48, 48.1, 75])
def test_hba1c_48_or_more_is_the_diabetes_range(with_result, value):
    a = with_result("hba1c", value)
    assert "diabetes" in codes(a, "differentials")
    assert "confirm_diabetes" in codes(a, "actions")
    assert "diabetes_prevention_advice" not in codes(a, "actions")


@pytest.mark.parametrize("value", [42, 44, 47, 47.5, 47.99])
def test_hba1c_42_to_47_is_non_diabetic_hyperglycaemia(with_result, value):
    a = with_result("hba1c", value)
    assert "diabetes_prevention_advice" in codes(a, "actions")
    assert "confirm_diabetes" not in codes(a, "actions")
    assert "diabetes" not in codes(a, "differentials")


@pytest.mark.parametrize("value", [30, 41])
def test_hba1c_below_42_needs_no_diabetes_action(with_result, value):
    a = with_result("hba1c", value)
    assert not {"confirm_diabetes", "diabetes_prevention_advice"} & set(codes(a, "actions"))


@pytest.mark.parametrize("value", [44, 48, 64])
def test_in_known_diabetes_hba1c_gives_no_diabetes_action(with_result, value):
    a = with_result("hba1c", value, conditions=["diabetes"])
    assert flag_of(a, "hba1c") == "high"
    assert not {"confirm_diabetes", "diabetes_prevention_advice"} & set(codes(a, "actions"))


def test_hba1c_in_the_diabetes_range_with_thirst_is_confirmed_too(with_result):
    a = with_result("hba1c", 52, findings=["thirst_or_polyuria"])
    assert "confirm_diabetes" in codes(a, "actions")
    assert item(a, "actions", "confirm_diabetes")["reasons"]


# -- Creatine kinase -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, extra",
    [(1001, {}), (5000, {}), (751, {"upper_limit": 150}), (1601, {"upper_limit": 320})],
)
def test_ck_above_5_times_the_upper_limit_on_a_statin_stops_the_statin(with_result, value, extra):
    a = with_result("creatine_kinase", value, extra, medications=[STATIN])
    assert flag_of(a, "creatine_kinase") == "high"
    assert "stop_statin_recheck_ck_in_7_days" in codes(a, "actions")


@pytest.mark.parametrize(
    "value, extra",
    [
        (1000, {}),
        (201, {}),
        (750, {"upper_limit": 150}),
        (1001, {"upper_limit": 320}),
        (1600, {"upper_limit": 320}),
    ],
)
def test_ck_up_to_5_times_the_upper_limit_is_high_with_no_action(with_result, value, extra):
    a = with_result("creatine_kinase", value, extra, medications=[STATIN])
    assert flag_of(a, "creatine_kinase") == "high"
    assert "stop_statin_recheck_ck_in_7_days" not in codes(a, "actions")


def test_very_high_ck_without_a_statin_stops_no_statin(with_result):
    assert "stop_statin_recheck_ck_in_7_days" not in codes(
        with_result("creatine_kinase", 5000), "actions"
    )


def test_very_high_ck_with_weakness_and_no_statin_goes_to_neurology(with_result):
    a = with_result("creatine_kinase", 2400, findings=["muscle_weakness"])
    assert item(a, "referrals", "neurology")["urgency"] == "urgent"


def test_very_high_ck_with_weakness_on_a_statin_stops_the_statin_instead(with_result):
    a = with_result("creatine_kinase", 2400, findings=["muscle_weakness"], medications=[STATIN])
    assert "stop_statin_recheck_ck_in_7_days" in codes(a, "actions")
    assert "neurology" not in codes(a, "referrals")


# -- Ferritin ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [75, 50, 15, 14, 3])
def test_ferritin_up_to_75_with_restless_legs_gets_oral_iron(with_result, value):
    a = with_result("ferritin", value, findings=RESTLESS_LEGS)
    assert "restless_legs_syndrome" in codes(a, "differentials")
    assert "offer_oral_iron" in codes(a, "actions")


@pytest.mark.parametrize(
    "value, findings",
    [
        (75.1, RESTLESS_LEGS),
        (120, RESTLESS_LEGS),
        (50, []),
        (75, []),
        (60, ["urge_to_move_legs"]),  # the urge alone is not restless legs
    ],
)
def test_ferritin_gets_no_iron_when_normal_or_without_restless_legs(with_result, value, findings):
    a = with_result("ferritin", value, findings=findings)
    assert flag_of(a, "ferritin") == "normal"
    assert "offer_oral_iron" not in codes(a, "actions")


# -- Vitamin B12 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [179.9, 179, 90])
def test_low_b12_is_treated(with_result, value):
    a = with_result("vitamin_b12", value)
    assert "vitamin_b12_deficiency" in codes(a, "differentials")
    assert "treat_vitamin_b12_deficiency" in codes(a, "actions")


@pytest.mark.parametrize("value", [180, 400])
def test_normal_b12_is_not_treated(with_result, value):
    a = with_result("vitamin_b12", value)
    assert "vitamin_b12_deficiency" not in codes(a, "differentials")
    assert "treat_vitamin_b12_deficiency" not in codes(a, "actions")


# -- ABPI ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, urgency",
    [
        (0.3, "urgent"),
        (0.49, "urgent"),
        (0.495, "urgent"),
        (0.5, "routine"),
        (0.79, "routine"),
        (0.795, "routine"),
    ],
)
def test_abpi_below_0_8_means_no_compression_and_a_vascular_referral(with_result, value, urgency):
    a = with_result("ankle_brachial_index", value)
    assert "no_compression" in codes(a, "actions")
    assert "compression_may_be_used" not in codes(a, "actions")
    assert item(a, "referrals", "vascular")["urgency"] == urgency
    assert "peripheral_arterial_disease" in codes(a, "differentials")
    assert a["red_flags"] == []


@pytest.mark.parametrize("value", [0.8, 0.85, 0.9, 0.905])
def test_borderline_abpi_is_arterial_disease_but_no_referral_or_ban_on_compression(
    with_result, value
):
    a = with_result("ankle_brachial_index", value)
    assert "peripheral_arterial_disease" in codes(a, "differentials")
    assert "no_compression" not in codes(a, "actions")
    assert "vascular" not in codes(a, "referrals")


@pytest.mark.parametrize("value", [0.91, 1.0, 1.3])
def test_normal_abpi_is_not_arterial_disease(with_result, value):
    a = with_result("ankle_brachial_index", value)
    assert "peripheral_arterial_disease" not in codes(a, "differentials")
    assert "no_compression" not in codes(a, "actions")
    assert a["referrals"] == []


@pytest.mark.parametrize("value", [1.305, 1.31, 1.6])
def test_non_compressible_abpi_means_no_compression_and_a_routine_referral(with_result, value):
    a = with_result("ankle_brachial_index", value)
    assert "no_compression" in codes(a, "actions")
    assert "compression_may_be_used" not in codes(a, "actions")
    assert item(a, "referrals", "vascular")["urgency"] == "routine"


@pytest.mark.parametrize("sign", C4_OR_MORE)
@pytest.mark.parametrize("value", [0.8, 0.9, 0.905, 0.91, 1.3])
def test_abpi_0_8_to_1_3_allows_compression_for_a_venous_ulcer_or_c4_and_above(
    with_result, sign, value
):
    a = with_result("ankle_brachial_index", value, left=["varicose_veins", sign])
    assert "compression_may_be_used" in codes(a, "actions")
    assert "no_compression" not in codes(a, "actions")


@pytest.mark.parametrize(
    "legs",
    [
        {},
        {"left": ["varicose_veins", "venous_symptoms"]},
        {"left": ["varicose_veins", "venous_oedema"]},
    ],
)
def test_compression_is_not_offered_below_c4(with_result, legs):
    a = with_result("ankle_brachial_index", 1.0, **legs)
    assert "compression_may_be_used" not in codes(a, "actions")


@pytest.mark.parametrize("value", [0.6, 0.795, 1.31])
def test_a_venous_ulcer_with_abpi_outside_0_8_to_1_3_gets_no_compression(with_result, value):
    a = with_result("ankle_brachial_index", value, left=["active_venous_ulcer"])
    assert "no_compression" in codes(a, "actions")
    assert "compression_may_be_used" not in codes(a, "actions")
    assert item(a, "referrals", "vascular")["urgency"] == "urgent"  # the ulcer's urgency


def test_abpi_is_still_listed_for_an_ulcer_when_its_result_is_in(with_result):
    a = with_result("ankle_brachial_index", 1.0, left=["active_venous_ulcer"])
    assert "ankle_brachial_index" in codes(a, "investigations")


# -- D-dimer and the proximal leg-vein scan ------------------------------------------------------


@pytest.mark.parametrize("findings", [[], ["calf_swelling_3cm"]])
def test_a_positive_d_dimer_gets_the_scan(with_result, findings):
    a = with_result("d_dimer", "positive", findings=findings, cramps={"side": "left"})
    assert "proximal_leg_vein_ultrasound" in codes(a, "investigations")


def test_a_negative_d_dimer_with_wells_unlikely_points_elsewhere(with_result):
    a = with_result("d_dimer", "negative", findings=["calf_swelling_3cm"], cramps={"side": "left"})
    assert a["wells_score"] == 1
    assert "dvt_unlikely_consider_other_causes" in codes(a, "actions")


@pytest.mark.parametrize(
    "overrides",
    [
        {"findings": ["calf_swelling_3cm", "pitting_oedema_one_leg"]},  # Wells likely
        {"findings": ["calf_swelling_3cm"], "pregnancy": "trimester_2", "age": 30},  # no Wells
        {"findings": ["whole_leg_swollen"], "pregnancy": "postpartum", "age": 30},  # no Wells
        {"findings": []},  # no DVT signs
    ],
)
def test_a_negative_d_dimer_without_wells_unlikely_does_not_rule_dvt_out(with_result, overrides):
    a = with_result("d_dimer", "negative", cramps={"side": "left"}, **overrides)
    assert "dvt_unlikely_consider_other_causes" not in codes(a, "actions")


@pytest.mark.parametrize(
    "overrides",
    [
        {"findings": ["calf_swelling_3cm"]},
        {"findings": []},
        {"findings": ["calf_swelling_3cm"], "pregnancy": "trimester_1", "age": 28},
    ],
)
def test_a_positive_scan_confirms_dvt_and_starts_anticoagulation(with_result, overrides):
    a = with_result(
        "proximal_leg_vein_ultrasound", "positive", cramps={"side": "left"}, **overrides
    )
    assert item(a, "red_flags", "confirmed_dvt")["urgency"] == "same_day"
    assert "start_anticoagulation" in codes(a, "actions")
    assert not IDLE_DIFFERENTIALS & set(codes(a, "differentials"))


WELLS_LIKELY = ["calf_swelling_3cm", "pitting_oedema_one_leg"]


def test_a_negative_scan_after_a_positive_d_dimer_with_wells_likely_is_repeated(assess):
    a = assess(
        findings=WELLS_LIKELY,
        cramps={"side": "left"},
        results=[result("d_dimer", "positive"), result("proximal_leg_vein_ultrasound", "negative")],
    )
    assert a["wells_score"] == 2
    assert "repeat_ultrasound_in_6_to_8_days" in codes(a, "actions")
    assert "confirmed_dvt" not in codes(a, "red_flags")
    assert "start_anticoagulation" not in codes(a, "actions")


@pytest.mark.parametrize(
    "findings, d_dimer",
    [
        (["calf_swelling_3cm"], "positive"),  # Wells unlikely
        (WELLS_LIKELY, "negative"),
        (WELLS_LIKELY, None),  # no D-dimer result
    ],
)
def test_a_negative_scan_is_not_repeated_otherwise(assess, findings, d_dimer):
    results = [result("proximal_leg_vein_ultrasound", "negative")]
    if d_dimer:
        results.insert(0, result("d_dimer", d_dimer))
    a = assess(findings=findings, cramps={"side": "left"}, results=results)
    assert "repeat_ultrasound_in_6_to_8_days" not in codes(a, "actions")


# -- Pregnancy test ------------------------------------------------------------------------------


def test_a_positive_pregnancy_test_is_treated_as_pregnancy(with_result):
    a = with_result("pregnancy_test", "positive", age=30, pregnancy="possible")
    assert "pregnancy_associated_cramps" in codes(a, "differentials")
    assert "pregnancy_test" not in codes(a, "investigations")


def test_a_negative_pregnancy_test_is_not_pregnancy_and_is_not_asked_again(with_result):
    a = with_result("pregnancy_test", "negative", age=30, pregnancy="possible")
    assert "pregnancy_associated_cramps" not in codes(a, "differentials")
    assert "pregnancy_test" not in codes(a, "investigations")


# -- Results as a whole --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, value, overrides",
    [
        ("potassium", 3.1, {}),
        ("tsh", 5.2, {}),
        ("vitamin_b12", 150, {}),
        ("ankle_brachial_index", 0.7, {}),
        ("egfr", 50, {}),
        ("hba1c", 45, {}),
        ("creatine_kinase", 400, {}),
        ("ferritin", 10, {}),
        ("tsh", 5.2, {"cramps": {"when": ["exercise"]}}),
        ("potassium", 3.1, {"cramps": {"when": ["exercise"]}}),
    ],
)
def test_a_flagged_result_is_never_beside_the_idiopathic_or_exercise_differential(
    with_result, code, value, overrides
):
    a = with_result(code, value, **overrides)
    assert flag_of(a, code) != "normal"
    assert not IDLE_DIFFERENTIALS & set(codes(a, "differentials"))


def test_normal_results_leave_a_typical_cramp_idiopathic(assess):
    a = assess(
        results=[
            result("sodium", 140),
            result("potassium", 4.1),
            result("tsh", 1.9),
            result("hba1c", 36),
            result("ferritin", 90),
        ]
    )
    assert [r["flag"] for r in a["results"]] == ["normal"] * 5
    assert "idiopathic_nocturnal_leg_cramps" in codes(a, "differentials")
    assert a["red_flags"] == [] and a["referrals"] == [] and a["investigations"] == []


def test_results_come_back_one_per_input_in_input_order(assess):
    given = [
        result("tsh", 2.2, date="2026-11-01"),
        result("d_dimer", "negative"),
        result("sodium", 128),
        result("creatine_kinase", 900, upper_limit=150),
        result("ankle_brachial_index", 0.795),
    ]
    a = assess(results=given)
    assert [(r["code"], r["value"]) for r in a["results"]] == [
        (g["code"], g["value"]) for g in given
    ]
    assert [r["flag"] for r in a["results"]] == ["normal", "negative", "low", "high", "low"]


@pytest.mark.parametrize(
    "overrides, test, code, value",
    [
        ({"medications": [LOOP_DIURETIC]}, "u_and_e", "sodium", 140),
        ({"findings": ["thyroid_symptoms"]}, "tsh", "tsh", 2.0),
        ({"findings": RESTLESS_LEGS}, "ferritin", "ferritin", 40),
    ],
)
def test_a_test_whose_result_is_in_is_still_listed_where_its_rule_fires(
    assess, overrides, test, code, value
):
    a = assess(results=[result(code, value)], **overrides)
    assert test in codes(a, "investigations")


@pytest.mark.parametrize(
    "code, value, overrides, section, expected",
    [
        ("potassium", 3.1, {"medications": [LOOP_DIURETIC]}, "actions", "review_diuretic"),
        ("egfr", 48, {}, "actions", "repeat_egfr_within_3_months"),
        ("hba1c", 45, {}, "actions", "diabetes_prevention_advice"),
        ("vitamin_b12", 120, {}, "actions", "treat_vitamin_b12_deficiency"),
        ("ankle_brachial_index", 0.6, {}, "actions", "no_compression"),
        ("tsh", 6.1, {}, "investigations", "free_t4"),
        ("sodium", 121, {}, "red_flags", "critical_result"),
    ],
)
def test_what_follows_a_result_carries_reasons_and_sources(
    with_result, code, value, overrides, section, expected
):
    a = with_result(code, value, **overrides)
    entry = item(a, section, expected)
    assert entry["reasons"] and all(r.strip() for r in entry["reasons"])
    assert entry["sources"] and all(s.strip() for s in entry["sources"])
    flagged = find(a, "results", code)
    assert flagged["reasons"] and flagged["sources"]
