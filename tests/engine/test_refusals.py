"""Inputs the engine refuses (REFERENCE.md 3a and the contract's "Version 2": Refused).

Each refusal raises IntakeError naming the field, and the value just inside the limit passes.
"""

import math

import pytest

from tests.engine.intakes import PREGNANT, intake, previous, result
from workup.engine import IntakeError, recommend


@pytest.fixture
def refused(kb):
    """refused(**overrides) -> the IntakeError raised for a typical cramp so changed."""

    def _refused(**overrides):
        with pytest.raises(IntakeError) as caught:
            recommend(intake(**overrides), kb)
        return caught.value

    return _refused


# -- Age -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("age", [15, 3, 0])
def test_under_16_is_refused_as_a_tool_for_adults(refused, age):
    error = refused(age=age)
    assert error.field == "age"
    assert "this tool is for adults aged 16 and over" in error.message


def test_16_is_accepted(assess):
    assert assess(age=16)["contract"] == 2


# -- Pregnancy and sex ---------------------------------------------------------------------------


@pytest.mark.parametrize("pregnancy", ["possible"] + PREGNANT)
def test_a_man_cannot_be_recorded_as_pregnant(refused, pregnancy):
    assert refused(sex="male", age=40, pregnancy=pregnancy).field == "pregnancy"


def test_a_man_not_pregnant_is_accepted(assess):
    assert assess(sex="male", pregnancy="none")["contract"] == 2


@pytest.mark.parametrize(
    "age, pregnancy", [(61, "trimester_1"), (70, "trimester_3"), (66, "postpartum")]
)
def test_over_60_and_pregnant_is_unusual_but_not_refused(assess, age, pregnancy):
    assert assess(age=age, pregnancy=pregnancy)["contract"] == 2


# -- Results -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["sodiumm", "u_and_e", "glucose_hba1c", "", "free_t4"])
def test_an_unknown_result_code_is_refused_naming_its_place(refused, code):
    error = refused(results=[result("potassium", 4.0), result(code, 4.0)])
    assert error.field == "results[1].code"


@pytest.mark.parametrize(
    "value", [math.nan, math.inf, -math.inf, -1, -0.01, "3.1", None, True, [4.0]]
)
def test_a_numeric_result_that_is_not_a_finite_number_of_zero_or_more_is_refused(refused, value):
    assert refused(results=[result("potassium", value)]).field == "results[0].value"


@pytest.mark.parametrize("code", ["sodium", "ferritin", "creatine_kinase", "ankle_brachial_index"])
def test_zero_is_a_valid_numeric_result(assess, code):
    assert assess(results=[result(code, 0)])["results"][0]["value"] == 0


@pytest.mark.parametrize("code", ["d_dimer", "proximal_leg_vein_ultrasound"])
@pytest.mark.parametrize("value", ["pos", "Positive", "NEGATIVE", "", True, 1, None, "equivocal"])
def test_a_coded_result_other_than_positive_or_negative_is_refused(refused, code, value):
    assert refused(results=[result("sodium", 140), result(code, value)]).field == "results[1].value"


def test_a_pregnancy_test_result_must_be_positive_or_negative(refused):
    error = refused(age=30, pregnancy="possible", results=[result("pregnancy_test", "maybe")])
    assert error.field == "results[0].value"


@pytest.mark.parametrize(
    "first, second",
    [
        (result("sodium", 140), result("sodium", 131)),
        (result("d_dimer", "negative"), result("d_dimer", "positive")),
        (result("tsh", 2.0, date="2026-01-01"), result("tsh", 2.0, date="2026-06-01")),
    ],
)
def test_the_same_result_code_twice_is_refused_at_the_second(refused, first, second):
    error = refused(results=[first, result("potassium", 4.0), second])
    assert error.field.startswith("results[2]")


def test_a_result_without_a_value_is_refused(refused):
    assert refused(results=[{"code": "sodium"}]).field == "results[0].value"


def test_a_result_with_an_unknown_field_is_refused(refused):
    error = refused(results=[result("sodium", 140, units="mmol/L")])
    assert error.field.startswith("results[0]")


@pytest.mark.parametrize("results", [{"code": "sodium", "value": 140}, "sodium 140"])
def test_results_must_be_a_list(refused, results):
    assert refused(results=results).field == "results"


# -- Previous items ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["u_and_ee", "vascular_surgeon", "", "sodium"])
def test_an_unknown_previous_code_is_refused_naming_its_place(refused, code):
    kind = "referral" if code == "vascular_surgeon" else "investigation"
    error = refused(previous=[previous("tsh"), previous(code, kind)])
    assert error.field == "previous[1].code"


@pytest.mark.parametrize("kind", ["test", "Referral", "", None, "investigations"])
def test_a_previous_item_of_unknown_kind_is_refused(refused, kind):
    error = refused(previous=[{"code": "u_and_e", "kind": kind, "date": "2026-09-01"}])
    assert error.field == "previous[0].kind"


# -- Dates ---------------------------------------------------------------------------------------

BAD_DATES = [
    "2026-13-01",
    "2026-02-30",
    "02/11/2026",
    "2026-2-3",
    "2026-11-02T10:00",
    "20261102",
    "",
    "yesterday",
    20261102,
]


@pytest.mark.parametrize("bad", BAD_DATES)
def test_a_malformed_result_date_is_refused(refused, bad):
    error = refused(
        results=[result("sodium", 140, date="2026-11-02"), result("potassium", 4.0, date=bad)]
    )
    assert error.field == "results[1].date"


@pytest.mark.parametrize("bad", BAD_DATES)
def test_a_malformed_previous_date_is_refused(refused, bad):
    assert refused(previous=[previous("u_and_e", on=bad)]).field == "previous[0].date"


@pytest.mark.parametrize("bad", BAD_DATES)
def test_a_malformed_quinine_start_date_is_refused(refused, bad):
    assert (
        refused(quinine_started=bad, medications=["Quinine sulfate 200mg"]).field
        == "quinine_started"
    )


def test_well_formed_dates_are_accepted(assess):
    a = assess(
        results=[result("sodium", 140, date="2024-02-29")],
        previous=[previous("tsh", on="2026-12-31")],
        quinine_started="2026-01-01",
    )
    assert a["contract"] == 2


def test_the_refusal_message_is_a_sentence_not_a_traceback(refused):
    error = refused(results=[result("magnesium", -0.2)])
    assert error.message and "Traceback" not in error.message and "\n" not in error.message
