"""The demo's cases for closing the workup (issue 11), in each practice, as a clinician finds
them: the latest visit's assessment, its decisions, its results, and what a visit today would
be told about earlier requests."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from workup.accounts.models import User
from workup.clinic import selectors, services
from workup.clinic.models import Patient
from workup.documents.models import Document
from workup.engine import recommend
from workup.knowledge.loading import knowledge_base

pytestmark = pytest.mark.django_db

# Each practice's patient for each case, by MRN (the demo's key for a patient).
CASES = {
    "Northside Surgery": {
        "results_awaited": "N-1014",
        "low_potassium_follow_up": "N-1015",
        "critical_potassium": "N-1016",
        "positive_d_dimer": "N-1017",
        "quinine": "N-1018",
        "abpi_and_ulcer": "N-1019",
        "letter_not_printed": "N-1020",
    },
    "Southside Surgery": {
        "results_awaited": "S-2011",
        "low_potassium_follow_up": "S-2012",
        "critical_potassium": "S-2013",
        "positive_d_dimer": "S-2014",
        "quinine": "S-2015",
        "abpi_and_ulcer": "S-2016",
        "letter_not_printed": "S-2017",
    },
}
PRACTICES = list(CASES)


@pytest.fixture
def demo(db):
    call_command("seed_demo")

    def case(practice: str, name: str):
        """The case's patient and their latest consultation."""
        patient = Patient.objects.get(practice__name=practice, mrn=CASES[practice][name])
        return patient, selectors.consultation_latest(patient=patient)

    return case


def item(assessment: dict, kind: str, code: str) -> dict | None:
    return next((i for i in assessment.get(kind, []) if i["code"] == code), None)


def codes(assessment: dict, kind: str) -> set[str]:
    return {i["code"] for i in assessment.get(kind, [])}


def decided(consultation, kind: str, code: str) -> bool:
    return consultation.decisions.filter(kind=kind, code=code).exists()


def visit_today(patient, consultation) -> dict:
    """What the engine tells a GP who sees the patient again today, with the same medicines."""
    day = date.today()
    medications = consultation.intake.get("medications", [])
    history = selectors.intake_history(patient=patient, day=day, medications=medications)
    intake = services.patient_intake(
        patient=patient,
        day=day,
        cramps=consultation.intake["cramps"],
        medications=medications,
        **history,
    )
    return recommend(intake, knowledge_base())


def test_each_practice_gains_seven_new_patients_in_its_own_mrn_pattern(demo):
    for practice, cases in CASES.items():
        prefix = practice[0] + "-"
        assert all(mrn.startswith(prefix) for mrn in cases.values())
        patients = Patient.objects.filter(practice__name=practice, mrn__in=cases.values())
        assert patients.count() == 7
        assert len({p.name for p in patients}) == 7


@pytest.mark.parametrize("practice", PRACTICES)
def test_a_patient_with_results_awaited(demo, practice):
    patient, latest = demo(practice, "results_awaited")
    assert latest.date < date.today()
    assert list(selectors.results_requested(consultation=latest)) == ["u_and_e"]
    assert not patient.results.exists()
    # seen again today, the U&E is shown as requested and awaited, not offered as new
    again = visit_today(patient, latest)
    assert item(again, "investigations", "u_and_e")["already_requested"] == latest.date.isoformat()


@pytest.mark.parametrize("practice", PRACTICES)
def test_a_follow_up_with_a_low_potassium_on_a_diuretic(demo, practice):
    patient, latest = demo(practice, "low_potassium_follow_up")
    first, second = patient.consultations.order_by("date")
    assert second == latest
    assert first.decisions.get(kind="investigations", code="u_and_e").accepted
    potassium = patient.results.get(code="potassium")
    assert potassium.consultation == first
    assert potassium.number == Decimal("3.1")
    assert first.date < potassium.taken_on < second.date
    assert potassium.recorded_at < second.created_at  # the follow-up was made after the result
    # the follow-up carries the result, flagged, and the action that follows, for the GP
    assert item(latest.assessment, "results", "potassium")["flag"] == "low"
    assert "review_diuretic" in codes(latest.assessment, "actions")
    assert not decided(latest, "actions", "review_diuretic")
    assert not latest.intake.get("previous")  # the U&E is answered: nothing outstanding
    assert not latest.assessment["red_flags"]


