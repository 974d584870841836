"""The patient handout, read back from the PDF as a reviewer would."""

import pytest
import textstat

from tests.documents.helpers import (
    BUSY,
    DAY,
    DVT,
    KB,
    PREGNANCY,
    VENOUS,
    document_input,
    flat,
    kind_html,
    pages_of,
    smallest_font_size,
    structure,
    text_of,
)
from workup.documents.pdf import render_pdf

pytestmark = pytest.mark.django_db(databases=[])  # no database is needed to print

# A typical cramp, a busy but realistic visit, quinine, a suspected DVT, venous disease, a
# pregnancy, and the worst case: everything at once.
SCENARIOS = {
    "typical": {},
    "busy": BUSY,
    "quinine": dict(
        medications=["Quinine sulfate 300mg"], findings=["drinks_tonic_water_for_cramps"]
    ),
    "dvt": DVT,
    "venous": VENOUS,
    "pregnancy": PREGNANCY,
    "everything": dict(
        pregnancy="possible",
        cramps={
            "longest_minutes": 15,
            "relieved_by_stretching": False,
            "sites": ["calf", "other_muscles"],
            "side": "left",
        },
        findings=[
            "urge_to_move_legs",
            "relief_by_movement",
            "calf_pain_on_walking_relieved_by_rest",
            "numbness_or_tingling",
            "muscle_weakness",
            "muscle_wasting",
            "back_pain_radiating_to_leg",
            "saddle_anaesthesia_or_sphincter_change",
            "thirst_or_polyuria",
            "thyroid_symptoms",
            "vomiting_or_diarrhoea",
            "heavy_alcohol_use",
            "tetanus_prone_wound",
            "unexplained_bruising_or_bleeding",
            "drinks_tonic_water_for_cramps",
            "rest_pain_in_foot",
            "sudden_cold_pale_pulseless_leg",
            "calf_swelling_3cm",
            "deep_vein_tenderness",
        ],
        conditions=["diabetes", "chronic_kidney_disease", "liver_disease"],
        medications=[
            "Furosemide 40mg",
            "Seretide 250 Evohaler",
            "Atorvastatin 40mg",
            "Quinine sulfate 300mg",
            "Metformin 500mg",
            "Ramipril 5mg",
            "Zyxorin",
        ],
        left=["varicose_veins", "venous_symptoms", "active_venous_ulcer"],
        right=["bleeding_varicose_vein"],
    ),
}
SAFETY_NET = {
    "en": [
        "Get help",
        "Call 999 now if:",
        "Call your GP or 111 today if:",
        "suddenly becomes cold, pale, weak or numb",
    ],
    "es": [
        "Pida ayuda",
        "Llame ya al 999 si:",
        "Llame hoy a su médico de familia",
        "fría, pálida, débil o dormida",
    ],
}
FORBIDDEN = [
    "pin",
    "needle",
    "spray",
    "aspirin",
    "ointment",
    "amputat",
    "alfiler",
    "aguja",
    "aspirina",
    "pomada",
    "amputa",
]
_cache = {}


def handout(scenario, language, large_print=False, name="Test Patient"):
    key = (scenario, language, large_print, name)
    if key not in _cache:
        doc = document_input(name=name, **SCENARIOS[scenario])
        _cache[key] = render_pdf(
            kind_html("handout", doc, KB, language=language, large_print=large_print)
        )
    return _cache[key]


def readable_text(pdf, name="Test Patient"):
    """The handout's words, without the patient's name and the date (as the target says)."""
    return text_of(pdf).replace(name, "").replace(DAY.strftime("%-d/%-m/%Y"), "")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_handout_fits_two_a4_pages_at_12pt_and_has_the_safety_net(scenario, language):
    pdf = handout(scenario, language)
    assert pages_of(pdf) <= 2
    assert smallest_font_size(pdf) >= 12
    text = flat(pdf)
    for phrase in SAFETY_NET[language]:
        assert phrase in text


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_no_handout_carries_the_seed_articles_unsafe_advice(scenario, language):
    words = text_of(handout(scenario, language)).lower().split()
    for bad in FORBIDDEN:
        assert not any(w.startswith(bad) for w in words), bad


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_english_handouts_read_at_grade_6_5_or_below(scenario):
    textstat.set_lang("en_US")
    assert textstat.flesch_kincaid_grade(readable_text(handout(scenario, "en"))) <= 6.5


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_spanish_handouts_score_70_or_more_on_fernandez_huerta(scenario):
    textstat.set_lang("es")
    assert textstat.fernandez_huerta(readable_text(handout(scenario, "es"))) >= 70


def test_the_handout_is_personal():
    text = flat(handout("busy", "en"))
    assert "For Test Patient · 15/1/2026" in text
    # what the GP thinks, the tests and why, the referral, the red flag, the medicines
    assert "check for a blood clot in a deep vein" in text
    assert "A scan of the veins in your leg today, to look for a clot." in text
    assert (
        "The vein and blood flow team (vascular team). You will get a letter with a date." in text
    )
    assert "Your leg may have a blood clot. You need a check today." in text
    assert "furosemide (a water tablet) *" in text
    assert "ramipril (a medicine for blood pressure)" in text
    assert "Do not stop a medicine without talking to your doctor first." in text


def test_a_typical_cramp_gets_reassurance_and_no_tests():
    text = flat(handout("typical", "en"))
    assert "They have no clear cause." in text
    assert "You do not need tests for your cramps." in text
    assert "Most leg cramps are not a sign of anything serious." in text
    assert "Your tests" not in text and "Your medicines" not in text
    assert "Magnesium pills do not help common night cramps" in text
    assert "Quinine is not safe" not in text


def test_quinine_advice_only_where_relevant():
    assert "Quinine is not safe for most people with cramps" in text_of(handout("quinine", "en"))
    assert "Quinine is not safe" not in text_of(handout("busy", "en"))


def test_the_stretching_routine_has_pictures_and_numbered_steps():
    html = kind_html("handout", document_input(), KB, language="en")
    assert html.count('<img src="static:handout/') == 3
    text = flat(handout("typical", "en"))
    for n, start in ((1, "Calf stretch"), (2, "Back of thigh stretch"), (3, "Sitting stretch")):
        assert f"{n}. {start}" in text


def test_the_spanish_handout_is_in_spanish():
    text = flat(handout("typical", "es"))
    assert "Sus calambres en las piernas: qué hacer" in text
    assert "Estiramientos antes de dormir" in text
    assert "Your leg" not in text and "Stretch" not in text
    text = flat(handout("busy", "es"))
    assert "Vea a un médico hoy" in text and "furosemide (un diurético)" in text
    assert "Your leg" not in text and "water tablet" not in text


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("scenario", ["busy", "dvt", "venous", "pregnancy"])
def test_it_is_a_tagged_pdf_with_language_title_and_embedded_fonts(scenario, language):
    info = structure(handout(scenario, language))
    assert info["tagged"] and info["marked"]
    assert info["lang"] == language
    assert (
        info["title"]
        == {"en": "Your leg cramps: what to do", "es": "Sus calambres en las piernas: qué hacer"}[
            language
        ]
    )
    assert info["fonts"] and info["fonts"] == info["embedded"]
    assert all("Noto" in f for f in info["fonts"])


def test_large_print_is_16pt():
    pdf = handout("typical", "en", large_print=True)
    assert smallest_font_size(pdf) >= 16
    assert pages_of(pdf) <= 4
