"""Documents follow the results (issue 11, item 5): the handout of a follow-up visit says what
the results showed and what happens next, a referral letter and a scan request give the
receiving service the results that matter with their dates, and no document asks again for a
test requested at an earlier visit.

Every assessment comes from the engine (`recommend`); the GP's decisions are the `accepted`
codes. The text is read from the HTML the registry builds (the PDF tests read it back from the
drawn page: tests/documents/test_follow_up_printing.py).
"""

import html
import re

import pytest

from tests.documents.helpers import KB, kind_html
from tests.engine.intakes import intake, previous, result
from workup.documents.content import DocumentInput, day_words
from workup.engine import DECIDABLE, recommend

pytestmark = pytest.mark.django_db(databases=[])  # no database is needed to print

LANGUAGES = ["en", "es"]


def assessed(**fields):
    data = intake(**fields)
    return data, recommend(data, KB)


def decided(data, assessment, **accepted):
    """The GP's decisions: `accepted` codes per section, every other item left undecided."""
    return DocumentInput(
        intake=data,
        assessment=assessment,
        accepted={k: list(accepted.get(k, ())) for k in DECIDABLE},
        patient_name="Test Patient",
        clinician="Dr Amira Patel",
        practice="Northside Surgery",
    )


def everything(data, assessment):
    """The command line's input: every recommended item counts as accepted."""
    return DocumentInput.all_accepted(data, assessment, patient_name="Test Patient")


def text(page: str) -> str:
    """The words of a document's body, on one line."""
    body = page[page.index("<body>") :]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def between(words, start, end):
    assert start in words and end in words, (start, end)
    at = words.index(start)
    return words[at : words.index(end, at)]


# -- The handout of a follow-up visit -----------------------------------------------------------

# A follow-up: furosemide and omeprazole; potassium and magnesium came back low, sodium normal;
# the TSH asked for at the first visit is still awaited.
FOLLOW_UP = dict(
    medications=["Furosemide 40mg", "Omeprazole 20mg"],
    results=[
        result("potassium", 3.1, date="2026-10-03"),
        result("magnesium", 0.6, date="2026-10-03"),
        result("sodium", 139, date="2026-10-03"),
    ],
    previous=[previous("tsh", on="2026-09-01")],
)

SAID = {
    "en": {
        "results": "Your results",
        "do": "What your doctor will do",
        "tests": "Your tests",
        "medicines": "Your medicines",
        "potassium": "Your potassium (a salt in your blood) was a little low.",
        "magnesium": "Your magnesium was a little low.",
        "others": "Your other results were normal.",
        "diuretic": "Your doctor will look at your water tablet.",
        "magnesium_action": "Your doctor will look at the medicine that may have made your "
        "magnesium low.",
        "tsh": "A blood test to see how your thyroid gland works.",
        "earlier": "Your doctor asked for this at an earlier visit.",
        "no_tests": "You do not need tests for your cramps.",
    },
    "es": {
        "results": "Sus resultados",
        "do": "Lo que hará su médico",
        "tests": "Sus pruebas",
        "medicines": "Sus medicinas",
        "potassium": "Su potasio (una sal de la sangre) estaba un poco bajo.",
        "magnesium": "Su magnesio estaba un poco bajo.",
        "others": "Sus otros resultados fueron normales.",
        "diuretic": "Su médico va a revisar su diurético.",
        "magnesium_action": "Su médico va a revisar la medicina que puede haberle bajado el "
        "magnesio.",
        "tsh": "Un análisis de sangre para ver cómo va su tiroides.",
        "earlier": "Su médico ya lo pidió en una visita anterior.",
        "no_tests": "No necesita pruebas por sus calambres.",
    },
}


