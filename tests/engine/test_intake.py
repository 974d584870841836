"""Validation of the intake, exactly as the contract says: errors name the field."""

import pytest

from tests.factories import intake_data
from workup.engine import IntakeError, recommend
from workup.engine.intake import LIMITS, MAX_CODES, MAX_MEDICATION_LENGTH, MAX_MEDICATIONS


def error_for(kb, data):
    with pytest.raises(IntakeError) as caught:
        recommend(data, kb)
    return caught.value


def without(data, *path):
    target = data
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return data


@pytest.mark.parametrize(
    "change, field, words",
    [
        (lambda d: d.update(age=-1), "age", "whole number from 0 to 120"),
        (lambda d: d.update(age=121), "age", "whole number from 0 to 120"),
        (lambda d: d.update(age=67.5), "age", "whole number"),
        (lambda d: d.update(age="67"), "age", "whole number"),
        (lambda d: d.update(age=True), "age", "whole number"),
        (lambda d: d.update(sex="f"), "sex", "female, male, other"),
        (lambda d: d.update(pregnancy="yes"), "pregnancy", "must be one of"),
        (
            lambda d: d["cramps"].update(longest_minutes=-1),
            "cramps.longest_minutes",
            "must be a number from 0 to 1440",
        ),
        (
            lambda d: d["cramps"].update(episodes_per_week="3"),
            "cramps.episodes_per_week",
            "must be a number from 0 to 100",
        ),
        (
            lambda d: d["cramps"].update(episodes_per_week=float("nan")),
            "cramps.episodes_per_week",
            "number",
        ),
        (lambda d: d["cramps"].update(when=[]), "cramps.when", "at least one"),
        (
            lambda d: d["cramps"].update(when=["morning"]),
            "cramps.when[0]",
            "unknown code 'morning'",
        ),
        (lambda d: d["cramps"].update(sites="calf"), "cramps.sites", "list"),
        (lambda d: d["cramps"].update(side="middle"), "cramps.side", "left, right, both"),
        (
            lambda d: d["cramps"].update(relieved_by_stretching="yes"),
            "cramps.relieved_by_stretching",
            "true or false",
        ),
        (
            lambda d: d["cramps"].update(sleep_disturbed=1),
            "cramps.sleep_disturbed",
            "true or false",
        ),
        (lambda d: d["cramps"].update(colour="red"), "cramps.colour", "unknown field"),
        (
            lambda d: d.update(findings=["calf_swelling"]),
            "findings[0]",
            "unknown code 'calf_swelling'",
        ),
        (lambda d: d.update(findings="fasciculations"), "findings", "list"),
        (lambda d: d.update(conditions=["gout"]), "conditions[0]", "unknown code"),
        (lambda d: d.update(medications=["Lasix", 40]), "medications[1]", "non-empty name"),
        (lambda d: d.update(medications=["  "]), "medications[0]", "non-empty name"),
        (lambda d: d.update(medications="Lasix"), "medications", "list"),
        (
            lambda d: d.update(legs={"left": ["varicose"]}),
            "legs.left[0]",
            "unknown code 'varicose'",
        ),
        (lambda d: d.update(legs={"middle": []}), "legs.middle", "unknown field"),
        (lambda d: d.update(weight=80), "weight", "unknown field"),
        (lambda d: without(d, "age"), "age", "is required"),
        (lambda d: without(d, "cramps", "side"), "cramps.side", "is required"),
        (lambda d: without(d, "cramps"), "cramps", "is required"),
    ],
)
def test_bad_input_names_the_field(kb, change, field, words):
    data = intake_data()
    change(data)
    err = error_for(kb, data)
    assert err.field == field
    assert words in str(err)
    assert str(err).startswith(f"{field}: ")


def test_an_intake_that_is_not_an_object_is_refused(kb):
    assert error_for(kb, ["age", 60]).field == "intake"


def test_optional_fields_take_their_defaults(kb):
    data = intake_data()
    for key in ("pregnancy", "findings", "conditions", "medications", "legs"):
        del data[key]
    del data["cramps"]["sleep_disturbed"]
    assessment = recommend(data, kb)
    assert assessment["investigations"] == []
    assert assessment["ceap"]["left"]["class"] == "C0"


def test_a_whole_number_written_as_a_decimal_is_accepted(kb):
    assert recommend(intake_data(age=67.0), kb)["contract"] == 2


# -- Plausible limits: every number and text has one, and an absurd value names its field -------


