"""The intake form refuses what the engine (and so the API) refuses, with the engine's own
limits, keeping everything typed; the live panel and the chart survive any value."""

import re
import urllib.parse

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clinic.assertions import error_beside_field
from tests.factories import INTAKE_POST, consultation_for
from workup.clinic import charts
from workup.clinic.forms import IntakeForm
from workup.clinic.models import Consultation
from workup.engine import LIMITS

pytestmark = pytest.mark.django_db

GOOD = {**INTAKE_POST, "examination": ["calf_swelling_3cm"]}


def test_the_form_takes_its_number_limits_from_the_engine(patient):
    fields = IntakeForm(patient=patient).fields
    for name in ("episodes_per_week", "longest_minutes"):
        low, high = LIMITS[f"cramps.{name}"]
        assert (fields[name].min_value, fields[name].max_value) == (low, high)
        assert fields[name].widget.attrs["max"] == high  # the browser is told too


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("episodes_per_week", "101", "less than or equal to 100"),
        ("episodes_per_week", "1" * 309, "less than or equal to 100"),
        ("episodes_per_week", "1e308", "less than or equal to 100"),
        ("episodes_per_week", "1e309", "Enter a number."),
        ("longest_minutes", "1441", "less than or equal to 1440"),
        ("medications", "Lasix 40mg\n" + "x" * 201, "Medicines: line 2 is 201 characters long"),
        ("medications", "Lasix\x0740mg", "Medicines: line 1 must be plain text"),
        ("medications", "Lasix\n" * 101, "Medicines: list at most 100 medicines"),
        ("medications", "Lasix" + " " * 20_200 + "Lipitor", "Medicines: at most 20,200 characters"),
    ],
    ids=[
        "101",
        "309-digits",
        "1e308",
        "1e309",
        "1441",
        "long-medicine",
        "control-character",
        "101-medicines",
        "long-text",
    ],
)
def test_an_implausible_value_is_refused_beside_its_field_and_nothing_typed_is_lost(
    browser, gp, patient, field, value, words
):
    page = reverse("consultation_create", args=[patient.public_id])
    response = browser(gp).submit(page, {**GOOD, field: value})
    assert response.status_code == 200
    assert not Consultation.objects.exists()
    assert words in error_beside_field(response, field)
    html = response.content.decode()
    if field == "medications":
        assert value in html  # the refused text is shown as typed
        assert re.search(r'name="episodes_per_week" value="4"', html)
    else:
        assert f'value="{value}"' in html  # the refused number is shown as typed
        assert "Lasix 40mg\nSeretide 250" in html
    assert re.search(
        r'value="calf_swelling_3cm" id="id_examination_\d+" checked', " ".join(html.split())
    )


def test_a_tab_inside_a_medicine_line_counts_as_a_space(browser, gp, patient):
    page = reverse("consultation_create", args=[patient.public_id])
    browser(gp).submit(page, {**GOOD, "medications": "Lasix\t40mg\n  Seretide   250 "})
    assert Consultation.objects.get().intake["medications"] == ["Lasix 40mg", "Seretide 250"]


def test_values_at_the_limits_are_saved(browser, gp, patient):
    page = reverse("consultation_create", args=[patient.public_id])
    browser(gp).submit(page, {**GOOD, "episodes_per_week": "100", "longest_minutes": "1440"})
    cramps = Consultation.objects.get().intake["cramps"]
    assert (cramps["episodes_per_week"], cramps["longest_minutes"]) == (100, 1440)


def test_the_medicines_box_refuses_a_lone_surrogate_naming_the_field(patient):
    form = IntakeForm({**GOOD, "medications": "Lasix\nLipitor \ud800"}, patient=patient)
    assert not form.is_valid()
    assert form.errors["medications"] == [
        "Medicines: line 2 must be plain text, without control characters or invalid Unicode."
    ]


# -- The chart of cramps per week draws whatever was stored -----------------------------------


@pytest.mark.parametrize(
    "stored, label",
    [
        (10**309, "100+"),
        (1e308, "100+"),
        (float("inf"), "100+"),
        (-5, "0"),
        ("3", "3"),
    ],
    ids=["309-digits", "1e308", "inf", "negative", "text"],
)
def test_the_chart_clamps_any_stored_number(gp, patient, stored, label):
    consultation = consultation_for(patient, gp)
    consultation.intake["cramps"]["episodes_per_week"] = stored
    svg = charts.cramp_frequency_svg([consultation])
    assert "a week</title>" in svg and f'class="label">{label}</text>' in svg


