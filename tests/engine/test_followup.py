"""Follow-up visits (REFERENCE.md section 3c): outstanding items, what answers them, quinine review.

Black box: `recommend(intake, kb)` only.
"""

import pytest

from tests.engine.intakes import LOOP_DIURETIC, QUININE, codes, find, item, previous, result

# -- Outstanding items are listed with the date they were requested ----------------------------


def test_an_outstanding_test_the_intake_recommends_is_listed_once_as_already_requested(assess):
    a = assess(medications=[LOOP_DIURETIC], previous=[previous("u_and_e", on="2026-09-01")])
    assert codes(a, "investigations").count("u_and_e") == 1
    assert item(a, "investigations", "u_and_e")["already_requested"] == "2026-09-01"


def test_an_outstanding_referral_the_intake_recommends_keeps_its_urgency(assess):
    a = assess(
        right=["varicose_veins", "venous_symptoms"],
        previous=[previous("vascular", "referral", on="2026-09-15")],
    )
    entry = item(a, "referrals", "vascular")
    assert (entry["urgency"], entry["already_requested"]) == ("routine", "2026-09-15")
    assert codes(a, "referrals").count("vascular") == 1


@pytest.mark.parametrize(
    "dates, earliest",
    [
        (["2026-10-01", "2026-09-15"], "2026-09-15"),
        (["2026-09-15", "2026-10-01"], "2026-09-15"),
        (["2025-12-31", "2026-01-01", "2025-12-30"], "2025-12-30"),
    ],
)
def test_an_item_requested_more_than_once_carries_the_earliest_date(assess, dates, earliest):
    a = assess(medications=[LOOP_DIURETIC], previous=[previous("u_and_e", on=d) for d in dates])
    assert codes(a, "investigations").count("u_and_e") == 1
    assert item(a, "investigations", "u_and_e")["already_requested"] == earliest


def test_a_referral_requested_twice_carries_the_earliest_date(assess):
    a = assess(
        previous=[
            previous("neurology", "referral", on="2026-05-02"),
            previous("neurology", "referral", on="2026-03-04"),
        ]
    )
    assert item(a, "referrals", "neurology")["already_requested"] == "2026-03-04"


@pytest.mark.parametrize(
    "code",
    [
        "tsh",
        "ferritin",
        "venous_duplex_ultrasound",
        "full_blood_count",
        "free_t4",
        "d_dimer",
        "liver_function",
    ],
)
def test_an_outstanding_test_is_listed_even_when_not_recommended_now(assess, code):
    a = assess(previous=[previous(code, on="2026-08-20")])
    assert item(a, "investigations", code)["already_requested"] == "2026-08-20"


@pytest.mark.parametrize("code", ["vascular", "neurology", "emergency_department"])
def test_an_outstanding_referral_not_recommended_now_is_listed_with_no_urgency(assess, code):
    a = assess(previous=[previous(code, "referral", on="2026-07-01")])
    entry = item(a, "referrals", code)
    assert entry["already_requested"] == "2026-07-01"
    assert entry["urgency"] is None


def test_outstanding_items_still_carry_reasons_and_sources(assess):
    a = assess(previous=[previous("tsh"), previous("vascular", "referral")])
    for entry in (item(a, "investigations", "tsh"), item(a, "referrals", "vascular")):
        assert entry["reasons"] and entry["sources"]


def test_new_items_carry_no_already_requested_date(assess):
    a = assess(medications=[LOOP_DIURETIC], previous=[previous("u_and_e")])
    for entry in a["investigations"]:
        if entry["code"] != "u_and_e":
            assert not entry.get("already_requested")


def test_a_previous_test_and_a_previous_referral_of_different_codes_are_both_kept(assess):
    a = assess(
        previous=[
            previous("ankle_brachial_index", on="2026-02-01"),
            previous("vascular", "referral", on="2026-02-02"),
        ]
    )
    assert item(a, "investigations", "ankle_brachial_index")["already_requested"] == "2026-02-01"
    assert item(a, "referrals", "vascular")["already_requested"] == "2026-02-02"


