"""Medication matching copes with case, doses, brand names and combination inhalers."""
import pytest


def match(kb, text):
    return kb.matcher.match(text).as_contract()


@pytest.mark.parametrize("text, drug, drug_class", [
    ("furosemide", "furosemide", "loop_diuretic"),            # generic
    ("Lasix", "furosemide", "loop_diuretic"),                 # UK/US brand
    ("frusemide", "furosemide", "loop_diuretic"),             # old British spelling
    ("FUROSEMIDE 40MG", "furosemide", "loop_diuretic"),       # case and dose
    ("Furosemide 40 mg tablets once daily", "furosemide", "loop_diuretic"),
    ("Lipitor", "atorvastatin", "statin"),
    ("atorvastatin 20mg nocte", "atorvastatin", "statin"),
    ("albuterol inhaler", "salbutamol", "short_acting_beta_agonist"),  # US name
    ("Ventolin 100mcg evohaler prn", "salbutamol", "short_acting_beta_agonist"),
    ("Bendroflumethiazide 2.5mg", "bendroflumethiazide", "thiazide_diuretic"),
    ("Aldactone", "spironolactone", "potassium_sparing_diuretic"),
    ("Adalat LA 30", "nifedipine", "nifedipine_ccb"),
])
def test_known_names_are_recognised(kb, text, drug, drug_class):
    entry = match(kb, text)
    assert (entry["drug"], entry["class"], entry["associated_with_cramps"]) == (drug, drug_class, True)
    assert entry["text"] == text


@pytest.mark.parametrize("text, drug, components", [
    ("Seretide 250", "salmeterol", ["salmeterol", "fluticasone"]),
    ("Advair Diskus 250/50", "salmeterol", ["salmeterol", "fluticasone"]),
    ("Symbicort 200/6 Turbohaler", "formoterol", ["formoterol", "budesonide"]),
    ("Fostair 100/6", "formoterol", ["formoterol", "beclometasone"]),
    ("co-amilofruse 5/40", "amiloride", ["amiloride", "furosemide"]),
    ("fluticasone/salmeterol", "salmeterol", ["salmeterol", "fluticasone"]),
    ("Budesonide and formoterol", "formoterol", ["budesonide", "formoterol"]),
])
def test_combinations_report_the_component_linked_with_cramps(kb, text, drug, components):
    entry = match(kb, text)
    assert entry["drug"] == drug and entry["associated_with_cramps"] is True
    assert entry["components"] == components


@pytest.mark.parametrize("text, drug", [
    ("Paracetamol 1g", "paracetamol"), ("Metformin 500mg bd", "metformin"),
    ("Levothyroxine 100 micrograms", "levothyroxine"), ("Ramipril 5mg", "ramipril"),
    ("omeprazole 20mg", "omeprazole"), ("Amlodipine", "amlodipine"),
    ("Clenil Modulite", "beclometasone"),  # an inhaled steroid alone is not linked with cramps
])
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
    assert match(kb, "lasixx")["drug"] is None
