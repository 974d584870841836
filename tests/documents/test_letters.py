"""Letters a receiving clinician can act on (issue 12): the letterhead, who it is to and from
with the GMC or NMC number and a signature line, the NHS number as 3-3-4, the allergies, a
reason written for the receiver, and what each service looks for; the lab request's specimen,
fasting and urgency. Read from the HTML the registry builds (one letter through the PDF)."""

import html
import re
from dataclasses import replace
from datetime import date

import pytest

from tests.documents.helpers import BUSY, KB, document_input, flat, kind_html
from workup.documents.content import nhs_number_spaced
from workup.documents.pdf import render_pdf

pytestmark = pytest.mark.django_db(databases=[])

LETTERHEAD = dict(
    practice_address="1 High Street\nNorthtown NT1 1AA",
    practice_telephone="01234 567890",
    practice_ods_code="A81001",
    clinician_role="General practitioner",
    clinician_registration="GMC 1234567",
)
VENOUS = dict(
    left=["varicose_veins", "venous_oedema", "pigmentation_or_eczema", "venous_symptoms"],
    medications=["Bendroflumethiazide 2.5mg od", "Amlodipine 5mg od", "Apixaban 5mg bd"],
)
NEURO = dict(findings=["fasciculations", "muscle_wasting"])
DVT = dict(findings=["calf_swelling_3cm", "deep_vein_tenderness", "pitting_oedema_one_leg"])


def words(page: str) -> str:
    body = page[page.index("<body>") :]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def between(text, start, end):
    assert start in text and end in text, (start, end)
    at = text.index(start)
    return text[at : text.index(end, at)]


def doc_for(fields, **extra):
    return replace(document_input(**fields), **extra)


def letter(fields, to="vascular", **extra):
    return words(kind_html("referral", doc_for(fields, **extra), KB, to=to))


def lab(fields, **extra):
    return words(kind_html("lab_request", doc_for(fields, **extra), KB))


def scan(fields, **extra):
    doc = doc_for(fields, **extra)
    return words(kind_html("scan_request", doc, KB, test="proximal_leg_vein_ultrasound"))


# -- Every clinical document: letterhead, recipient, signer, patient, allergies -----------------

DOCUMENTS = {
    "vascular letter": (lambda **e: letter(VENOUS, **e), "To: Vascular service"),
    "neurology letter": (lambda **e: letter(NEURO, to="neurology", **e), "To: Neurology service"),
    "lab request": (lambda **e: lab(BUSY, **e), "To: Laboratory"),
    "scan request": (lambda **e: scan(DVT, **e), "To: Radiology: vascular ultrasound"),
}


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_clinical_document_has_the_letterhead_the_recipient_and_a_signature(name):
    make, recipient = DOCUMENTS[name]
    text = make(**LETTERHEAD, allergies="Penicillin (rash)")
    for expected in [
        "Northside Surgery",
        "1 High Street, Northtown NT1 1AA",
        "Telephone: 01234 567890 · ODS code: A81001",
        recipient,
        "From: Dr Amira Patel, GMC number 1234567",
        "Dr Amira Patel · General practitioner · GMC number 1234567",
        "Northside Surgery (A81001)",
        "Date: 15 Jan 2026 Signature: ____",
        "NHS number: 943 476 5919",
        "Date of birth: 14 Mar 1956 (age 69)",
        "Allergies: Penicillin (rash)",
    ]:
        assert expected in text, (name, expected)
    assert "9434765919" not in text


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_what_nobody_recorded_says_not_recorded_never_a_blank_or_a_dash(name):
    make, _ = DOCUMENTS[name]
    text = make(
        practice="", clinician="", nhs_number="", date_of_birth=None, sex="", patient_name=""
    )
    for expected in [
        "Practice: not recorded",
        "Address: not recorded",
        "Telephone: not recorded · ODS code: not recorded",
        "From: not recorded",
        "not recorded · not recorded · GMC or NMC number: not recorded",
        "Patient: not recorded · NHS number: not recorded",
        "Date of birth: not recorded · Age: 68 · Sex: not recorded",
        "Allergies: not recorded",
    ]:
        assert expected in text, (name, expected)
    assert " — " not in between(text, "Patient:", "Allergies"), "a dash for a missing field"


@pytest.mark.parametrize(
    "allergy, expected",
    [
        (dict(allergies="Penicillin (anaphylaxis)"), "Allergies: Penicillin (anaphylaxis)"),
        (dict(no_known_allergies=True), "No known allergies"),
        (dict(), "Allergies: not recorded"),
    ],
)
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_allergies_are_on_every_letter_and_request(name, allergy, expected):
    make, _ = DOCUMENTS[name]
    assert expected in make(**allergy)


def test_the_allergies_say_whether_they_were_checked_at_this_visit():
    assert "No known allergies (checked on 15 Jan 2026)" in letter(
        VENOUS, no_known_allergies=True, allergies_checked=True
    )
    assert "Allergies: Latex (not checked at this visit)" in letter(
        VENOUS, allergies="Latex", allergies_checked=False
    )


