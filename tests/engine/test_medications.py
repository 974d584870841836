"""Medication matching copes with case, doses, brand names and combination inhalers;
misspellings get suggestions (never applied), tonic water is quinine, stopped medicines are
not current, and proton pump inhibitors are linked with cramps (low magnesium)."""

import json

import pytest

from workup.engine import medications as medications_module
from workup.engine.medications import MedicationDictionaryError, MedicationMatcher


def codes(assessment, kind):
    return [i["code"] for i in assessment[kind]]


def match(kb, text):
    return kb.matcher.match(text).as_contract()


@pytest.mark.parametrize(
    "text, drug, drug_class",
    [
        ("furosemide", "furosemide", "loop_diuretic"),  # generic
        ("Lasix", "furosemide", "loop_diuretic"),  # UK/US brand
        ("frusemide", "furosemide", "loop_diuretic"),  # old British spelling
        ("FUROSEMIDE 40MG", "furosemide", "loop_diuretic"),  # case and dose
        ("Furosemide 40 mg tablets once daily", "furosemide", "loop_diuretic"),
        ("Lipitor", "atorvastatin", "statin"),
        ("atorvastatin 20mg nocte", "atorvastatin", "statin"),
        ("albuterol inhaler", "salbutamol", "short_acting_beta_agonist"),  # US name
        ("Ventolin 100mcg evohaler prn", "salbutamol", "short_acting_beta_agonist"),
        ("Bendroflumethiazide 2.5mg", "bendroflumethiazide", "thiazide_diuretic"),
        ("Aldactone", "spironolactone", "potassium_sparing_diuretic"),
        ("Adalat LA 30", "nifedipine", "nifedipine_ccb"),
    ],
)
def test_known_names_are_recognised(kb, text, drug, drug_class):
    entry = match(kb, text)
    assert (entry["drug"], entry["class"], entry["associated_with_cramps"]) == (
        drug,
        drug_class,
        True,
    )
    assert entry["text"] == text


@pytest.mark.parametrize(
    "text, drug, components",
    [
        ("Seretide 250", "salmeterol", ["salmeterol", "fluticasone"]),
        ("Advair Diskus 250/50", "salmeterol", ["salmeterol", "fluticasone"]),
        ("Symbicort 200/6 Turbohaler", "formoterol", ["formoterol", "budesonide"]),
        ("Fostair 100/6", "formoterol", ["formoterol", "beclometasone"]),
        ("co-amilofruse 5/40", "amiloride", ["amiloride", "furosemide"]),
        ("fluticasone/salmeterol", "salmeterol", ["salmeterol", "fluticasone"]),
        ("Budesonide and formoterol", "formoterol", ["budesonide", "formoterol"]),
    ],
)
def test_combinations_report_the_component_linked_with_cramps(kb, text, drug, components):
    entry = match(kb, text)
    assert entry["drug"] == drug and entry["associated_with_cramps"] is True
    assert entry["components"] == components


@pytest.mark.parametrize(
    "text, drug",
    [
        ("Paracetamol 1g", "paracetamol"),
        ("Metformin 500mg bd", "metformin"),
        ("Levothyroxine 100 micrograms", "levothyroxine"),
        ("Ramipril 5mg", "ramipril"),
        ("Sertraline 50mg", "sertraline"),
        ("Amlodipine", "amlodipine"),
        ("Clenil Modulite", "beclometasone"),  # an inhaled steroid alone is not linked with cramps
    ],
)
def test_common_drugs_not_linked_with_cramps_are_known_as_such(kb, text, drug):
    entry = match(kb, text)
    assert entry["drug"] == drug and entry["recognised"] is True
    assert entry["associated_with_cramps"] is False


def test_an_unknown_name_is_kept_with_null_drug_and_a_note(kb):
    entry = match(kb, "Zyxorin 10mg")
    assert entry["text"] == "Zyxorin 10mg"
    assert entry["drug"] is None and entry["class"] is None
    assert entry["recognised"] is False and "Not recognised" in entry["note"]


