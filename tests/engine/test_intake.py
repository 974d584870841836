"""Validation of the intake, exactly as the contract says: errors name the field."""
import pytest

from tests.factories import intake_data
from workup.engine import IntakeError, recommend


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


@pytest.mark.parametrize("change, field, words", [
    (lambda d: d.update(age=-1), "age", "whole number from 0 to 120"),
    (lambda d: d.update(age=121), "age", "whole number from 0 to 120"),
    (lambda d: d.update(age=67.5), "age", "whole number"),
    (lambda d: d.update(age="67"), "age", "whole number"),
    (lambda d: d.update(age=True), "age", "whole number"),
    (lambda d: d.update(sex="f"), "sex", "female, male, other"),
    (lambda d: d.update(pregnancy="yes"), "pregnancy", "must be one of"),
    (lambda d: d["cramps"].update(longest_minutes=-1), "cramps.longest_minutes", "must be a number >= 0"),
    (lambda d: d["cramps"].update(episodes_per_week="3"), "cramps.episodes_per_week", "number >= 0"),
    (lambda d: d["cramps"].update(episodes_per_week=float("nan")), "cramps.episodes_per_week", "number"),
    (lambda d: d["cramps"].update(when=[]), "cramps.when", "at least one"),
    (lambda d: d["cramps"].update(when=["morning"]), "cramps.when[0]", "unknown code 'morning'"),
    (lambda d: d["cramps"].update(sites="calf"), "cramps.sites", "list"),
    (lambda d: d["cramps"].update(side="middle"), "cramps.side", "left, right, both"),
    (lambda d: d["cramps"].update(relieved_by_stretching="yes"), "cramps.relieved_by_stretching", "true or false"),
    (lambda d: d["cramps"].update(sleep_disturbed=1), "cramps.sleep_disturbed", "true or false"),
    (lambda d: d["cramps"].update(colour="red"), "cramps.colour", "unknown field"),
    (lambda d: d.update(findings=["calf_swelling"]), "findings[0]", "unknown code 'calf_swelling'"),
    (lambda d: d.update(findings="fasciculations"), "findings", "list"),
    (lambda d: d.update(conditions=["gout"]), "conditions[0]", "unknown code"),
    (lambda d: d.update(medications=["Lasix", 40]), "medications[1]", "non-empty name"),
    (lambda d: d.update(medications=["  "]), "medications[0]", "non-empty name"),
    (lambda d: d.update(medications="Lasix"), "medications", "list"),
    (lambda d: d.update(legs={"left": ["varicose"]}), "legs.left[0]", "unknown code 'varicose'"),
    (lambda d: d.update(legs={"middle": []}), "legs.middle", "unknown field"),
    (lambda d: d.update(weight=80), "weight", "unknown field"),
    (lambda d: without(d, "age"), "age", "is required"),
    (lambda d: without(d, "cramps", "side"), "cramps.side", "is required"),
    (lambda d: without(d, "cramps"), "cramps", "is required"),
])
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
    assert recommend(intake_data(age=67.0), kb)["contract"] == 1
