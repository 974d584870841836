"""CEAP in words: the class and the symptoms never run together ("C4as" read as C4a or C4,
asymptomatic or symptomatic)."""

import pytest
from django.template import Context, Template


@pytest.mark.parametrize(
    "leg, words",
    [
        ({"class": "C4a", "symptomatic": True}, "C4a, symptomatic"),
        ({"class": "C1", "symptomatic": False}, "C1, asymptomatic"),
        ({"class": "C6r", "symptomatic": True}, "C6r, symptomatic"),
        (None, "not recorded"),
        ({}, "not recorded"),
    ],
)
def test_a_leg_is_written_with_its_class_and_symptoms_apart(leg, words):
    html = Template("{% load clinical_words %}{{ leg|ceap_words }}").render(Context({"leg": leg}))
    assert html == words