def test_every_medication_stays_in_the_assessment_in_order(assess):
    meds = ["Zyxorin", "Lasix 40mg", "paracetamol", "Seretide 250"]
    result = assess(medications=meds)["medications"]
    assert [m["text"] for m in result] == meds
    assert [m["drug"] for m in result] == [None, "furosemide", "paracetamol", "salmeterol"]


def test_the_reason_names_what_the_gp_typed_and_the_drug(assess):
    a = assess(medications=["Lasix 40mg"])
    review = next(i for i in a["investigations"] if i["code"] == "medication_review")
    assert review["reasons"][0].startswith("Takes Lasix 40mg: furosemide, a loop diuretic.")


def test_a_drug_name_inside_another_word_is_not_matched(kb):
    # "lasixx" is a typo, not Lasix: the GP must see that it was not recognised
    entry = match(kb, "lasixx")
    assert entry["drug"] is None and entry["recognised"] is False
    # ... and is offered the generic name of the brand it is close to
    assert entry["suggestions"][0] == "furosemide"


# -- misspellings: suggestions, never applied ----------------------------------------------
TEN_MISSPELLINGS = [
    ("furosemid", "furosemide"),
    ("frusamide", "furosemide"),
    ("qunine", "quinine"),
    ("atorvastatine", "atorvastatin"),
    ("simvastatn", "simvastatin"),
    ("bendroflumethazide", "bendroflumethiazide"),
    ("amlodipin", "amlodipine"),
    ("salbutomol", "salbutamol"),
    ("omeprazol", "omeprazole"),
    ("lansoprazol", "lansoprazole"),
]


@pytest.mark.parametrize("text, meant", TEN_MISSPELLINGS)
def test_it_suggests_the_right_name_first_for_a_misspelling(kb, text, meant):
    entry = match(kb, text)
    assert entry["suggestions"][0] == meant
    assert 1 <= len(entry["suggestions"]) <= 3


@pytest.mark.parametrize("text, meant", TEN_MISSPELLINGS)
def test_it_never_applies_a_suggestion(kb, text, meant):
    entry = match(kb, text)
    assert (entry["drug"], entry["class"], entry["associated_with_cramps"]) == (None, None, None)
    assert entry["recognised"] is False
    assert meant in entry["note"] and entry["note"].startswith("Not recognised")


@pytest.mark.parametrize(
    "text, meant",
    [
        ("Furosemid 40mg od", "furosemide"),
        ("frusamide 40 mg mane", "furosemide"),
        ("qunine sulphate 300mg nocte", "quinine"),
        ("Atorvastatine 20 mg tablets at night", "atorvastatin"),
        ("SALBUTOMOL 100mcg inhaler 2 puffs prn", "salbutamol"),
        ("stopped furosemid 2019", "furosemide"),
    ],
)
def test_doses_units_and_markers_do_not_spoil_a_suggestion(kb, text, meant):
    assert match(kb, text)["suggestions"][0] == meant


@pytest.mark.parametrize(
    "text, meant",
    [
        ("lasixx 40mg", "furosemide"),  # close to the brand Lasix
        ("Ventalin inhaler", "salbutamol"),  # close to the brand Ventolin
        ("Lipiter", "atorvastatin"),  # close to the brand Lipitor
        ("Seretid 250", "seretide"),  # a combination is named by its product name
    ],
)
def test_a_brand_misspelling_suggests_the_generic_name(kb, text, meant):
    assert match(kb, text)["suggestions"][0] == meant


@pytest.mark.parametrize("text", [t for t, _ in TEN_MISSPELLINGS] + ["pantaprazole", "losartin"])
def test_every_suggestion_is_a_known_name_of_a_different_medicine(kb, text):
    suggestions = match(kb, text)["suggestions"]
    assert suggestions
    recognised = [kb.matcher.match(s) for s in suggestions]
    assert all(m.recognised for m in recognised), suggestions
    medicines = [tuple(c.id for c in m.components) for m in recognised]
    assert len(set(medicines)) == len(medicines), suggestions


@pytest.mark.parametrize("text", ["Zyxorin 10mg", "40mg od", "2 puffs prn", "eye drops"])
def test_nothing_is_suggested_when_no_name_is_close(kb, text):
    entry = match(kb, text)
    assert entry["drug"] is None and entry["suggestions"] == []
    assert "Did you mean" not in entry["note"]


