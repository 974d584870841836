"""The knowledge base is checked as it loads; a broken file is named with its entry."""

import shutil

import pytest
import yaml

from workup.engine import DEFAULT_KNOWLEDGE_BASE, KnowledgeBaseError, load_knowledge_base

# The contract's codes (../shared/contract/README.md): the knowledge base must know them all.
CONTRACT_CODES = {
    "findings": """urge_to_move_legs relief_by_movement calf_pain_on_walking_relieved_by_rest
        numbness_or_tingling muscle_weakness muscle_wasting fasciculations
        muscle_pain_or_tenderness reduced_reflexes_or_sensation back_pain_radiating_to_leg
        saddle_anaesthesia_or_sphincter_change thirst_or_polyuria thyroid_symptoms
        vomiting_or_diarrhoea heavy_alcohol_use low_fluid_intake strenuous_exercise
        prolonged_standing_or_sitting tetanus_prone_wound unexplained_bruising_or_bleeding
        drinks_tonic_water_for_cramps weak_or_absent_foot_pulses rest_pain_in_foot
        foot_ulcer gangrene chest_pain_or_breathlessness sudden_cold_pale_pulseless_leg
        active_cancer
        paralysis_or_plaster_cast bedridden_or_recent_major_surgery deep_vein_tenderness
        whole_leg_swollen calf_swelling_3cm pitting_oedema_one_leg collateral_superficial_veins
        previous_dvt alternative_diagnosis_likely""",
    "conditions": """diabetes thyroid_disease chronic_kidney_disease dialysis liver_disease
        peripheral_arterial_disease lumbar_spinal_stenosis smoker""",
    "leg_signs": """telangiectasia_or_reticular_veins varicose_veins recurrent_varicose_veins
        venous_oedema pigmentation_or_eczema lipodermatosclerosis_or_atrophie_blanche
        corona_phlebectatica healed_venous_ulcer active_venous_ulcer
        recurrent_active_venous_ulcer venous_symptoms bleeding_varicose_vein
        superficial_vein_thrombosis""",
    "investigations": """u_and_e calcium magnesium tsh glucose_hba1c liver_function
        creatine_kinase ferritin vitamin_b12 pregnancy_test ankle_brachial_index d_dimer
        proximal_leg_vein_ultrasound venous_duplex_ultrasound medication_review
        full_blood_count free_t4""",
    "referrals": "vascular neurology emergency_department",
    "red_flags": """suspected_dvt acute_limb_ischaemia critical_limb_ischaemia
        bleeding_varicose_vein neuromuscular_signs cauda_equina tetanus_risk quinine_bleeding
        suspected_pulmonary_embolism critical_result confirmed_dvt""",
    "differentials": """idiopathic_nocturnal_leg_cramps restless_legs_syndrome
        peripheral_arterial_disease deep_vein_thrombosis chronic_venous_disease
        peripheral_neuropathy neuromuscular_disease lumbar_radiculopathy drug_induced_cramps
        statin_muscle_symptoms pregnancy_associated_cramps electrolyte_disturbance
        thyroid_disease diabetes liver_disease haematological_cause superficial_vein_thrombosis
        exercise_associated_cramps vitamin_b12_deficiency""",
    "actions": """review_diuretic review_medicine_causing_low_magnesium
        repeat_egfr_within_3_months confirm_diabetes diabetes_prevention_advice
        stop_statin_recheck_ck_in_7_days offer_oral_iron treat_vitamin_b12_deficiency
        no_compression compression_may_be_used dvt_unlikely_consider_other_causes
        start_anticoagulation repeat_ultrasound_in_6_to_8_days quinine_review""",
    "pregnancy": "none possible trimester_1 trimester_2 trimester_3 postpartum",
}
# The contract's result codes (version 2).
RESULT_CODES = """sodium potassium adjusted_calcium magnesium egfr tsh hba1c creatine_kinase
    ferritin vitamin_b12 ankle_brachial_index d_dimer proximal_leg_vein_ultrasound
    pregnancy_test""".split()


def test_the_shipped_knowledge_base_loads_with_a_version(kb):
    meta = yaml.safe_load((DEFAULT_KNOWLEDGE_BASE / "meta.yaml").read_text())
    assert kb.version == str(meta["version"]) and kb.version
    assert kb.contract == meta["contract"] == 2
    assert len(kb.rules) >= 60


def test_it_knows_exactly_the_contract_result_codes(kb):
    assert list(kb.results) == RESULT_CODES
    assert kb.vocabulary["finding_synonyms"] == {"foot_ulcer_or_gangrene": "foot_ulcer"}