def test_written_allergies_win_over_a_stale_no_known_allergies_tick():
    text = letter(VENOUS, allergies="Codeine", no_known_allergies=True)
    assert "Allergies: Codeine" in text and "No known allergies" not in text


def test_an_nhs_number_is_written_3_3_4():
    assert nhs_number_spaced("9434765919") == "943 476 5919"
    assert nhs_number_spaced("943 476 5919") == "943 476 5919"
    assert nhs_number_spaced("") == ""


def test_an_mrn_is_printed_beside_a_missing_nhs_number():
    text = letter(VENOUS, nhs_number="", mrn="RX-1234")
    assert "NHS number: not recorded · MRN: RX-1234" in text


# -- The reason for referral, for the receiver ---------------------------------------------------


def test_the_reason_is_written_for_the_receiver_not_as_the_gps_instruction():
    text = letter(VENOUS)
    reason = between(text, "Reason for referral", "History")
    assert "Please assess for chronic venous disease." in reason
    assert (
        "Found at the consultation: Left leg: varicose veins, venous symptoms (aching, "
        "heaviness, itching or swelling), venous oedema, venous pigmentation or eczema." in reason
    )
    assert "Refer to a vascular service" not in text  # the engine's advice to the GP
    assert "The referral includes: Venous duplex ultrasound (by the vascular service)." in reason


def test_a_rule_without_a_differential_gives_its_title_as_the_indication():
    text = letter(dict(left=["active_venous_ulcer"]))
    assert "Indication: Active venous ulcer." in between(text, "Reason for referral", "History")
    assert "Referral to Vascular service — URGENT" in text


def test_the_neurology_reason_names_the_question_and_the_signs():
    reason = between(letter(NEURO, to="neurology"), "Reason for referral", "History")
    assert "Please assess for neuromuscular disease." in reason
    assert "Found at the consultation: Muscle wasting; fasciculations." in reason
    assert "refer urgently" not in reason  # the rule's advice to the GP


# -- The vascular letter -------------------------------------------------------------------------


def test_the_vascular_letter_gives_duration_previous_dvt_surgery_and_anticoagulants():
    text = letter({**VENOUS, "findings": ["previous_dvt"]})
    for expected in [
        "Duration of symptoms: not recorded.",
        "Leg cramps 3 a week, longest 3 min",
        "Previous DVT: yes (previously documented DVT).",
        "Previous venous surgery: not recorded.",
        "On an anticoagulant: Apixaban 5mg bd (apixaban).",
        "Apixaban 5mg bd (apixaban) — anticoagulant",
        "C4a, symptomatic",
    ]:
        assert expected in text, expected
    assert "Previous DVT: not recorded." in letter(VENOUS)


def test_the_letters_give_the_duration_and_vein_surgery_the_gp_recorded():
    recorded = {"symptoms_for": "1 to 5 years", "venous_surgery": "Right leg vein ablation 2018"}
    vascular = letter(VENOUS, **recorded)
    assert "Duration of symptoms: 1 to 5 years." in vascular
    assert "Previous venous surgery: Right leg vein ablation 2018." in vascular
    neurology = letter(NEURO, to="neurology", **recorded)
    assert "Duration of symptoms: 1 to 5 years." in neurology
    assert "vein ablation" not in neurology  # a vascular detail


def test_recurrent_varicose_veins_are_named_beside_venous_surgery():
    text = letter(dict(left=["recurrent_varicose_veins", "venous_symptoms"]))
    assert (
        "Previous venous surgery: not recorded (recurrent varicose veins in the left leg)." in text
    )


def test_the_vascular_letter_always_gives_the_abpi_with_its_date_or_why_not():
    assert "ABPI requested on 15 Jan 2026, result to follow" in letter(VENOUS)
    measured = letter(
        {
            **VENOUS,
            "results": [{"code": "ankle_brachial_index", "value": 0.7, "date": "2026-01-10"}],
        }
    )
    assert "ABPI 0.7 (low) 10 Jan 2026" in measured


def test_not_pregnant_is_not_written_for_a_woman_of_68():
    assert "pregnant" not in letter(VENOUS).lower()
    assert "Not pregnant." in letter({**VENOUS, "age": 30}, date_of_birth=date(1995, 6, 1))


# -- The neurology letter ------------------------------------------------------------------------


def test_the_neurology_letter_gives_the_neurological_findings_and_no_venous_table():
    text = letter(NEURO, to="neurology")
    findings = between(text, "Neurological findings", "Results")
    assert "Recorded: muscle wasting; fasciculations." in findings
    assert "Not recorded: muscle weakness;" in findings
    assert "Examination of the legs" not in text and "CEAP" not in text


def test_a_neurology_letter_has_the_venous_table_when_a_leg_sign_was_recorded():
    text = letter({**NEURO, "left": ["varicose_veins"]}, to="neurology")
    assert "Examination of the legs" in text and "C2, asymptomatic" in text