@pytest.mark.parametrize("practice", PRACTICES)
def test_a_critical_potassium_not_yet_acknowledged(demo, practice):
    patient, latest = demo(practice, "critical_potassium")
    potassium = patient.results.get(code="potassium")
    assert potassium.number == Decimal("6.6")
    assert potassium.flag == "critical"
    assert potassium.must_acknowledge
    assert potassium.acknowledged_at is None and potassium.acknowledged_by is None
    assert item(latest.assessment, "results", "potassium")["flag"] == "critical"
    red_flag = item(latest.assessment, "red_flags", "critical_result")
    assert red_flag is not None and red_flag["urgency"] == "emergency"


@pytest.mark.parametrize("practice", PRACTICES)
def test_a_positive_d_dimer_after_an_unlikely_wells_score(demo, practice):
    patient, latest = demo(practice, "positive_d_dimer")
    assert latest.date >= date.today() - timedelta(days=1)
    assert latest.assessment["wells_score"] <= 1
    assert latest.decisions.get(kind="investigations", code="d_dimer").accepted
    d_dimer = patient.results.get(code="d_dimer")
    assert (d_dimer.coded, d_dimer.flag) == ("positive", "positive")
    assert d_dimer.must_acknowledge and d_dimer.acknowledged_at is None
    assert item(latest.assessment, "results", "d_dimer")["flag"] == "positive"
    scan = item(latest.assessment, "investigations", "proximal_leg_vein_ultrasound")
    assert scan is not None and "within 4 hours" in " ".join(scan["reasons"])
    assert not decided(latest, "investigations", "proximal_leg_vein_ultrasound")


@pytest.mark.parametrize("practice", PRACTICES)
def test_a_patient_on_quinine_started_over_four_weeks_ago(demo, practice):
    patient, latest = demo(practice, "quinine")
    started = date.fromisoformat(latest.intake["quinine_started"])
    assert started < date.today() - timedelta(days=28)
    assert patient.consultations.count() == 1  # no review since
    assert "quinine_review" in codes(latest.assessment, "actions")
    assert not decided(latest, "actions", "quinine_review")


@pytest.mark.parametrize("practice", PRACTICES)
def test_an_abpi_of_0_7_with_an_active_venous_ulcer(demo, practice):
    patient, latest = demo(practice, "abpi_and_ulcer")
    assert "C6" in {leg["class"] for leg in latest.assessment["ceap"].values()}
    assert latest.decisions.get(kind="investigations", code="ankle_brachial_index").accepted
    abpi = patient.results.get(code="ankle_brachial_index")
    assert abpi.number == Decimal("0.7")
    assert item(latest.assessment, "results", "ankle_brachial_index")["flag"] == "low"
    assert "no_compression" in codes(latest.assessment, "actions")
    assert item(latest.assessment, "referrals", "vascular")["urgency"] == "urgent"
    assert not decided(latest, "actions", "no_compression")
    assert not decided(latest, "referrals", "vascular")


@pytest.mark.parametrize("practice", PRACTICES)
def test_an_accepted_vascular_referral_with_no_letter_printed(demo, practice):
    patient, latest = demo(practice, "letter_not_printed")
    assert latest.assessment["ceap"]["left"]["symptomatic"]
    assert latest.decisions.get(kind="referrals", code="vascular").accepted
    assert not Document.objects.filter(consultation__patient=patient).exists()
    # seen again today, the referral is shown as already made, not offered as new
    again = visit_today(patient, latest)
    assert item(again, "referrals", "vascular")["already_requested"] == latest.date.isoformat()


@pytest.mark.parametrize("practice", PRACTICES)
def test_each_case_opens_for_the_practices_gp(demo, practice, client):
    gp = User.objects.get(practice__name=practice, role=User.Role.GP)
    client.force_login(gp)
    for name in CASES[practice]:
        patient, latest = demo(practice, name)
        for url in (
            reverse("patient_detail", args=[patient.public_id]),
            reverse("consultation_review", args=[latest.public_id]),
        ):
            assert client.get(url).status_code == 200, (name, url)