@pytest.mark.parametrize(
    "change, field, message",
    [
        (
            lambda d: d["cramps"].update(episodes_per_week=101),
            "cramps.episodes_per_week",
            "must be a number from 0 to 100",
        ),
        (
            lambda d: d["cramps"].update(episodes_per_week=1e308),
            "cramps.episodes_per_week",
            "must be a number from 0 to 100",
        ),
        (
            lambda d: d["cramps"].update(episodes_per_week=10**400),
            "cramps.episodes_per_week",
            "must be a number from 0 to 100",
        ),
        (
            lambda d: d["cramps"].update(episodes_per_week=-(10**400)),
            "cramps.episodes_per_week",
            "must be a number from 0 to 100",
        ),
        (
            lambda d: d["cramps"].update(episodes_per_week=float("inf")),
            "cramps.episodes_per_week",
            "must be a number from 0 to 100",
        ),
        (
            lambda d: d["cramps"].update(longest_minutes=1440.5),
            "cramps.longest_minutes",
            "must be a number from 0 to 1440",
        ),
        (
            lambda d: d["cramps"].update(longest_minutes=10**309),
            "cramps.longest_minutes",
            "must be a number from 0 to 1440",
        ),
        (lambda d: d.update(age=10**400), "age", "must be a whole number from 0 to 120"),
        (lambda d: d.update(age=1e308), "age", "must be a whole number from 0 to 120"),
        (lambda d: d.update(medications=["Lasix"] * 101), "medications", "at most 100 entries"),
        (lambda d: d.update(medications=["x" * 201]), "medications[0]", "at most 200 characters"),
        (
            lambda d: d.update(medications=["Lasix", "Lipitor\ud800"]),
            "medications[1]",
            "must be plain text, without control characters or invalid Unicode",
        ),
        (lambda d: d.update(medications=["Lasix\x00"]), "medications[0]", "must be plain text"),
        (lambda d: d.update(medications=["Lasix\t40mg"]), "medications[0]", "must be plain text"),
        (lambda d: d.update(medications=["Lasix\x9b"]), "medications[0]", "must be plain text"),
        (lambda d: d.update(findings=["previous_dvt"] * 101), "findings", "at most 100 entries"),
        (lambda d: d["cramps"].update(when=["night"] * 101), "cramps.when", "at most 100 entries"),
        (
            lambda d: d.update(legs={"left": ["varicose_veins"] * 101}),
            "legs.left",
            "at most 100 entries",
        ),
    ],
)
def test_an_implausible_value_is_refused_naming_the_field(kb, change, field, message):
    data = intake_data()
    change(data)
    err = error_for(kb, data)
    assert err.field == field and message in err.message


def test_values_at_the_limits_are_accepted(kb):
    data = intake_data(
        age=120,
        cramps={"episodes_per_week": 100, "longest_minutes": 1440},
        medications=["Ácido fólico 5 mg " + "x" * 182] * MAX_MEDICATIONS,
        findings=["previous_dvt"] * MAX_CODES,
    )
    assert len(data["medications"][0]) == MAX_MEDICATION_LENGTH
    assert recommend(data, kb)["contract"] == 2
    youngest = intake_data(age=16, cramps={"episodes_per_week": 0, "longest_minutes": 0.0})
    assert recommend(youngest, kb)["contract"] == 2


def test_the_limits_are_the_ones_the_readme_documents():
    assert LIMITS == {
        "age": (0, 120),
        "cramps.episodes_per_week": (0, 100),
        "cramps.longest_minutes": (0, 1440),
    }
    assert (MAX_MEDICATIONS, MAX_MEDICATION_LENGTH, MAX_CODES) == (100, 200, 100)


def test_a_medicine_in_any_script_is_accepted(kb):
    meds = ["Ácido fólico", "阿司匹林", "Лазикс 40 мг", "💊 vitamin D"]
    assert [m["text"] for m in recommend(intake_data(medications=meds), kb)["medications"]] == meds


@pytest.mark.parametrize(
    "key, shown",
    [
        ("weight\ud800", "weight\\ud800"),
        ("colour\x1b[31m", "colour\\x1b[31m"),
        ("x" * 5000, "x" * 40 + "..."),
    ],
)
def test_an_unknown_field_is_named_in_printable_text(kb, key, shown):
    err = error_for(kb, {**intake_data(), key: 1})
    assert err.field == shown and err.field.isprintable()
    err.field.encode("utf-8")  # can be written out


def test_an_unknown_code_with_a_lone_surrogate_is_quoted_printably(kb):
    err = error_for(kb, intake_data(findings=["fever\udc80"]))
    assert err.message == "unknown code 'fever\\udc80'"
    str(err).encode("utf-8")