def test_the_neurology_letter_gives_ck_and_electrolytes_with_dates_or_not_recorded():
    text = letter(
        {**NEURO, "results": [{"code": "potassium", "value": 3.1, "date": "2026-01-12"}]},
        to="neurology",
    )
    results = between(text, "Results Result Value Date Reading", "Medications")
    assert "Creatine kinase requested on 15 Jan 2026, result to follow" in results
    assert "Sodium not recorded" in results
    assert "Potassium 3.1 mmol/L (low) 12 Jan 2026" in results
    assert "Adjusted calcium not recorded" in results and "Magnesium not recorded" in results


# -- Medication review is not a test -------------------------------------------------------------


def test_a_medication_review_is_in_the_gps_plan_not_the_investigations_requested():
    text = letter(VENOUS)
    requested = between(text, "Investigations requested", "Plan in general practice")
    assert "Medication review" not in requested
    assert "Plan in general practice Medication review." in text
    assert "Venous duplex" not in requested  # the vascular service's own test, in the reason


def test_a_medication_review_is_what_the_doctor_will_do_in_the_handout_not_a_test():
    text = words(kind_html("handout", document_input(**BUSY), KB, language="en"))
    review = "Your doctor will look at your medicines with you."
    assert review in between(text, "What your doctor will do", "Your tests")
    assert review not in text[text.index("Your tests") :]


def test_a_typical_cramp_with_only_a_medication_review_needs_no_tests():
    doc = document_input(medications=["Quinine 300mg nocte"])
    doc.accepted = {
        "investigations": ["medication_review"],
        "differentials": ["idiopathic_nocturnal_leg_cramps"],
    }
    text = words(kind_html("handout", doc, KB, language="en"))
    assert "Your tests" not in text and "You do not need tests for your cramps." in text


# -- The lab request -----------------------------------------------------------------------------


def test_the_lab_request_gives_specimen_fasting_and_urgency_for_each_test():
    doc = doc_for(
        dict(findings=["calf_swelling_3cm", "thirst_or_polyuria"], pregnancy="possible", age=30)
    )
    text = words(kind_html("lab_request", doc, KB))
    for expected in [
        "Laboratory request — URGENT",
        "Urgent: D-dimer within 4 hours.",
        "D-dimer LOINC 48065-7 Blood (citrate) Not needed Within 4 hours",
        "HbA1c or fasting glucose LOINC 59261-8, 4548-4, 1558-6 Blood (EDTA) for HbA1c; blood "
        "(fluoride oxalate) for glucose HbA1c (no fasting needed); fasting glucose only if HbA1c "
        "cannot be used Routine",
        "Pregnancy test (urine hCG) LOINC 2106-3 Urine Not needed Routine",
    ]:
        assert expected in text, expected


def test_a_red_flag_naming_a_test_makes_it_same_day():
    text = lab(
        dict(medications=["Quinine 300mg nocte"], findings=["unexplained_bruising_or_bleeding"])
    )
    assert (
        "Full blood count LOINC 58410-2 Blood (EDTA) Not needed Same day (bruising or "
        "bleeding on quinine)" in text
    )


def test_the_lab_request_without_a_red_flag_gives_the_catalogues_urgency():
    text = lab(dict(findings=["unexplained_bruising_or_bleeding"]))
    assert (
        "Full blood count LOINC 58410-2 Blood (EDTA) Not needed Very urgent, within 48 hours"
        in text
    )


def test_the_lab_request_clinical_details_are_the_findings_not_the_gps_instructions():
    text = lab(dict(medications=["Lasix 40mg"]))
    assert "Takes Lasix 40mg: furosemide, a loop diuretic." in text
    assert "check urea and electrolytes" not in text


def test_every_laboratory_test_in_the_catalogue_has_a_specimen_and_fasting():
    for code, item in KB.catalogue["investigations"].items():
        if item["kind"] in ("blood", "urine"):
            assert item.get("specimen") and item.get("fasting"), code
            assert item["specimen"].startswith(item["kind"]), code


# -- The scan request ----------------------------------------------------------------------------


def test_the_scan_request_asks_its_question_and_gives_the_side():
    text = scan(DVT)
    question = between(text, "Clinical question", "Results")
    assert "Indication: DVT likely (Wells 2 or more)." in question
    assert "Side of the leg symptoms (cramps): both." in question
    assert "if not available" not in question  # the GP's fallback is not radiology's business


# -- One letter as a PDF -------------------------------------------------------------------------


def test_the_reference_case_letter_fits_one_page_with_everything_on_it():
    doc = doc_for(
        {**VENOUS, "medications": VENOUS["medications"] + ["Atorvastatin 20mg"]},
        **LETTERHEAD,
        allergies="Penicillin (rash)",
        allergies_checked=True,
        day=date(2026, 1, 15),
    )
    pdf = render_pdf(kind_html("referral", doc, KB, to="vascular"))
    text = flat(pdf)
    for expected in [
        "To: Vascular service",
        "GMC number 1234567",
        "943 476 5919",
        "Allergies: Penicillin (rash)",
        "Please assess for chronic venous disease.",
        "Signature: ____",
    ]:
        assert expected in text, expected
    from tests.documents.helpers import pages_of

    assert pages_of(pdf) == 1
