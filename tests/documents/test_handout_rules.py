"""REFERENCE section 7, rule by rule: each handout is printed and its text read back from the
PDF, in English and in Spanish where the wording matters.

Most assessments come from `recommend`. Where a rule needs output that only the version 2
engine gives (results, actions, a stopped medicine, the new red flags), the tests in the first
part add those entries by hand to a real assessment, in the shape of the contract (version 2);
the tests under "With the version 2 engine" at the end get the same from `recommend` itself.
"""

import copy
import re

import pytest
import yaml
from django.utils import translation

from tests.documents.helpers import DVT, KB, PREGNANCY, VENOUS, flat, input_for, kind_html, text_of
from tests.factories import intake_data
from workup.documents.content import drug_name, handout_context
from workup.documents.pdf import render_pdf
from workup.engine import DEFAULT_KNOWLEDGE_BASE, recommend

pytestmark = pytest.mark.django_db(databases=[])  # no database is needed to print

LANGUAGES = ["en", "es"]
_cache = {}


def assessed(**fields):
    intake = intake_data(**fields)
    return intake, recommend(intake, KB)


def pdf_for(intake, assessment, language="en"):
    return render_pdf(kind_html("handout", input_for(intake, assessment), KB, language=language))


def handout(language="en", **fields):
    """The text of the handout for an intake, read back from the PDF (cached)."""
    key = (language, repr(sorted(fields.items())))
    if key not in _cache:
        _cache[key] = flat(pdf_for(*assessed(**fields), language=language))
    return _cache[key]


def amended(language="en", *, add=None, medicines=None, **fields):
    """The handout for an intake whose assessment gets the contract-2 entries in `add` (lists
    appended: red_flags, results, actions, differentials, investigations) and `medicines`
    (index -> fields changed in that medication entry)."""
    intake, assessment = assessed(**fields)
    assessment = copy.deepcopy(assessment)
    for key, items in (add or {}).items():
        assessment[key] = list(assessment.get(key) or []) + items
    for index, changes in (medicines or {}).items():
        assessment["medications"][index].update(changes)
    return flat(pdf_for(intake, assessment, language))


def flag(code, urgency):
    return {"code": code, "urgency": urgency, "reasons": ["(test)"], "sources": ["NICE NG158"]}


def result(code, value, flag_, unit=None):
    return {
        "code": code,
        "value": value,
        "unit": unit,
        "flag": flag_,
        "reasons": ["(test)"],
        "sources": ["Pathology Harmony"],
    }


def action(code):
    return {"code": code, "reasons": ["(test)"], "sources": ["NICE CKS Leg cramps"]}


def between(text, start, end):
    """The part of the text from `start` up to `end` (a section of the handout)."""
    assert start in text and end in text, (start, end)
    return text[text.index(start) : text.index(end, text.index(start))]


def words(text):
    return set(re.findall(r"[\wáéíóúñü]+", text.lower()))


EMERGENCY = {
    "en": ("Call 999 now if:", "Call your GP or 111 today if:"),
    "es": ("Llame ya al 999 si:", "Llame hoy a su médico de familia o al 111 si:"),
}
SAME_DAY_END = {"en": "Call your GP or 111 today if:", "es": "Llame hoy a su médico de familia"}

# -- Rule 1: every emergency list has the lung clot and the cold leg ------------------------

