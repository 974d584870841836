"""Workup review, decisions and the patient page."""

import pytest
from django.urls import reverse

from tests.factories import PatientFactory, consultation_for
from workup.clinic.models import Decision

pytestmark = pytest.mark.django_db


def decide(client, consultation, kind, code, action, reason=""):
    return client.post(
        reverse("decision_record", args=[consultation.public_id]),
        {"kind": kind, "code": code, "action": action, "reason": reason},
    )


def test_the_review_shows_red_flags_as_banners_with_action_and_urgency(login, gp, consultation):
    html = (
        login(gp)
        .get(reverse("consultation_review", args=[consultation.public_id]))
        .content.decode()
    )
    banner = html[html.index('class="alert alert-danger red-flag"') :]
    assert "SAME DAY: Suspected deep vein thrombosis" in banner
    assert "Assess today with the two-level Wells score" in banner
    assert html.index("red-flag") < html.index("Investigations")


def test_the_review_shows_reasons_sources_scores_and_linked_medicines(login, gp, consultation):
    html = (
        login(gp)
        .get(reverse("consultation_review", args=[consultation.public_id]))
        .content.decode()
    )
    assert "Takes Lasix 40mg: furosemide, a loop diuretic." in html
    assert '<a href="https://www.nice.org.uk/guidance/ng158"' in html
    assert "Two-level Wells score</span> <strong>2</strong> — DVT likely" in html
    assert "CEAP left leg" in html and "C0, asymptomatic" in html
    assert '<tr class="med-linked">' in html and "LOINC 2951-2" in html


def test_a_gp_accepts_an_item(login, gp, consultation):
    response = decide(login(gp), consultation, "investigations", "u_and_e", "accept")
    assert response.status_code == 302 and response.url.endswith("#investigations-u_and_e")
    decision = Decision.objects.get()
    assert (decision.accepted, decision.decided_by, decision.code) == (True, gp, "u_and_e")


def test_declining_needs_a_reason(login, gp, consultation):
    client = login(gp)
    response = decide(client, consultation, "investigations", "u_and_e", "decline", "  ")
    assert not Decision.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Give a reason for declining." in page
    decide(client, consultation, "investigations", "u_and_e", "decline", "Checked last week")
    decision = Decision.objects.get()
    assert decision.accepted is False and decision.reason == "Checked last week"


def test_a_gp_can_change_their_mind_and_the_history_keeps_both(login, gp, consultation):
    client = login(gp)
    decide(client, consultation, "referrals", "vascular", "accept")
    assert not Decision.objects.exists()  # no vascular referral in this assessment
    decide(client, consultation, "differentials", "deep_vein_thrombosis", "accept")
    decide(client, consultation, "differentials", "deep_vein_thrombosis", "decline", "Ruled out")
    decision = Decision.objects.get()
    assert decision.accepted is False
    assert [h.accepted for h in decision.history.order_by("history_date")] == [True, False]


def test_a_bad_action_is_refused(login, gp, consultation):
    assert decide(login(gp), consultation, "investigations", "u_and_e", "maybe").status_code == 400


def test_the_patient_page_shows_visits_chart_ceap_and_decisions(login, gp, patient):
    from datetime import date, timedelta

    first = consultation_for(
        patient,
        gp,
        day=date.today() - timedelta(days=60),
        cramps={"episodes_per_week": 6},
        left=["varicose_veins"],
    )
    second = consultation_for(
        patient,
        gp,
        cramps={"episodes_per_week": 2},
        left=["varicose_veins", "venous_symptoms"],
        medications=["Lasix"],
    )
    client = login(gp)
    decide(client, second, "investigations", "medication_review", "accept")
    decide(client, second, "investigations", "u_and_e", "decline", "Done at the renal clinic")
    html = client.get(reverse("patient_detail", args=[patient.public_id])).content.decode()
    assert '<svg class="cramp-chart"' in html and "6 a week" in html and "2 a week" in html
    assert html.index(second.date.strftime("%-d %b %Y")) < html.rindex(
        first.date.strftime("%-d %b %Y")
    )
    assert "C2, asymptomatic" in html and "C2, symptomatic" in html
    assert 'Medication review: <span class="text-success fw-semibold">accepted</span>' in html
    assert "declined</span> — “Done at the renal clinic”" in html


@pytest.mark.parametrize(
    "view", ["patient_list", "patient_detail", "consultation_review", "consultation_edit"]
)
def test_query_counts_stay_bounded_however_many_patients_and_items(login, gp, patient, view):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(gp)

    def url(c):
        return {
            "patient_list": reverse("patient_list"),
            "patient_detail": reverse("patient_detail", args=[patient.public_id]),
            "consultation_review": reverse("consultation_review", args=[c.public_id]),
            "consultation_edit": reverse("consultation_edit", args=[c.public_id]),
        }[view]

    def count(c):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(c)).status_code == 200
        return len(ctx)

    small = consultation_for(patient, gp)
    few = count(small)
    for _ in range(15):
        PatientFactory(practice=patient.practice)
    big = consultation_for(
        patient,
        gp,
        medications=["Lasix", "Seretide", "Lipitor"],
        findings=["calf_swelling_3cm", "muscle_wasting", "thyroid_symptoms"],
        left=["varicose_veins", "venous_symptoms"],
    )
    for item in big.assessment["investigations"]:
        decide(client, big, "investigations", item["code"], "accept")
    for _ in range(5):
        consultation_for(patient, gp)
    assert count(big) <= few
    assert few <= 12