@pytest.mark.parametrize("text", ["Furosemide 40mg", "Lasix", "Seretide 250", "Tonic water"])
def test_a_recognised_medicine_has_an_empty_suggestions_list(kb, text):
    entry = match(kb, text)
    assert entry["recognised"] is True and entry["suggestions"] == []
    assert "note" not in entry


def test_every_contract_entry_is_json_serialisable_with_the_same_keys(kb):
    lines = ["furosemid", "Lasix 40mg", "ex-furosemide", "Seretide 250", "Zyxorin"]
    entries = [match(kb, t) for t in lines]
    assert json.loads(json.dumps(entries)) == entries
    for entry in entries:
        assert {
            "text",
            "drug",
            "class",
            "associated_with_cramps",
            "recognised",
            "suggestions",
            "stopped",
        } <= set(entry)
        assert isinstance(entry["suggestions"], list) and isinstance(entry["stopped"], bool)


def test_suggest_gives_the_live_panel_the_same_names(kb):
    assert kb.matcher.suggest("qunine 300mg") == match(kb, "qunine 300mg")["suggestions"]
    assert kb.matcher.suggest("qunine 300mg")[0] == "quinine"
    assert kb.matcher.suggest("Lasix 40mg") == []  # recognised: nothing to correct
    assert kb.matcher.suggest("") == []


def test_the_datalist_still_lists_every_known_name(kb):
    names = kb.matcher.suggestions()
    assert names == sorted(names)
    assert {"furosemide", "lasix", "tonic water", "rabeprazole", "pariet"} <= set(names)


def test_recognised_medicines_never_pay_for_a_fuzzy_search(kb, monkeypatch):
    def no_fuzzy(*args, **kwargs):
        raise AssertionError("fuzzy search run for a recognised medicine")

    monkeypatch.setattr(medications_module.process, "extract", no_fuzzy)
    for text in [
        "Furosemide 40mg",
        "Lipitor 20mg nocte",
        "Seretide 250 evohaler",
        "stopped furosemide 2019",
        "Tonic water at night",
    ]:
        assert kb.matcher.match(text).recognised


# -- tonic water is quinine ------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Tonic water",
        "TONIC WATER at night",
        "tonic water 500ml nightly",
        "Schweppes tonic",
        "Fever-Tree tonic",
        "gin and tonic most evenings",
    ],
)
def test_tonic_water_is_recognised_as_quinine(kb, text):
    entry = match(kb, text)
    assert (entry["drug"], entry["class"], entry["recognised"]) == ("quinine", "quinine", True)


def test_bare_tonic_is_not_assumed_to_be_quinine_but_suggests_it(kb):
    # "tonic" may be a vitamin tonic; the GP is asked ("Did you mean quinine?"), not told
    entry = match(kb, "Tonic")
    assert entry["drug"] is None and entry["suggestions"] == ["quinine"]
    assert "Did you mean quinine?" in entry["note"]


# -- stopped medicines ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "stopped furosemide 2019",
        "furosemide (stopped)",
        "ex-furosemide",
        "Ex furosemide",
        "furosemide - discontinued",
        "previously on lasix",
        "no longer takes lasix",
        "Furosemide 40mg ceased 2021",
        "used to take frusemide",
    ],
)
def test_a_medicine_written_as_stopped_is_recognised_but_not_current(kb, text):
    medication = kb.matcher.match(text)
    entry = medication.as_contract()
    assert (entry["drug"], entry["class"]) == ("furosemide", "loop_diuretic")
    assert entry["stopped"] is True and medication.stopped is True
    assert medication.current is False
    assert medication.describe().endswith("no longer taken")


@pytest.mark.parametrize(
    "text",
    [
        "Furosemide 40mg",
        "Furosemide 40mg od, stop if dizzy",  # an instruction, not a stop
        "Furosemide previously 80mg, now 40mg",  # a dose change
        "Quinine 300mg nocte, for no longer than 4 weeks",
        "Lasix stopped 2019, restarted 2021",  # restarted: current again
        "Furosemide 40mg (stopping next month)",  # still taken today
    ],
)
def test_a_current_medicine_is_not_marked_stopped(kb, text):
    medication = kb.matcher.match(text)
    assert medication.recognised
    assert medication.as_contract()["stopped"] is False and medication.current is True
    assert medication.describe().startswith("takes ")