LUNG_AND_LEG = {
    "en": [
        "You have chest pain, you feel short of breath, or you cough up blood.",
        "This may be a clot in your lung.",
        "Your leg suddenly becomes cold, pale, weak or numb.",
    ],
    "es": [
        "Le duele el pecho, le falta el aire o tose sangre.",
        "Puede ser un coágulo en el pulmón.",
        "La pierna se le pone de golpe fría, pálida, débil o dormida.",
    ],
}
SCENARIOS = {
    "typical": {},
    "dvt": DVT,
    "venous": VENOUS,
    "pregnancy": PREGNANCY,
    "neuro": dict(findings=["muscle_wasting", "fasciculations"]),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_it_lists_a_lung_clot_and_a_suddenly_cold_leg_under_call_999(scenario, language):
    emergency = between(handout(language, **SCENARIOS[scenario]), *EMERGENCY[language])
    for phrase in LUNG_AND_LEG[language]:
        assert phrase in emergency, phrase


# -- Rule 2: a suspected DVT handout is about the DVT ----------------------------------------

DVT_WORDS = {
    "en": {
        "lung": "If you get chest pain, feel short of breath or cough up blood, call 999 now. "
        "The clot may have moved to your lung.",
        "scan": "Go for your leg scan or blood test today",
        "leg": "Do not rub, massage or stretch the swollen leg.",
        "never": [
            "not a sign of anything serious",
            "need tests",
            "Rub the muscle",
            "Stretch before bed",
            "every night",
            "Calf stretch",
            "Pull your toes",
            "What is a leg cramp?",
        ],
    },
    "es": {
        "lung": "Si le duele el pecho, le falta el aire o tose sangre, llame ya al 999. "
        "El coágulo puede haber llegado al pulmón.",
        "scan": "Vaya hoy a la ecografía o al análisis",
        "leg": "No frote, no dé masajes ni estire la pierna hinchada.",
        "never": [
            "nada grave",
            "necesita pruebas",
            "Dé un masaje al músculo",
            "Estiramientos antes de dormir",
            "cada noche",
            "Pantorrilla:",
            "Tire de los dedos",
            "¿Qué es un calambre?",
        ],
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_suspected_dvt_handout_puts_the_lung_clot_warning_first(language):
    text = handout(language, **DVT)
    w = DVT_WORDS[language]
    assert w["lung"] in text
    first_line_after_heading = text.index(w["lung"])
    heading = {"en": "See a doctor today", "es": "Vea a un médico hoy"}[language]
    assert text.index(heading) < first_line_after_heading
    # nothing else comes between the red box's heading and the warning
    assert text[text.index(heading) + len(heading) : first_line_after_heading].strip() == ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_suspected_dvt_handout_says_get_the_scan_today_and_do_not_rub_the_leg(language):
    text = handout(language, **DVT)
    w = DVT_WORDS[language]
    assert w["scan"] in text and w["leg"] in text
    for phrase in w["never"]:
        assert phrase not in text, phrase


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_pregnant_woman_with_a_swollen_calf_gets_the_dvt_handout(language):
    text = handout(
        language,
        age=30,
        pregnancy="trimester_3",
        cramps={"side": "left"},
        findings=["calf_swelling_3cm", "deep_vein_tenderness"],
    )
    w = DVT_WORDS[language]
    assert w["lung"] in text and w["leg"] in text
    for phrase in w["never"]:
        assert phrase not in text, phrase
    assert {"en": "take paracetamol only", "es": "tome solo paracetamol"}[language] in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_confirmed_dvt_handout_says_start_treatment_and_not_go_for_a_scan(language):
    text = amended(
        language,
        **DVT,
        add={
            "red_flags": [flag("confirmed_dvt", "same_day")],
            "results": [result("proximal_leg_vein_ultrasound", "positive", "positive")],
            "actions": [action("start_anticoagulation")],
        },
    )
    w = DVT_WORDS[language]
    expected = {
        "en": [
            "The scan found a blood clot in your leg. You need treatment today.",
            "You need to start a blood thinner today, to treat the clot.",
        ],
        "es": [
            "La ecografía encontró un coágulo en la pierna. Necesita tratamiento hoy.",
            "Tiene que empezar hoy un anticoagulante, para tratar el coágulo.",
        ],
    }
    for phrase in expected[language] + [w["lung"], w["leg"]]:
        assert phrase in text, phrase
    assert w["scan"] not in text
    for phrase in w["never"]:
        assert phrase not in text, phrase


RED_FLAG_CASES = {
    "tetanus": dict(findings=["tetanus_prone_wound"]),
    "neuromuscular": dict(findings=["muscle_wasting", "fasciculations"]),
    "cauda_equina": dict(
        findings=["saddle_anaesthesia_or_sphincter_change", "back_pain_radiating_to_leg"]
    ),
    "pregnancy_and_tetanus": dict(
        age=28, pregnancy="trimester_1", findings=["tetanus_prone_wound"]
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", sorted(RED_FLAG_CASES))
def test_no_handout_with_a_red_flag_says_not_serious_or_no_tests(case, language):
    text = handout(language, **RED_FLAG_CASES[case])
    assert {"en": "Your doctor found", "es": "Su médico ha visto"}[language] not in text
    never = {
        "en": ["not a sign of anything serious", "not serious", "need tests", "tests are needed"],
        "es": ["nada grave", "necesita pruebas", "hacen falta pruebas"],
    }[language]
    for phrase in never:
        assert phrase not in text, phrase


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_a_red_flag_a_typical_cramp_is_reassured(language):
    text = handout(language)
    expected = {
        "en": [
            "Most leg cramps are not a sign of anything serious.",
            "You do not need tests for your cramps.",
        ],
        "es": [
            "Casi siempre los calambres no son nada grave.",
            "No necesita pruebas por sus calambres.",
        ],
    }[language]
    for phrase in expected:
        assert phrase in text


# -- Rule 3: venous self-care for any leg C2 or more -----------------------------------------

VENOUS_CARE = {
    "en": [
        "Look after your leg veins",
        "Put your legs up when you sit or lie down to rest.",
        "Keep active. Walk every day if you can.",
        "Put moisturising cream on the skin of your lower legs every day.",
        "or a sore does not heal in 2 weeks, see the practice nurse that same week.",
        "Only wear compression stockings if a nurse or doctor tells you to. "
        "They must check the blood flow in your legs first.",
    ],
    "es": [
        "Cuide las venas de sus piernas",
        "Suba las piernas cuando se siente o se acueste",
        "Camine cada día si puede.",
        "Póngase crema hidratante",
        "no se cura en 2 semanas, vaya a la enfermera de su centro de salud esa misma semana.",
        "Use medias de compresión solo si se lo dice una enfermera o un médico.",
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "legs",
    [
        VENOUS,
        dict(right=["varicose_veins"]),
        dict(left=["venous_oedema"]),
        dict(left=["active_venous_ulcer"]),
    ],
    ids=["c4a_and_c2", "c2_only", "c3", "c6"],
)
def test_a_leg_with_venous_disease_gets_venous_self_care(legs, language):
    text = handout(language, **legs)
    for phrase in VENOUS_CARE[language]:
        assert phrase in text, phrase


@pytest.mark.parametrize(
    "legs", [{}, dict(left=["telangiectasia_or_reticular_veins"])], ids=["c0", "c1"]
)
def test_thread_veins_alone_get_no_venous_section(legs):
    text = handout("en", **legs)
    assert "Look after your leg veins" not in text and "compression" not in text


# -- Rule 4: paracetamol only in pregnancy ---------------------------------------------------

PAIN = {
    "en": {
        "pregnancy": [
            "For soreness after a cramp, take paracetamol only.",
            "Do not take ibuprofen or other anti-inflammatory painkillers unless a doctor says so.",
        ],
        "general": "Pain killers can ease the soreness",
    },
    "es": {
        "pregnancy": [
            "tome solo paracetamol.",
            "No tome ibuprofeno ni otros antiinflamatorios si no se lo dice un médico.",
        ],
        "general": "Los calmantes alivian el dolor",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stage", ["trimester_1", "trimester_2", "trimester_3"])
def test_a_pregnant_woman_is_told_paracetamol_only(stage, language):
    text = handout(language, age=31, pregnancy=stage)
    for phrase in PAIN[language]["pregnancy"]:
        assert phrase in text, phrase
    assert PAIN[language]["general"] not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_positive_pregnancy_test_counts_as_pregnancy(language):
    text = amended(
        language,
        age=27,
        pregnancy="possible",
        add={"results": [result("pregnancy_test", "positive", "positive")]},
    )
    for phrase in PAIN[language]["pregnancy"]:
        assert phrase in text, phrase
    assert {
        "en": "Your pregnancy test was positive.",
        "es": "Su prueba de embarazo salió positiva.",
    }[language] in text


def test_without_pregnancy_the_usual_painkiller_line_is_kept():
    text = handout("en")
    assert PAIN["en"]["general"] in text and "ibuprofen" not in text


# -- Rule 5: medicines in plain words, never as typed ----------------------------------------

TYPED = [
    "Lasix 40mg od",
    "Simvastatin 40mg nocte",
    "Metformin 500mg bd",
    "Seretide 250 Evohaler 2 puffs bd",
    "Zyxorin 10mg",
]
PLAIN = {
    "en": [
        "furosemide (a water tablet) *",
        "simvastatin (a medicine for cholesterol) *",
        "metformin (a medicine for diabetes)",
        "salmeterol (an inhaler that opens your airways) and fluticasone (a steroid inhaler) *",
        "Your doctor will check any other medicines you told us about.",
    ],
    "es": [
        "furosemide (un diurético) *",
        "simvastatin (una medicina para el colesterol) *",
        "metformin (una medicina para la diabetes)",
        "salmeterol (un inhalador que abre los bronquios) y fluticasone "
        "(un inhalador con corticoides) *",
        "Su médico revisará las demás medicinas que nos dijo.",
    ],
}
SHORTHAND = {
    "od",
    "bd",
    "tds",
    "qds",
    "nocte",
    "mane",
    "prn",
    "mg",
    "40mg",
    "500mg",
    "10mg",
    "puffs",
    "lasix",
    "seretide",
    "evohaler",
    "zyxorin",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_medicines_are_named_in_plain_words_never_as_the_gp_typed_them(language):
    text = handout(language, medications=TYPED)
    for phrase in PLAIN[language]:
        assert phrase in text, phrase
    assert not words(text) & SHORTHAND, words(text) & SHORTHAND


def test_every_medicine_in_the_dictionary_has_a_plain_name_and_plain_class_words():
    meds = yaml.safe_load((DEFAULT_KNOWLEDGE_BASE / "medications.yaml").read_text())
    abbreviations = SHORTHAND | {"pop", "ius", "lng", "gtn", "ismn", "hctz", "cocp", "hrt"}
    for drug_id, drug in meds["drugs"].items():
        as_assessed = drug.get("label") or drug_id.replace("_", " ")
        name = drug_name(KB.handout, KB, as_assessed)
        assert "_" not in name and not words(name) & abbreviations, (drug_id, name)
    missing = set(meds["classes"]) - set(KB.handout["medicine_classes"])
    assert not missing, missing


def test_a_stopped_medicine_is_not_listed_as_one_they_take():
    text = amended(
        "en", medications=["Furosemide 40mg", "Ramipril 5mg"], medicines={0: {"stopped": True}}
    )
    assert "ramipril (a medicine for blood pressure)" in text
    assert "furosemide" not in text and "water tablet" not in text


def test_an_unrecognised_medicine_alone_prints_no_list_but_says_the_doctor_will_check():
    text = handout("en", medications=["Zyxorin 10mg bd"])
    assert "Your doctor will check any other medicines you told us about." in text
    assert "zyxorin" not in text.lower() and " bd" not in text


# -- Rule 6: neutral Spanish -----------------------------------------------------------------

REGIONAL = re.compile(r"\b(gemelos?|culos?|moratones|moratón)\b", re.IGNORECASE)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_spanish_handouts_use_words_understood_everywhere(scenario):
    text = handout("es", **SCENARIOS[scenario])
    assert not REGIONAL.search(text), REGIONAL.search(text)
    same_day = text[text.index(SAME_DAY_END["es"]) :]
    assert "pantorrilla" in same_day and "moretones" in same_day
    assert "nalgas" in between(text, *EMERGENCY["es"])


def test_the_spanish_calf_stretch_says_pantorrilla():
    text = handout("es")
    assert "Pantorrilla: de pie" in text and not REGIONAL.search(text)


# -- Rule 7: the red box heading follows the most urgent red flag ----------------------------

HEADINGS = {
    "emergency": {"en": "Call 999 now", "es": "Llame ya al 999"},
    "same_day": {"en": "See a doctor today", "es": "Vea a un médico hoy"},
    "urgent": {
        "en": "Your doctor is arranging an urgent check",
        "es": "Su médico le va a pedir una cita urgente",
    },
}
HEADING_CASES = {
    "emergency": dict(findings=["saddle_anaesthesia_or_sphincter_change"]),
    "same_day": dict(findings=["tetanus_prone_wound"]),
    "urgent": dict(findings=["muscle_wasting", "fasciculations"]),
    "emergency_beats_same_day": dict(
        findings=["tetanus_prone_wound", "sudden_cold_pale_pulseless_leg"]
    ),
    "same_day_beats_urgent": dict(
        findings=["muscle_wasting", "fasciculations", "tetanus_prone_wound"]
    ),
}


def red_box_heading(intake, assessment, language):
    lines = text_of(pdf_for(intake, assessment, language)).splitlines()
    return lines[2]  # title, "For <name> · <date>", then the red box's heading


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", sorted(HEADING_CASES))
def test_the_red_box_heading_says_how_soon(case, language):
    intake, assessment = assessed(**HEADING_CASES[case])
    urgency = {
        "emergency": "emergency",
        "emergency_beats_same_day": "emergency",
        "same_day": "same_day",
        "same_day_beats_urgent": "same_day",
        "urgent": "urgent",
    }[case]
    assert red_box_heading(intake, assessment, language) == HEADINGS[urgency][language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_critical_result_at_emergency_level_says_call_999_now(language):
    intake, assessment = assessed(medications=["Spironolactone 25mg"])
    assessment = {
        **assessment,
        "red_flags": [flag("critical_result", "emergency")],
        "results": [result("potassium", 6.8, "critical", "mmol/L")],
    }
    assert red_box_heading(intake, assessment, language) == HEADINGS["emergency"][language]
    text = flat(pdf_for(intake, assessment, language))
    assert {
        "en": "One of your blood test results is far from normal. This is an emergency.",
        "es": "Uno de sus análisis salió muy alterado. Es una urgencia.",
    }[language] in text


def test_no_red_flag_no_red_box():
    text = handout("en")
    assert not any(h["en"] in text.replace("Call 999 now if:", "") for h in HEADINGS.values())


# -- Rule 8: results and actions in plain words ----------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_low_potassium_and_its_action_are_said_in_plain_words(language):
    text = amended(
        language,
        medications=["Furosemide 40mg"],
        add={
            "results": [
                result("potassium", 3.1, "low", "mmol/L"),
                result("sodium", 139, "normal", "mmol/L"),
            ],
            "actions": [action("review_diuretic")],
        },
    )
    expected = {
        "en": [
            "Your results",
            "Your potassium (a salt in your blood) was a little low.",
            "Your other results were normal.",
            "What your doctor will do",
            "Your doctor will look at your water tablet.",
        ],
        "es": [
            "Sus resultados",
            "Su potasio (una sal de la sangre) estaba un poco bajo.",
            "Sus otros resultados fueron normales.",
            "Lo que hará su médico",
            "Su médico va a revisar su diurético.",
        ],
    }[language]
    for phrase in expected:
        assert phrase in text, phrase
    assert {"en": "sodium", "es": "sodio"}[language] not in text.lower()
    assert "3.1" not in text and "mmol" not in text


def test_only_normal_results_get_one_line():
    text = amended(
        "en",
        add={
            "results": [
                result("tsh", 2.0, "normal", "mU/L"),
                result("hba1c", 38, "normal", "mmol/mol"),
            ]
        },
    )
    assert "Your test results were normal." in text
    assert "thyroid test" not in text and "blood sugar test" not in text


def test_without_results_or_actions_there_is_no_results_section():
    text = handout("en")
    assert "Your results" not in text and "What your doctor will do" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_abpi_results_and_compression_advice_in_plain_words(language):
    text = amended(
        language,
        left=["varicose_veins", "active_venous_ulcer"],
        add={
            "results": [result("ankle_brachial_index", 0.6, "low", None)],
            "actions": [action("no_compression")],
        },
    )
    expected = {
        "en": [
            "The blood flow to your legs was low.",
            "Do not wear compression stockings or tight bandages on your legs.",
        ],
        "es": [
            "Le llega poca sangre a las piernas.",
            "No use medias de compresión ni vendas apretadas en las piernas.",
        ],
    }
    for phrase in expected[language]:
        assert phrase in text, phrase


# Every flag each result can get (REFERENCE section 3b)
RESULT_FLAGS = {
    "sodium": ["low", "high", "critical"],
    "potassium": ["low", "high", "critical"],
    "adjusted_calcium": ["low", "high", "critical"],
    "magnesium": ["low", "critical"],
    "egfr": ["low"],
    "tsh": ["low", "high"],
    "hba1c": ["high"],
    "creatine_kinase": ["high"],
    "ferritin": ["low"],
    "vitamin_b12": ["low"],
    "ankle_brachial_index": ["critical", "low", "high"],
    "d_dimer": ["positive", "negative"],
    "proximal_leg_vein_ultrasound": ["positive", "negative"],
    "pregnancy_test": ["positive", "negative"],
}


@pytest.mark.parametrize("code", sorted(RESULT_FLAGS))
def test_every_flagged_result_gets_its_own_line_in_both_languages(code):
    intake, assessment = assessed()
    said = set()
    for flag_ in RESULT_FLAGS[code]:
        lines = {}
        for language in LANGUAGES:
            with translation.override(language):
                lines[language] = handout_context(
                    input_for(intake, {**assessment, "results": [result(code, 1, flag_)]}), KB
                )["results"]
        assert len(lines["en"]) == 1 and lines["en"] != lines["es"], (code, flag_, lines)
        said.add(lines["en"][0])
    assert len(said) == len(RESULT_FLAGS[code]), said  # each flag says something different


# -- Rule 9: new codes have patient text -----------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_exercise_cramps_are_not_called_night_cramps(language):
    intake, assessment = assessed(age=19, cramps={"when": ["exercise"]})
    assessment = {
        **assessment,
        "differentials": [
            {"code": "exercise_associated_cramps", "reasons": ["(test)"], "sources": ["BMJ BP"]}
        ],
    }
    text = flat(pdf_for(intake, assessment, language))
    assert {
        "en": "Your cramps seem to come with exercise.",
        "es": "Sus calambres parecen venir con el ejercicio.",
    }[language] in text
    assert {"en": "night cramps", "es": "calambres de noche"}[language] not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_suspected_lung_clot_says_call_999_first(language):
    text = amended(
        language, **DVT, add={"red_flags": [flag("suspected_pulmonary_embolism", "emergency")]}
    )
    heading = HEADINGS["emergency"][language]
    line = {
        "en": "You may have a blood clot in your lung. This is an emergency.",
        "es": "Puede tener un coágulo en el pulmón. Es una urgencia.",
    }[language]
    assert (
        text.index(heading)
        < text.index(line)
        < text.index(
            {"en": "Your leg may have a blood clot.", "es": "Puede tener un coágulo en la pierna."}[
                language
            ]
        )
    )


def test_every_code_a_handout_may_explain_has_patient_text():
    """Each code of the catalogue (and each action) prints a line in the handout."""
    h = KB.handout
    for kind in ("investigations", "red_flags", "differentials", "referrals"):
        for code in KB.catalogue[kind]:
            assert (h[kind].get(code) or {}).get("text"), (kind, code)
    for code in KB.catalogue.get("actions") or {}:
        assert (h["actions"].get(code) or {}).get("text"), ("actions", code)


# -- Rule 10: unexplained bruising or bleeding is a same-day sign for everyone ---------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_day_list_names_unexplained_bruising_or_bleeding(language):
    text = handout(language)
    same_day = text[text.index(SAME_DAY_END[language]) :]
    assert {
        "en": "You get bruises or bleeding that you cannot explain.",
        "es": "Le salen moretones o sangra sin saber por qué.",
    }[language] in same_day
    assert {"en": "quinine", "es": "quinina"}[language] not in same_day.lower()


# -- With the version 2 engine (these need `recommend` to give contract-2 output) -------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_v2_a_low_potassium_on_a_diuretic_reads_in_plain_words(language):
    text = handout(
        language, medications=["Lasix 40mg od"], results=[{"code": "potassium", "value": 3.1}]
    )
    expected = {
        "en": [
            "Your potassium (a salt in your blood) was a little low.",
            "Your doctor will look at your water tablet.",
        ],
        "es": [
            "Su potasio (una sal de la sangre) estaba un poco bajo.",
            "Su médico va a revisar su diurético.",
        ],
    }[language]
    for phrase in expected:
        assert phrase in text, phrase
    assert not words(text) & {"lasix", "od", "40mg", "mmol"} and "3.1" not in text


def test_v2_a_medicine_written_as_stopped_is_left_out():
    text = handout("en", medications=["stopped furosemide 2019", "Ramipril 5mg"])
    assert "ramipril (a medicine for blood pressure)" in text
    assert "furosemide" not in text.lower() and "2019" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_v2_chest_pain_makes_the_red_box_say_call_999_now(language):
    intake, assessment = assessed(findings=["chest_pain_or_breathlessness"])
    assert red_box_heading(intake, assessment, language) == HEADINGS["emergency"][language]


def test_v2_a_positive_scan_makes_a_confirmed_dvt_handout():
    text = handout(
        "en", **DVT, results=[{"code": "proximal_leg_vein_ultrasound", "value": "positive"}]
    )
    assert "The scan found a blood clot in your leg." in text
    assert "start a blood thinner today" in text
    assert DVT_WORDS["en"]["lung"] in text and DVT_WORDS["en"]["leg"] in text
    for phrase in DVT_WORDS["en"]["never"]:
        assert phrase not in text, phrase


@pytest.mark.parametrize("language", LANGUAGES)
def test_v2_after_birth_paracetamol_only(language):
    text = handout(language, age=29, pregnancy="postpartum")
    for phrase in PAIN[language]["pregnancy"]:
        assert phrase in text, phrase


def test_v2_exercise_only_cramps_are_not_called_night_cramps():
    text = handout("en", age=19, cramps={"when": ["exercise"]}, findings=["strenuous_exercise"])
    assert "Your cramps seem to come with exercise." in text
    assert "night cramps" not in text


def test_v2_unexplained_bruising_gets_a_blood_count_in_plain_words():
    text = handout("en", findings=["unexplained_bruising_or_bleeding"])
    assert "A blood test to check your blood cells, within 2 days." in text
    assert "Your doctor wants to check your blood, because of your bruising or bleeding." in text
    assert "need tests" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_v2_a_test_or_referral_asked_for_earlier_says_so(language):
    text = handout(
        language,
        findings=["thyroid_symptoms"],
        previous=[
            {"code": "tsh", "kind": "investigation", "date": "2026-01-02"},
            {"code": "vascular", "kind": "referral", "date": "2026-01-01"},
        ],
    )  # no urgency now
    earlier = {
        "en": "Your doctor asked for this at an earlier visit.",
        "es": "Su médico ya lo pidió en una visita anterior.",
    }[language]
    tests = between(
        text,
        {"en": "Your tests", "es": "Sus pruebas"}[language],
        {"en": "Who you will see", "es": "A quién va a ver"}[language],
    )
    assert earlier in tests
    service = {
        "en": "The vein and blood flow team (vascular team).",
        "es": "El equipo de venas y arterias (cirugía vascular).",
    }[language]
    assert f"{service} {earlier}" in text