# -- A result answers a previous investigation ---------------------------------------------------


@pytest.mark.parametrize(
    "investigation, answer",
    [
        ("u_and_e", result("sodium", 140)),
        ("u_and_e", result("potassium", 4.0)),
        ("u_and_e", result("egfr", 85)),
        ("calcium", result("adjusted_calcium", 2.4)),
        ("glucose_hba1c", result("hba1c", 36)),
        ("tsh", result("tsh", 2.0)),
        ("magnesium", result("magnesium", 0.85)),
        ("ferritin", result("ferritin", 120)),
        ("vitamin_b12", result("vitamin_b12", 400)),
        ("creatine_kinase", result("creatine_kinase", 150)),
        ("ankle_brachial_index", result("ankle_brachial_index", 1.1)),
        ("d_dimer", result("d_dimer", "negative")),
        ("proximal_leg_vein_ultrasound", result("proximal_leg_vein_ultrasound", "negative")),
    ],
)
def test_a_resulted_previous_test_is_no_longer_outstanding(assess, investigation, answer):
    a = assess(previous=[previous(investigation, on="2026-09-01")], results=[answer])
    entry = find(a, "investigations", investigation)
    assert entry is None or not entry.get("already_requested")


def test_a_resulted_pregnancy_test_is_no_longer_listed(assess):
    a = assess(
        age=30,
        pregnancy="possible",
        previous=[previous("pregnancy_test")],
        results=[result("pregnancy_test", "negative")],
    )
    assert "pregnancy_test" not in codes(a, "investigations")


def test_a_resulted_test_the_intake_still_recommends_is_listed_as_new(assess):
    a = assess(
        medications=[LOOP_DIURETIC],
        previous=[previous("u_and_e", on="2026-09-01")],
        results=[result("sodium", 139)],
    )
    entry = item(a, "investigations", "u_and_e")
    assert not entry.get("already_requested")


@pytest.mark.parametrize(
    "investigation, other",
    [
        ("calcium", result("sodium", 140)),  # sodium answers u_and_e, not calcium
        ("u_and_e", result("magnesium", 0.8)),
        ("u_and_e", result("adjusted_calcium", 2.4)),
        ("glucose_hba1c", result("tsh", 2.0)),
        ("magnesium", result("potassium", 4.0)),
        ("free_t4", result("tsh", 6.0)),
        ("proximal_leg_vein_ultrasound", result("d_dimer", "positive")),
    ],
)
def test_a_result_for_another_test_leaves_the_previous_one_outstanding(
    assess, investigation, other
):
    a = assess(previous=[previous(investigation, on="2026-09-01")], results=[other])
    assert item(a, "investigations", investigation)["already_requested"] == "2026-09-01"


def test_a_result_never_answers_a_referral(assess):
    a = assess(
        previous=[previous("vascular", "referral", on="2026-04-04")],
        results=[result("ankle_brachial_index", 1.0)],
    )
    assert item(a, "referrals", "vascular")["already_requested"] == "2026-04-04"


# -- Quinine review ------------------------------------------------------------------------------


@pytest.mark.parametrize("medications", [[QUININE], [], ["tonic water"]])
def test_any_intake_with_a_quinine_start_date_gets_a_quinine_review(assess, medications):
    a = assess(medications=medications, quinine_started="2026-10-01")
    entry = item(a, "actions", "quinine_review")
    assert entry["reasons"] and entry["sources"]
    assert codes(a, "actions").count("quinine_review") == 1


def test_the_quinine_review_sits_beside_the_bleeding_red_flag(assess):
    a = assess(
        medications=[QUININE],
        quinine_started="2026-10-01",
        findings=["unexplained_bruising_or_bleeding"],
    )
    assert "quinine_review" in codes(a, "actions")
    assert item(a, "red_flags", "quinine_bleeding")["urgency"] == "same_day"