@pytest.mark.parametrize(
    "intake",
    [
        {"cramps": {"episodes_per_week": None}},
        {"cramps": {"episodes_per_week": "lots"}},
        {"cramps": {}},
        {},
        {"cramps": {"episodes_per_week": float("nan")}},
        {"cramps": {"episodes_per_week": True}},
        {"cramps": [1]},
    ],
)
def test_the_chart_leaves_out_a_visit_without_a_number(gp, patient, intake):
    good = consultation_for(patient, gp)
    bad = consultation_for(patient, gp)
    bad.intake = intake
    svg = charts.cramp_frequency_svg([good, bad])
    assert svg.count("<circle") == 1
    assert charts.cramp_frequency_svg([bad]) == ""


def test_the_patient_page_shows_a_visit_saved_with_a_309_digit_count(login, gp, patient):
    consultation = consultation_for(patient, gp)
    Consultation.objects.filter(pk=consultation.pk).update(
        intake={
            **consultation.intake,
            "cramps": {**consultation.intake["cramps"], "episodes_per_week": 10**308},
        }
    )
    response = login(gp).get(reverse("patient_detail", args=[patient.public_id]))
    assert response.status_code == 200
    assert 'class="label">100+</text>' in response.content.decode()


# -- Fuzzing the live assessment: whatever is posted, never a 500 ------------------------------


def form_bodies():
    numbers = st.one_of(
        st.integers(-(10**400), 10**400).map(str),
        st.floats().map(repr),
        st.integers(300, 5000).map(lambda n: "9" * n),
        st.sampled_from(["1e309", "-1e309", "nan", "inf", "1e308", "0x10", "1_000", " 3 ", ""]),
    )
    texts = st.one_of(
        st.text(max_size=40),  # control characters included
        st.tuples(st.text(max_size=5), st.integers(0xD800, 0xDFFF).map(chr)).map("".join),
        st.integers(200, 100_000).map(lambda n: "x" * n),
        st.lists(st.text(max_size=20), max_size=150).map("\n".join),
    )
    anything = numbers | texts | st.lists(texts, max_size=3)
    fields = st.fixed_dictionaries(
        {},
        optional={
            name: anything
            for name in (
                "episodes_per_week",
                "longest_minutes",
                "when",
                "sites",
                "side",
                "relieved_by_stretching",
                "sleep_disturbed",
                "pregnancy",
                "symptoms",
                "history",
                "conditions",
                "medications",
                "examination",
                "left_leg",
                "right_leg",
                "symptoms_for",
                "venous_surgery",
                "allergies",
                "no_known_allergies",
                "allergies_confirmed",
                "version",
                "unknown",
            )
        },
    )
    return st.tuples(
        st.fixed_dictionaries({name: st.just(v) for name, v in GOOD.items()}), fields
    ).map(lambda t: {**t[0], **t[1]})


# posted bodies against the views, with the test's own fixtures: no deadline, no example
# database, large bodies on purpose
FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def urlencoded(data: dict) -> bytes:
    """As a client may send it: a lone surrogate becomes bytes that are not UTF-8."""
    return urllib.parse.urlencode(
        data, doseq=True, encoding="utf-8", errors="surrogatepass"
    ).encode("ascii")


@pytest.mark.slow
@settings(FUZZ, max_examples=300)
@given(data=form_bodies(), raw=st.binary(max_size=200) | st.none())
def test_the_live_assessment_never_fails_whatever_is_posted(login, gp, patient, data, raw):
    url = reverse("live_assessment", args=[patient.public_id])
    body = raw if raw is not None else urlencoded(data)
    response = login(gp).generic(
        "POST", url, body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200  # a 500 raises here
    assert 'id="live-panel"' in response.content.decode()
    assert not Consultation.objects.exists()


@pytest.mark.slow
@settings(FUZZ, max_examples=150)
@given(data=form_bodies())
def test_saving_the_intake_never_fails_whatever_is_posted(login, gp, patient, data):
    url = reverse("consultation_create", args=[patient.public_id])
    response = login(gp).generic(
        "POST", url, urlencoded(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302)  # refused with the form again, or saved
    if response.status_code == 302:
        saved = Consultation.objects.latest("created_at")
        assert len(saved.venous_surgery) <= 200 and saved.symptoms_for in (
            "",
            *dict(Consultation.SymptomsFor.choices),
        )