@pytest.mark.parametrize("kind", sorted(CONTRACT_CODES))
def test_it_knows_exactly_the_contract_codes(kb, kind):
    known = kb.vocabulary[kind] if kind in kb.vocabulary else kb.catalogue[kind]
    assert set(known) == set(CONTRACT_CODES[kind].split())


@pytest.fixture
def broken(tmp_path):
    """broken(file, change) copies the knowledge base, lets `change` edit one file, loads it."""

    def _broken(name, change):
        target = tmp_path / "kb"
        shutil.copytree(DEFAULT_KNOWLEDGE_BASE, target)
        data = yaml.safe_load((target / name).read_text())
        change(data)
        (target / name).write_text(yaml.safe_dump(data, sort_keys=False))
        with pytest.raises(KnowledgeBaseError) as caught:
            load_knowledge_base(target)
        return str(caught.value)

    return _broken


def rule(data, rule_id):
    return next(r for r in data["rules"] if r["id"] == rule_id)


def test_a_rule_naming_an_unknown_investigation(broken):
    msg = broken("rules.yaml", lambda d: rule(d, "thyroid")["then"].update(investigations=["tssh"]))
    assert msg == "rules.yaml: rule 'thyroid': unknown investigation 'tssh'"


def test_a_rule_naming_an_unknown_finding(broken):
    msg = broken("rules.yaml", lambda d: rule(d, "tetanus").update(when={"findings": ["wound"]}))
    assert msg == "rules.yaml: rule 'tetanus': unknown finding 'wound'"


def test_a_rule_without_sources(broken):
    msg = broken("rules.yaml", lambda d: rule(d, "tetanus").update(sources=[]))
    assert msg == "rules.yaml: rule 'tetanus': cites no source"


def test_a_rule_citing_an_unknown_source(broken):
    msg = broken("rules.yaml", lambda d: rule(d, "tetanus").update(sources=["my_blog"]))
    assert msg == "rules.yaml: rule 'tetanus': cites unknown source 'my_blog'"


def test_a_rule_with_an_unknown_condition(broken):
    msg = broken("rules.yaml", lambda d: rule(d, "tetanus").update(when={"age_over": 60}))
    assert msg == "rules.yaml: rule 'tetanus': unknown condition 'age_over'"


def test_a_referral_without_urgency(broken):
    msg = broken(
        "rules.yaml",
        lambda d: rule(d, "cauda_equina")["then"].update(referrals=["emergency_department"]),
    )
    assert "rule 'cauda_equina': referral 'emergency_department' needs an urgency" in msg


def test_a_medication_class_without_a_source(broken):
    msg = broken("medications.yaml", lambda d: d["classes"]["statin"].update(sources=[]))
    assert msg == "medications.yaml: class 'statin': cites no source"


def test_a_medication_class_citing_an_unknown_source(broken):
    msg = broken("medications.yaml", lambda d: d["classes"]["statin"].update(sources=["my_blog"]))
    assert msg == "medications.yaml: class 'statin': cites unknown source 'my_blog'"


def test_a_drug_of_an_unknown_class(broken):
    msg = broken(
        "medications.yaml", lambda d: d["drugs"]["furosemide"].__setitem__("class", "diuretic")
    )
    assert msg == "medications.yaml: drug 'furosemide': unknown class 'diuretic'"


def test_a_brand_name_given_to_two_drugs(broken):
    msg = broken("medications.yaml", lambda d: d["drugs"]["bumetanide"]["names"].append("Lasix"))
    assert "drug 'bumetanide': name 'Lasix' is also drug 'furosemide'" in msg


def test_an_investigation_no_rule_recommends_is_an_orphan(broken):
    msg = broken(
        "catalogue.yaml",
        lambda d: d["investigations"].update(
            x_ray={"label": "X-ray", "kind": "imaging", "loinc": []}
        ),
    )
    assert msg == "catalogue.yaml: investigations 'x_ray': no rule recommends it"


def test_a_source_nothing_cites_is_an_orphan(broken):
    msg = broken(
        "sources.yaml",
        lambda d: d["sources"].update(
            unused={
                "short": "U",
                "title": "T",
                "publisher": "P",
                "year": 2020,
                "url": "https://x.org",
                "evidence": "primary",
            }
        ),
    )
    assert msg == "sources.yaml: source 'unused': nothing cites it"