def test_an_unrecognised_stopped_line_is_stopped_with_suggestions(kb):
    entry = match(kb, "stopped furosemid 2019")
    assert entry["stopped"] is True and entry["drug"] is None
    assert entry["suggestions"] == ["furosemide"]


def test_a_stopped_medicine_does_not_trigger_a_medicine_review(assess):
    a = assess(medications=["stopped furosemide 2019"])
    assert a["medications"][0]["stopped"] is True
    assert "medication_review" not in codes(a, "investigations")
    assert "u_and_e" not in codes(a, "investigations")
    current = assess(medications=["furosemide 40mg"])
    assert {"medication_review", "u_and_e"} <= set(codes(current, "investigations"))


# -- proton pump inhibitors (REFERENCE 3a) -----------------------------------------------------
@pytest.mark.parametrize(
    "text, drug",
    [
        ("omeprazole 20mg", "omeprazole"),
        ("Losec 20mg od", "omeprazole"),
        ("Lansoprazole 30mg", "lansoprazole"),
        ("Zoton FasTab", "lansoprazole"),
        ("esomeprazole 40mg", "esomeprazole"),
        ("Nexium", "esomeprazole"),
        ("pantoprazole 40mg", "pantoprazole"),
        ("Protium", "pantoprazole"),
        ("rabeprazole 10mg", "rabeprazole"),
        ("Pariet", "rabeprazole"),
    ],
)
def test_proton_pump_inhibitors_are_their_own_class_linked_with_cramps(kb, text, drug):
    entry = match(kb, text)
    assert (entry["drug"], entry["class"], entry["associated_with_cramps"]) == (
        drug,
        "proton_pump_inhibitor",
        True,
    )


def test_the_ppi_class_names_low_magnesium_and_cites_the_mhra(kb):
    medication = kb.matcher.match("Losec 20mg")
    assert medication.primary.sources == ("mhra_2012_ppi",)
    assert medication.describe() == "takes Losec 20mg: omeprazole, a proton pump inhibitor"
    cls = kb.medications["classes"]["proton_pump_inhibitor"]
    assert "magnesium" in cls["evidence"]


def test_a_ppi_asks_for_magnesium_and_a_medicine_review(assess):
    a = assess(medications=["Omeprazole 20mg"])
    assert {"magnesium", "medication_review"} <= set(codes(a, "investigations"))
    assert "drug_induced_cramps" in codes(a, "differentials")


# -- the dictionary's own sections are checked ---------------------------------------------
def _tiny(**sections):
    data = {
        "classes": {
            "loop": {"label": "loop diuretic", "associated_with_cramps": True, "sources": ["x"]}
        },
        "drugs": {"furosemide": {"class": "loop", "names": ["furosemide", "lasix"]}},
    }
    data.update(sections)
    return data


@pytest.mark.parametrize(
    "sections, named",
    [
        ({"stopped_markers": ["stopped", "lasix"]}, "stopped_markers"),
        ({"stopped_markers": "stopped"}, "stopped_markers"),
        ({"restarted_markers": ["123"]}, "restarted_markers"),
        ({"suggest_only": {"frusi": "bumetanide"}}, "suggest_only 'frusi'"),
        ({"suggest_only": {"lasix": "furosemide"}}, "suggest_only 'lasix'"),
    ],
)
def test_a_malformed_marker_or_suggestion_section_is_refused_by_name(sections, named):
    with pytest.raises(MedicationDictionaryError, match=f"medications.yaml: {named}"):
        MedicationMatcher(_tiny(**sections))


def test_a_dictionary_without_the_new_sections_still_matches():
    matcher = MedicationMatcher(_tiny())
    assert matcher.match("stopped lasix").stopped is False  # no markers: nothing is stopped
    assert matcher.match("furosemid").suggestions == ("furosemide",)
