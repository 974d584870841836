"""Differential testing of the documents over thousands of generated intakes (hypothesis).

What a patient or a laboratory reads must hold for every intake, not only for the examples:
a red flag never sits beside "no tests needed" or "not serious", a clot handout never tells
the patient to rub or stretch the leg, and the lab request lists only accepted tests.
The handout's words are built without drawing the PDF (the PDF tests read the text back for
each rule of REFERENCE section 7; here the point is the number of cases).
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine.intakes import any_intake
from workup.documents.content import (
    DocumentInput,
    clinical_context,
    handout_context,
    is_gp_action,
)
from workup.engine import DECIDABLE, DEFAULT_KNOWLEDGE_BASE, load_knowledge_base, recommend

KB = load_knowledge_base(DEFAULT_KNOWLEDGE_BASE)
H = KB.handout
many = settings(
    max_examples=800,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _words(context: dict) -> str:
    """Every sentence the handout would print, as one text."""
    out = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(v)

    walk(context)
    return "\n".join(out)


@st.composite
def decided(draw):
    """An intake, its assessment, and a GP's random accept/decline of each item."""
    intake = draw(any_intake)
    assessment = recommend(intake, KB)
    accepted = {
        kind: [i["code"] for i in assessment[kind] if draw(st.booleans())] for kind in DECIDABLE
    }
    return intake, assessment, accepted


@many
@given(decided())
def test_a_red_flag_never_sits_beside_no_tests_needed_or_not_serious(case):
    intake, assessment, accepted = case
    text = _words(handout_context(DocumentInput(intake, assessment, accepted), KB))
    if assessment["red_flags"]:
        assert H["no_tests_needed"]["text"] not in text
        assert H["reassurance"]["text"] not in text


@many
@given(decided())
def test_a_clot_handout_never_says_rub_or_stretch_the_leg(case):
    intake, assessment, accepted = case
    context = handout_context(DocumentInput(intake, assessment, accepted), KB)
    codes = {f["code"] for f in assessment["red_flags"]}
    if codes & {"suspected_dvt", "confirmed_dvt", "suspected_pulmonary_embolism"}:
        text = _words(context)
        assert not context["stretch_steps"] and not context["during"]
        for statement in H["during_cramp"]:
            assert statement["text"] not in text
        assert H["clot"]["lung_warning"]["text"] in text or "suspected_pulmonary_embolism" in codes


@many
@given(decided())
def test_every_handout_names_the_lung_clot_and_cold_leg_emergencies(case):
    intake, assessment, accepted = case
    context = handout_context(DocumentInput(intake, assessment, accepted), KB)
    emergency = " ".join(context["emergency"]).lower()
    assert "chest" in emergency and "cold" in emergency


@many
@given(decided())
def test_the_lab_request_lists_only_accepted_tests(case):
    intake, assessment, accepted = case
    context = clinical_context(DocumentInput(intake, assessment, accepted), KB)
    listed = [i["code"] for i in context["accepted_investigations"]]
    assert set(listed) <= set(accepted["investigations"])
    assert listed == [  # a medication review is the GP's to do, never a test requested
        i["code"]
        for i in assessment["investigations"]
        if i["code"] in accepted["investigations"] and not is_gp_action(KB, i["code"])
    ]


@many
@given(decided())
def test_what_the_gp_typed_never_reaches_the_patient(case):
    intake, assessment, accepted = case
    context = handout_context(DocumentInput(intake, assessment, accepted), KB)
    listed = _words(context["medicines"])
    for typed in intake.get("medications", []):
        if any(ch.isdigit() for ch in typed):  # a dose: "Furosemide 40mg"
            assert typed not in listed
