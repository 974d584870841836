"""The referral letter and the lab request: everything the receiving clinician needs."""

import pytest

from tests.documents.helpers import (
    BUSY,
    KB,
    document_input,
    kind_html,
    pages_of,
    structure,
    text_of,
)
from workup.documents.pdf import render_pdf

pytestmark = pytest.mark.django_db(databases=[])


def flat(pdf):
    return " ".join(text_of(pdf).split())


def test_a_vascular_referral_letter_takes_no_typing():
    doc = document_input(**BUSY, conditions=["smoker"])
    pdf = render_pdf(kind_html("referral", doc, KB, to="vascular"))
    text = flat(pdf)
    assert pages_of(pdf) == 1
    for expected in [
        "Referral to Vascular service — ROUTINE",
        "Test Patient",
        "14 Mar 1956",
        "943 476 5919",  # patient details, the NHS number as 3-3-4
        "Left leg: varicose veins, venous symptoms",  # reason, own findings
        "Suspected deep vein thrombosis (same day)",  # red flags
        "Leg cramps 3 a week, longest 3 min, at night, in the calf (left)",  # history
        "Conditions: smoker.",
        "C2, symptomatic",
        "C0, asymptomatic",  # CEAP per leg, never run together ("C4as")
        "Two-level Wells score 2: DVT likely.",
        "Lasix 40mg (furosemide) — associated with cramps",  # medicines
        "Proximal leg-vein ultrasound (within 4 hours).",  # investigations
        "Dr Amira Patel",
        "Northside Surgery",  # GP and practice
    ]:
        assert expected in text, expected
    assert structure(pdf)["tagged"]


def test_a_neurology_referral_names_the_urgency():
    doc = document_input(findings=["fasciculations", "muscle_wasting"])
    text = flat(render_pdf(kind_html("referral", doc, KB, to="neurology")))
    assert "Referral to Neurology — URGENT" in text
    assert "Fasciculations" in text or "fasciculations" in text


def test_the_lab_request_lists_accepted_blood_tests_with_loinc_codes():
    doc = document_input(medications=["Lasix 40mg"], findings=["thyroid_symptoms"])
    doc.accepted["investigations"] = ["u_and_e", "tsh", "medication_review"]
    text = flat(render_pdf(kind_html("lab_request", doc, KB)))
    assert "2951-2, 2823-3, 2160-0, 98979-8" in text and "3016-3" in text
    assert "Magnesium" not in text  # not accepted
    assert "Medication review" not in text  # not a laboratory test
    assert "Takes Lasix 40mg: furosemide, a loop diuretic." in text
    assert "Test Patient" in text and "Dr Amira Patel" in text