def test_a_finding_no_rule_uses_is_an_orphan(broken):
    msg = broken("vocabulary.yaml", lambda d: d["findings"].update(hiccups={"label": "hiccups"}))
    assert msg == "vocabulary.yaml: findings 'hiccups': no rule or score uses it"


def test_a_wells_item_that_is_not_a_finding(broken):
    msg = broken("scores.yaml", lambda d: d["wells"]["items"].update(tall=1))
    assert msg == "scores.yaml: wells.items: unknown finding 'tall'"


def test_a_file_that_is_not_yaml(tmp_path):
    target = tmp_path / "kb"
    shutil.copytree(DEFAULT_KNOWLEDGE_BASE, target)
    (target / "rules.yaml").write_text("rules:\n  - id: [unclosed\n")
    with pytest.raises(KnowledgeBaseError, match=r"^rules.yaml: is not valid YAML at line \d+"):
        load_knowledge_base(target)


def test_a_missing_file(tmp_path):
    target = tmp_path / "kb"
    shutil.copytree(DEFAULT_KNOWLEDGE_BASE, target)
    (target / "scores.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"^scores.yaml: cannot be read"):
        load_knowledge_base(target)


def test_a_rule_change_is_a_data_change(tmp_path):
    """Raising the atypical-duration threshold in data changes the engine's answer."""
    from tests.factories import intake_data
    from workup.engine import recommend

    target = tmp_path / "kb"
    shutil.copytree(DEFAULT_KNOWLEDGE_BASE, target)
    scores = yaml.safe_load((target / "scores.yaml").read_text())
    scores["typical_cramp"]["longest_typical_minutes"] = 20
    (target / "scores.yaml").write_text(yaml.safe_dump(scores))
    intake = intake_data(cramps={"longest_minutes": 15})
    assert recommend(intake, load_knowledge_base(DEFAULT_KNOWLEDGE_BASE))["investigations"]
    assert recommend(intake, load_knowledge_base(target))["investigations"] == []


# -- The schema names the file and the entry -------------------------------------------------


def test_a_source_with_a_year_in_words(broken):
    msg = broken("sources.yaml", lambda d: d["sources"]["nice_ng158"].update(year="recent"))
    assert msg == "sources.yaml: source 'nice_ng158': year: must be a whole number"


def test_a_source_without_a_url(broken):
    msg = broken("sources.yaml", lambda d: d["sources"]["nice_ng158"].pop("url"))
    assert msg == "sources.yaml: source 'nice_ng158': url: missing"


def test_a_label_split_by_an_unquoted_comma(broken):
    msg = broken("vocabulary.yaml", lambda d: d["findings"]["gangrene"].update(wet=None))
    assert msg.startswith("vocabulary.yaml: findings 'gangrene': wet: unexpected key")


def test_a_red_flag_with_an_unknown_urgency(broken):
    msg = broken("catalogue.yaml", lambda d: d["red_flags"]["tetanus_risk"].update(urgency="soon"))
    assert "red flag 'tetanus_risk': urgency must be one of" in msg


def test_a_rule_without_a_title(broken):
    msg = broken("rules.yaml", lambda d: rule(d, "tetanus").pop("title"))
    assert msg == "rules.yaml: rule 'tetanus': title: missing"


def test_a_band_with_two_bounds(broken):
    msg = broken("results.yaml", lambda d: d["results"]["sodium"]["bands"][0].update(above=3))
    assert msg == (
        "results.yaml: result 'sodium': bands.0: needs exactly one of below, "
        "at_most, above, at_least"
    )


def test_a_numeric_result_without_a_unit(broken):
    msg = broken("results.yaml", lambda d: d["results"]["potassium"].pop("unit"))
    assert (
        msg == "results.yaml: result 'potassium': a numeric result needs unit, maximum and normal"
    )


def test_a_result_answering_an_unknown_investigation(broken):
    msg = broken("results.yaml", lambda d: d["results"]["egfr"].update(answers=["renal_panel"]))
    assert msg == "results.yaml: result 'egfr': answers unknown investigation 'renal_panel'"


# -- One registry of conditions: checked at load -------------------------------------------------


def test_a_rule_naming_an_unknown_result(broken):
    msg = broken(
        "rules.yaml",
        lambda d: rule(d, "low_egfr").update(
            when={"result": {"code": "creatinine", "side": "low"}}
        ),
    )
    assert msg == "rules.yaml: rule 'low_egfr': unknown result 'creatinine'"


def test_a_rule_naming_an_unknown_band(broken):
    msg = broken(
        "rules.yaml",
        lambda d: rule(d, "abpi_low").update(
            when={"result": {"code": "ankle_brachial_index", "band": ["mild"]}}
        ),
    )
    assert "rule 'abpi_low': result band 'mild' is not one of" in msg


def test_a_rule_referring_to_an_unknown_definition(broken):
    msg = broken("rules.yaml", lambda d: rule(d, "pregnancy").update(when={"ref": "expecting"}))
    assert msg == "rules.yaml: rule 'pregnancy': unknown definition 'expecting'"


def test_a_definition_that_refers_to_itself(broken):
    msg = broken("rules.yaml", lambda d: d["definitions"].update(loop={"ref": "loop"}))
    assert msg == "rules.yaml: definition 'loop': definition 'loop' refers to itself"


def test_a_whole_patient_condition_inside_same_leg(broken):
    msg = broken(
        "rules.yaml",
        lambda d: rule(d, "venous_referral").update(when={"same_leg": {"findings": ["gangrene"]}}),
    )
    assert msg == "rules.yaml: rule 'venous_referral': unknown condition 'findings' inside same_leg"


def test_the_wells_exception_is_a_checked_condition(broken):
    msg = broken("scores.yaml", lambda d: d["wells"].update(not_scored_when={"pregnant": True}))
    assert msg == "scores.yaml: wells.not_scored_when: unknown condition 'pregnant'"


def test_a_result_no_rule_uses_is_an_orphan(broken):
    def add(d):
        d["results"]["urate"] = {
            "label": "Urate",
            "kind": "numeric",
            "unit": "mmol/L",
            "answers": ["u_and_e"],
            "maximum": 2,
            "normal": "low",
            "sources": ["pathology_harmony"],
        }

    assert broken("results.yaml", add) == "results.yaml: result 'urate': no rule uses it"


def test_an_action_no_rule_gives_is_an_orphan(broken):
    msg = broken("catalogue.yaml", lambda d: d["actions"].update(rest={"label": "Rest"}))
    assert msg == "catalogue.yaml: actions 'rest': no rule recommends it"


def test_every_condition_describes_itself_for_the_knowledge_base_page(kb):
    for r in kb.rules:
        text = r.when.describe()
        assert text and "object at" not in text, r.id


def test_a_threshold_change_is_a_data_change(tmp_path):
    """A laboratory's own potassium range, set in results.yaml, changes the flag."""
    from tests.factories import intake_data
    from workup.engine import recommend

    target = tmp_path / "kb"
    shutil.copytree(DEFAULT_KNOWLEDGE_BASE, target)
    data = yaml.safe_load((target / "results.yaml").read_text())
    low = next(b for b in data["results"]["potassium"]["bands"] if b["band"] == "low")
    low["below"] = 3.3
    (target / "results.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    intake = intake_data(results=[{"code": "potassium", "value": 3.4}])
    assert (
        recommend(intake, load_knowledge_base(DEFAULT_KNOWLEDGE_BASE))["results"][0]["flag"]
        == "low"
    )
    assert recommend(intake, load_knowledge_base(target))["results"][0]["flag"] == "normal"


# -- Every statement the handout may need exists --------------------------------------------------


def test_an_action_without_patient_text(broken):
    msg = broken("handout.yaml", lambda d: d["actions"].pop("offer_oral_iron"))
    assert msg == "handout.yaml: actions 'offer_oral_iron': has no patient text"


def test_a_result_flag_without_patient_text(broken):
    msg = broken("handout.yaml", lambda d: d["results"]["potassium"].pop("critical"))
    assert msg == "handout.yaml: results 'potassium' flag 'critical': has no patient text"


def test_a_medicine_class_without_plain_words(broken):
    msg = broken("handout.yaml", lambda d: d["medicine_classes"].pop("loop_diuretic"))
    assert msg == "handout.yaml: medicine_classes 'loop_diuretic': has no patient text"


def test_a_handout_statement_without_a_source(broken):
    msg = broken("handout.yaml", lambda d: d["venous_self_care"][0].pop("sources"))
    assert msg == "handout.yaml: venous_self_care[0]: cites no source"


def test_a_medicine_condition_says_in_words_what_the_patient_takes():
    from workup.engine.conditions import MedicationClasses, MedicationDrugs

    classes = MedicationClasses(codes=("loop_diuretic", "thiazide_diuretic"))
    assert classes.describe() == "takes a medicine class: loop_diuretic, thiazide_diuretic"
    assert MedicationDrugs(codes=("quinine",)).describe() == "takes a drug: quinine"