def handout(doc, language):
    return text(kind_html("handout", doc, KB, language=language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_follow_up_handout_says_what_the_results_showed_in_plain_words(language):
    data, assessment = assessed(**FOLLOW_UP)
    said = SAID[language]
    words = handout(decided(data, assessment, actions=["review_diuretic"]), language)
    results = between(words, said["results"], said["do"])
    for line in (said["potassium"], said["magnesium"], said["others"]):
        assert line in results, line
    # plain words only: no value, unit or date reaches the patient
    assert "3.1" not in words and "mmol" not in words and "2026-10-03" not in words
    assert {"en": "sodium", "es": "sodio"}[language] not in words.lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_only_the_actions_the_gp_accepted_are_printed(language):
    data, assessment = assessed(**FOLLOW_UP)
    assert [a["code"] for a in assessment["actions"]] == [
        "review_diuretic",
        "review_medicine_causing_low_magnesium",
    ]
    said = SAID[language]
    words = handout(decided(data, assessment, actions=["review_diuretic"]), language)
    assert said["diuretic"] in between(words, said["do"], said["tests"])
    assert said["magnesium_action"] not in words

    none_accepted = handout(decided(data, assessment), language)
    assert said["do"] not in none_accepted and said["diuretic"] not in none_accepted


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_test_awaited_from_an_earlier_visit_is_listed_though_not_decided_here(language):
    data, assessment = assessed(**FOLLOW_UP)
    assert next(i for i in assessment["investigations"] if i["code"] == "tsh")["already_requested"]
    said = SAID[language]
    words = handout(decided(data, assessment, actions=["review_diuretic"]), language)
    assert f"{said['tsh']} {said['earlier']}" in between(words, said["tests"], said["medicines"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_tests_needed_is_never_said_while_a_test_is_awaited(language):
    said = SAID[language]
    # a typical cramp whose results were normal: without an awaited test, no tests are needed
    data, assessment = assessed(results=[result("sodium", 139, date="2026-10-03")])
    typical = ["idiopathic_nocturnal_leg_cramps"]
    assert said["no_tests"] in handout(decided(data, assessment, differentials=typical), language)

    data, assessment = assessed(
        results=[result("sodium", 139, date="2026-10-03")],
        previous=[previous("tsh", on="2026-09-01")],
    )
    assert [d["code"] for d in assessment["differentials"]] == typical
    words = handout(decided(data, assessment, differentials=typical), language)
    assert said["no_tests"] not in words
    assert f"{said['tsh']} {said['earlier']}" in words
    assert {
        "en": "Your test results were normal.",
        "es": "Los resultados de sus pruebas fueron normales.",
    }[language] in words


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_referral_awaited_from_an_earlier_visit_is_listed_though_not_decided_here(language):
    data, assessment = assessed(previous=[previous("vascular", kind="referral", on="2026-09-01")])
    words = handout(decided(data, assessment), language)
    service = {
        "en": "The vein and blood flow team (vascular team).",
        "es": "El equipo de venas y arterias (cirugía vascular).",
    }[language]
    assert f"{service} {SAID[language]['earlier']}" in words


def test_the_command_line_accepts_every_action_and_reads_a_version_1_assessment():
    data, assessment = assessed(**FOLLOW_UP)
    doc = everything(data, assessment)
    assert doc.accepted["actions"] == ["review_diuretic", "review_medicine_causing_low_magnesium"]
    words = handout(doc, "en")
    assert SAID["en"]["diuretic"] in words and SAID["en"]["magnesium_action"] in words

    v1 = {k: v for k, v in recommend(intake(), KB).items() if k not in ("actions", "results")}
    doc = everything(intake(), v1)
    assert doc.accepted["actions"] == []
    assert SAID["en"]["results"] not in handout(doc, "en")


# -- The referral letter: the results that matter to the receiving service --------------------

# Venous ulcer with a low ABPI (a vascular referral), a positive D-dimer after an unlikely Wells
# score, and muscle weakness with a high CK (a neurology referral) and a low potassium.
LETTER = dict(
    findings=["calf_swelling_3cm", "muscle_weakness"],
    left=["varicose_veins", "active_venous_ulcer"],
    results=[
        result("ankle_brachial_index", 0.7, date="2026-09-20"),
        result("d_dimer", "positive", date="2026-10-03"),
        result("creatine_kinase", 1500, date="2026-10-04"),
        result("potassium", 3.2),  # typed without its date
    ],
    previous=[previous("vitamin_b12", on="2026-09-01")],
)
VASCULAR = ["ABPI 0.7 (low) 20 Sep 2026", "D-dimer Positive 3 Oct 2026"]
NEUROLOGY = ["Creatine kinase 1500 U/L (high) 4 Oct 2026", "Potassium 3.2 mmol/L (low)"]


def letter(to):
    data, assessment = assessed(**LETTER)
    assert {"vascular", "neurology"} <= {r["code"] for r in assessment["referrals"]}
    return text(kind_html("referral", everything(data, assessment), KB, to=to))


def test_a_vascular_letter_gives_the_abpi_and_d_dimer_with_their_dates():
    words = letter("vascular")
    results = between(words, "Results Result Value Date", "Medications")
    for line in VASCULAR:
        assert line in results, line
    assert "ABPI 0.7 is below 0.8 (low)." in results  # the engine's reading
    for other in ("Creatine kinase", "Potassium"):
        assert other not in results, other


def test_a_neurology_letter_gives_the_ck_and_potassium_not_the_vascular_results():
    words = letter("neurology")
    results = between(words, "Results Result Value Date", "Medications")
    for line in NEUROLOGY:
        assert line in results, line
    assert "Potassium 3.2 mmol/L (low) date not recorded" in results
    for other in ("ABPI", "D-dimer"):
        assert other not in results, other


def test_a_letter_without_results_says_the_abpi_is_not_recorded_and_lists_no_other():
    data, assessment = assessed(left=["varicose_veins", "venous_symptoms"])
    words = text(kind_html("referral", everything(data, assessment), KB, to="vascular"))
    results = between(words, "Results Result Value Date Reading", "Medications")
    assert results == "Results Result Value Date Reading ABPI not recorded "


def test_a_letter_lists_what_is_awaited_from_earlier_visits_and_does_not_request_it_again():
    words = letter("neurology")
    assert "Vitamin B12 Already requested on 1 Sep 2026; result awaited." in words
    requested = between(words, "Investigations requested", "Awaited from earlier visits")
    assert "Creatine kinase (CK)" in requested and "Vitamin B12" not in requested


def test_dates_read_as_a_clinician_writes_them():
    assert day_words("2026-10-03") == "3 Oct 2026"
    assert day_words(None) == "date not recorded"


# -- The lab request: only tests not already requested ------------------------------------------


def test_the_lab_request_never_lists_a_test_already_requested():
    data, assessment = assessed(
        findings=["thyroid_symptoms"],
        medications=["Furosemide 40mg"],
        previous=[previous("tsh", on="2026-09-01")],
    )
    doc = everything(data, assessment)
    assert "tsh" in doc.accepted["investigations"]  # accepted, as the command line takes it
    words = text(kind_html("lab_request", doc, KB))
    assert "Urea and electrolytes" in words
    assert "Thyroid-stimulating hormone" not in words and "3016-3" not in words


# -- The scan request ---------------------------------------------------------------------------

# An unlikely Wells score whose D-dimer came back positive: a scan within 4 hours.
SCAN = dict(
    findings=["calf_swelling_3cm"],
    medications=["Apixaban 5mg bd", "Ramipril 5mg"],
    cramps={"side": "left"},
    results=[result("d_dimer", "positive", date="2026-10-03")],
)


def scan_request(**fields):
    data, assessment = assessed(**fields)
    doc = decided(data, assessment, investigations=["proximal_leg_vein_ultrasound"])
    return text(kind_html("scan_request", doc, KB, test="proximal_leg_vein_ultrasound"))


def test_a_scan_request_gives_the_question_the_d_dimer_and_the_wells_score():
    words = scan_request(**SCAN)
    for expected in [
        "Scan request: Proximal leg-vein ultrasound — WITHIN 4 HOURS",
        "Test Patient",
        "Dr Amira Patel",
        "Indication: Positive D-dimer.",  # the question, in the rule's words
        "Found at the consultation: D-dimer positive.",  # the evidence, not the GP's to-do
        "Two-level Wells score 1: DVT unlikely.",
        "D-dimer Positive 3 Oct 2026",
        "Suspected deep vein thrombosis (same day)",
        "Calf swelling of 3 cm or more",
        "On an anticoagulant: Apixaban 5mg bd (apixaban).",
        "Ramipril 5mg (ramipril)",
    ]:
        assert expected.lower() in words.lower(), expected


def test_a_scan_request_gives_an_earlier_scan_and_a_pregnancy_test_with_their_dates():
    words = scan_request(
        findings=["calf_swelling_3cm", "deep_vein_tenderness"],  # Wells likely
        pregnancy="possible",
        age=30,
        results=[
            result("d_dimer", "positive", date="2026-09-28"),
            result("proximal_leg_vein_ultrasound", "negative", date="2026-09-29"),
            result("pregnancy_test", "negative", date="2026-10-01"),
        ],
    )
    for expected in [
        "D-dimer Positive 28 Sep 2026",
        "Proximal leg-vein ultrasound Negative 29 Sep 2026",
        "Pregnancy test Negative 1 Oct 2026",
        "Two-level Wells score 2: DVT likely.",
        "None recorded (so no anticoagulant).",
    ]:
        assert expected in words, expected


def test_a_scan_request_says_so_when_no_result_is_in():
    words = scan_request(findings=["calf_swelling_3cm", "deep_vein_tenderness"])
    assert "No D-dimer, earlier scan or pregnancy test result recorded." in words
