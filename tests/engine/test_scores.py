"""The two-level Wells score (NICE NG158) and CEAP per leg."""

import pytest

from tests.engine.intakes import codes

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
]


def test_wells_is_null_when_no_dvt_sign_was_recorded(assess):
    assert assess()["wells_score"] is None
    assert assess(findings=["active_cancer", "previous_dvt"])["wells_score"] is None


@pytest.mark.parametrize("finding", WELLS_ITEMS)
def test_each_wells_item_scores_one(assess, finding):
    base = assess(findings=["whole_leg_swollen"])["wells_score"]
    if finding == "whole_leg_swollen":
        assert base == 1
    else:
        assert assess(findings=["whole_leg_swollen", finding])["wells_score"] == base + 1


def test_an_alternative_diagnosis_scores_minus_two(assess):
    a = assess(
        findings=["calf_swelling_3cm", "deep_vein_tenderness", "alternative_diagnosis_likely"]
    )
    assert a["wells_score"] == 0
    assert "d_dimer" in codes(a, "investigations")


def test_every_item_together_scores_nine(assess):
    assert assess(findings=WELLS_ITEMS)["wells_score"] == 9


@pytest.mark.parametrize(
    "score_findings, likely",
    [
        (["calf_swelling_3cm"], False),
        (["calf_swelling_3cm", "previous_dvt"], True),
        (["calf_swelling_3cm", "alternative_diagnosis_likely"], False),
    ],
)
def test_two_or_more_is_likely_and_one_or_less_unlikely(assess, score_findings, likely):
    investigations = codes(assess(findings=score_findings), "investigations")
    assert ("proximal_leg_vein_ultrasound" in investigations) is likely
    assert ("d_dimer" in investigations) is (not likely)


@pytest.mark.parametrize("vein_sign", ["varicose_veins", "recurrent_varicose_veins"])
def test_varicose_veins_elsewhere_never_cancel_the_collateral_veins_item(assess, vein_sign):
    """Version 2 (REFERENCE 3a): the finding itself means non-varicose collateral veins."""
    findings = ["calf_swelling_3cm", "collateral_superficial_veins"]
    assert assess(findings=findings)["wells_score"] == 2
    a = assess(findings=findings, right=[vein_sign])
    assert a["wells_score"] == 2
    assert "proximal_leg_vein_ultrasound" in codes(a, "investigations")
    assert "d_dimer" not in codes(a, "investigations")


@pytest.mark.parametrize(
    "sign, cls",
    [
        ("telangiectasia_or_reticular_veins", "C1"),
        ("varicose_veins", "C2"),
        ("recurrent_varicose_veins", "C2r"),
        ("venous_oedema", "C3"),
        ("pigmentation_or_eczema", "C4a"),
        ("lipodermatosclerosis_or_atrophie_blanche", "C4b"),
        ("corona_phlebectatica", "C4c"),
        ("healed_venous_ulcer", "C5"),
        ("active_venous_ulcer", "C6"),
        ("recurrent_active_venous_ulcer", "C6r"),
    ],
)
def test_each_ceap_class(assess, sign, cls):
    ceap = assess(left=[sign])["ceap"]
    assert ceap["left"] == {"class": cls, "symptomatic": False}
    assert ceap["right"] == {"class": "C0", "symptomatic": False}


def test_no_sign_is_c0(assess):
    assert assess()["ceap"] == {
        "left": {"class": "C0", "symptomatic": False},
        "right": {"class": "C0", "symptomatic": False},
    }


def test_the_highest_class_wins_whatever_the_order(assess):
    signs = [
        "active_venous_ulcer",
        "telangiectasia_or_reticular_veins",
        "varicose_veins",
        "pigmentation_or_eczema",
    ]
    assert assess(left=signs)["ceap"]["left"]["class"] == "C6"
    assert assess(left=list(reversed(signs)))["ceap"]["left"]["class"] == "C6"


def test_each_leg_is_classed_on_its_own(assess):
    ceap = assess(left=["varicose_veins", "venous_symptoms"], right=["healed_venous_ulcer"])["ceap"]
    assert ceap["left"] == {"class": "C2", "symptomatic": True}
    assert ceap["right"] == {"class": "C5", "symptomatic": False}


def test_symptoms_alone_make_a_symptomatic_c0_leg(assess):
    assert assess(right=["venous_symptoms"])["ceap"]["right"] == {
        "class": "C0",
        "symptomatic": True,
    }


def test_cramps_alone_do_not_make_a_leg_symptomatic(assess):
    ceap = assess(cramps={"side": "left"}, left=["varicose_veins"])["ceap"]
    assert ceap["left"] == {"class": "C2", "symptomatic": False}
