"""Workup review, decisions (in place, Accept all, Undo, one decision per real-world action)
and the patient page."""

import re

import pytest
from django.urls import reverse

from tests.factories import PatientFactory, consultation_for, record, visit_for
from workup.clinic.models import Decision

pytestmark = pytest.mark.django_db

VEINS = {"left": ["varicose_veins", "venous_symptoms"]}  # a routine vascular referral
ULCER = {"left": ["varicose_veins", "active_venous_ulcer"]}  # an urgent one


def decide(client, consultation, kind, code, action, reason=""):
    return client.post(
        reverse("decision_record", args=[consultation.public_id]),
        {"kind": kind, "code": code, "action": action, "reason": reason},
    )


def review_url(consultation):
    return reverse("consultation_review", args=[consultation.public_id])


def in_place(browser, consultation, kind, code, action, reason=""):
    """A decision made from the review page by its script (htmx): CSRF token in the header."""
    return browser.htmx_post(
        review_url(consultation),
        reverse("decision_record", args=[consultation.public_id]),
        {"kind": kind, "code": code, "action": action, "reason": reason},
    )


def accept_all(browser, consultation):
    return browser.htmx_post(
        review_url(consultation),
        reverse("decisions_accept_all", args=[consultation.public_id]),
        {},
    )


def flat(response) -> str:
    return " ".join(response.content.decode().split())


def card(html: str, item_id: str) -> str:
    """The HTML of one item's card (up to the next card or the end of its section)."""
    start = html.index(f'id="{item_id}"')
    ends = [html.find(m, start + 1) for m in ('class="item-card', "<h2", "hx-swap-oob")]
    return html[start : min([e for e in ends if e > 0] or [len(html)])]


def accepted(consultation):
    return {
        (d.kind, d.code): d.accepted for d in Decision.objects.filter(consultation=consultation)
    }


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


# -- Decisions in place (htmx) ------------------------------------------------------------------


def test_accepting_in_place_returns_only_that_item_collapsed_to_one_line(browser, gp, consultation):
    response = in_place(browser(gp), consultation, "investigations", "u_and_e", "accept")
    assert response.status_code == 200
    html = flat(response)
    assert "<html" not in html and "<nav" not in html  # a fragment, not the page
    item = card(html, "investigations-u_and_e")
    assert "Accepted" in item and "by " in item and "Undo" in item
    assert 'value="accept"' not in item and "<textarea" not in item  # no buttons left
    # the summary and the Print panel follow, out of band; the change is announced
    assert 'id="decision-summary" hx-swap-oob="innerHTML"' in html
    assert 'id="print-section" hx-swap-oob="innerHTML"' in html and "Lab request" in html
    assert "Urea and electrolytes (sodium, potassium, creatinine, eGFR): accepted." in html
    assert accepted(consultation) == {("investigations", "u_and_e"): True}


def test_a_decision_in_place_needs_the_csrf_token(browser, gp, consultation):
    b = browser(gp)
    response = b.client.post(
        reverse("decision_record", args=[consultation.public_id]),
        {"kind": "investigations", "code": "u_and_e", "action": "accept"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    response = b.client.post(
        reverse("decisions_accept_all", args=[consultation.public_id]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_declining_without_a_reason_shows_the_error_beside_the_field(browser, gp, consultation):
    html = flat(in_place(browser(gp), consultation, "investigations", "u_and_e", "decline", " "))
    item = card(html, "investigations-u_and_e")
    field = re.search(r"<textarea[^>]*>", item).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="reason-error-investigations-u_and_e"' in field
    error = item[item.index('id="reason-error-investigations-u_and_e"') :]
    assert error.index("Give a reason for declining.") < 80  # right beside the field
    assert '<details class="decline flex-grow-1" open>' in item  # the box stays open
    assert not Decision.objects.exists()


def test_a_refused_reason_is_kept_as_typed(browser, gp, consultation):
    typed = "Checked at the renal clinic. " * 40  # 1,160 characters: over the limit
    html = in_place(browser(gp), consultation, "investigations", "u_and_e", "decline", typed)
    item = card(html.content.decode(), "investigations-u_and_e")
    assert "at most 1,000 characters" in item
    assert typed[:1000] in item  # what the box can hold is all there
    assert not Decision.objects.exists()


def test_a_long_decline_reason_is_shown_whole_on_the_decided_line(browser, gp, consultation):
    reason = "Done at the renal clinic last week, normal; " * 20
    html = flat(in_place(browser(gp), consultation, "investigations", "u_and_e", "decline", reason))
    item = card(html, "investigations-u_and_e")
    assert "Declined" in item and "text-break decision-reason" in item
    assert " ".join(reason.split()) in item  # never cut off
    assert Decision.objects.get().reason == reason.strip()


def test_undo_removes_the_decision_and_the_history_keeps_it(browser, gp, consultation):
    b = browser(gp)
    in_place(b, consultation, "differentials", "drug_induced_cramps", "decline", "Not likely")
    html = flat(in_place(b, consultation, "differentials", "drug_induced_cramps", "undo"))
    item = card(html, "differentials-drug_induced_cramps")
    assert 'value="accept"' in item and "Decline" in item  # waiting for a decision again
    assert "decision undone" in html
    assert not Decision.objects.exists()
    history = Decision.history.filter(code="drug_induced_cramps").order_by("history_date")
    assert [(h.history_type, h.accepted) for h in history] == [("+", False), ("-", False)]


def test_undo_without_script_redirects_back_to_the_item(login, gp, consultation):
    client = login(gp)
    decide(client, consultation, "investigations", "u_and_e", "accept")
    response = decide(client, consultation, "investigations", "u_and_e", "undo")
    assert response.status_code == 302 and response.url.endswith("#investigations-u_and_e")
    assert not Decision.objects.exists()


def test_a_test_with_its_result_cannot_be_undone(browser, gp, nurse, consultation):
    b = browser(gp)
    in_place(b, consultation, "investigations", "u_and_e", "accept")
    record(consultation, nurse, potassium=4.1)
    html = flat(in_place(b, consultation, "investigations", "u_and_e", "undo"))
    assert "A result is recorded for this test, so it stays accepted." in html
    assert accepted(consultation) == {("investigations", "u_and_e"): True}
    page = b.get(review_url(consultation)).content.decode()
    assert 'aria-label="Undo the decision on Urea' not in page


def test_only_a_gp_decides_undoes_or_accepts_all(browser, gp, nurse, consultation):
    decide_as_gp = browser(gp)
    in_place(decide_as_gp, consultation, "investigations", "u_and_e", "accept")
    b = browser(nurse)
    page = b.get(review_url(consultation)).content.decode()
    assert "A GP accepts or declines each recommendation." in page
    for control in ('value="accept"', 'value="decline"', 'value="undo"', "Accept all", "<textarea"):
        assert control not in page
    assert "Accepted" in card(page, "investigations-u_and_e")  # the decision is shown
    assert in_place(b, consultation, "investigations", "u_and_e", "undo").status_code == 403
    assert accept_all(b, consultation).status_code == 403
    assert accepted(consultation) == {("investigations", "u_and_e"): True}


# -- Accept all not yet decided -----------------------------------------------------------------


def test_accept_all_leaves_the_red_flags_items_to_their_own_click(browser, gp, consultation):
    b = browser(gp)
    in_place(b, consultation, "investigations", "calcium", "decline", "Done last month")
    page = flat(b.get(review_url(consultation)))
    summary = page[page.index('id="decision-summary"') : page.index('id="decision-status"')]
    assert "Accept all not yet decided (5)" in summary
    assert "Not included, each needs its own click" in summary
    assert "Proximal leg-vein ultrasound (within 4 hours)</a> (goes with the red flag" in summary
    assert "Deep vein thrombosis</a> (goes with the red flag: suspected deep vein" in summary
    ultrasound = card(page, "investigations-proximal_leg_vein_ultrasound")
    assert "Decide on its own" in ultrasound

    html = flat(accept_all(b, consultation))
    assert "<html" not in html and 'id="decisions"' in html
    assert "5 items accepted." in html
    assert accepted(consultation) == {
        ("investigations", "u_and_e"): True,
        ("investigations", "calcium"): False,  # decided before: kept as it was
        ("investigations", "magnesium"): True,
        ("investigations", "medication_review"): True,
        ("differentials", "drug_induced_cramps"): True,
        ("differentials", "electrolyte_disturbance"): True,
    }
    # what is left is what needs its own click; the button is gone
    summary = html[html.index('id="decision-summary"') :]
    assert "2 items awaiting your decision." in summary and "Accept all" not in summary


def test_accept_all_never_accepts_an_urgent_referral(browser, gp, patient):
    visit = consultation_for(patient, gp, **ULCER)
    assert {"code": "vascular", "urgency": "urgent"}.items() <= visit.assessment["referrals"][
        0
    ].items()
    accept_all(browser(gp), visit)
    decided = accepted(visit)
    assert ("referrals", "vascular") not in decided
    # nor the duplex, which is decided with it
    assert ("investigations", "venous_duplex_ultrasound") not in decided
    assert decided[("investigations", "ankle_brachial_index")] is True


def test_accept_all_never_accepts_what_was_requested_at_an_earlier_visit(browser, gp, patient, kb):
    from datetime import date, timedelta

    first = consultation_for(patient, gp, day=date.today() - timedelta(days=20), **VEINS)
    decide_first = browser(gp)
    in_place(decide_first, first, "referrals", "vascular", "accept")
    follow_up = visit_for(patient, gp, **VEINS)
    vascular = next(r for r in follow_up.assessment["referrals"] if r["code"] == "vascular")
    assert vascular["already_requested"]
    accept_all(decide_first, follow_up)
    assert ("referrals", "vascular") not in accepted(follow_up)
    # the duplex goes with the referral still awaited: not offered again
    assert ("investigations", "venous_duplex_ultrasound") not in accepted(follow_up)
    assert accepted(follow_up)[("differentials", "chronic_venous_disease")] is True
    page = flat(decide_first.get(review_url(follow_up)))
    assert 'id="investigations-venous_duplex_ultrasound"' not in page
    referral = card(page, "referrals-vascular")
    assert "reply awaited" in referral and "Includes venous duplex ultrasound" in referral


def test_accept_all_without_script_redirects_with_what_it_did(browser, gp, consultation):
    b = browser(gp)
    response = b.submit(
        review_url(consultation),
        {},
        action=reverse("decisions_accept_all", args=[consultation.public_id]),
    )
    assert response.status_code == 302 and response.url.endswith("#decisions")
    assert "6 items accepted." in b.get(response.url).content.decode()


# -- One decision per real-world action --------------------------------------------------------


def test_the_duplex_is_decided_with_the_vascular_referral(browser, gp, patient):
    visit = consultation_for(patient, gp, **VEINS)
    b = browser(gp)
    page = flat(b.get(review_url(visit)))
    assert 'id="investigations-venous_duplex_ultrasound"' not in page  # no card of its own
    referral = card(page, "referrals-vascular")
    assert "Includes venous duplex ultrasound" in referral
    assert "the vascular service does the venous duplex ultrasound" in referral.lower()

    html = flat(in_place(b, visit, "referrals", "vascular", "accept"))
    assert "includes venous duplex ultrasound" in card(html, "referrals-vascular")
    assert "Referral letter: vascular" in html  # the Print panel, out of band
    duplex = Decision.objects.get(consultation=visit, code="venous_duplex_ultrasound")
    assert duplex.accepted and duplex.kind == "investigations"  # as the documents read it

    in_place(b, visit, "referrals", "vascular", "decline", "Seen privately")
    duplex.refresh_from_db()
    assert (duplex.accepted, duplex.reason) == (False, "Seen privately")

    in_place(b, visit, "referrals", "vascular", "undo")
    assert not Decision.objects.filter(consultation=visit).exists()


def test_the_medication_review_is_shown_and_decided_under_actions(browser, gp, consultation):
    b = browser(gp)
    page = flat(b.get(review_url(consultation)))
    actions = page.index('<h2 class="h5 mt-3">Actions</h2>')
    investigations = page.index('<h2 class="h5 mt-3">Investigations</h2>')
    assert actions < page.index('id="investigations-medication_review"') < investigations
    in_place(b, consultation, "investigations", "medication_review", "accept")
    assert accepted(consultation) == {("investigations", "medication_review"): True}


def test_the_patient_page_shows_the_duplex_with_its_referral(login, gp, patient):
    visit = consultation_for(patient, gp, **VEINS)
    client = login(gp)
    decide(client, visit, "referrals", "vascular", "accept")
    html = client.get(reverse("patient_detail", args=[patient.public_id])).content.decode()
    assert "Vascular service (routine), includes venous duplex ultrasound: <span" in html
    assert "Venous duplex ultrasound (by the vascular service):" not in html


# -- The live panel beside the intake: one line per item, details on demand ---------------------


def test_the_live_panel_shows_one_line_per_item_with_details_on_demand(browser, gp, patient):
    from tests.factories import INTAKE_POST

    live = flat(
        browser(gp).htmx_post(
            reverse("consultation_create", args=[patient.public_id]),
            reverse("live_assessment", args=[patient.public_id]),
            {
                **INTAKE_POST,
                "left_leg": ["varicose_veins", "venous_symptoms"],
                "examination": ["calf_swelling_3cm", "deep_vein_tenderness"],
            },
            form_id="intake-form",
        )
    )
    assert live.index("red-flag") < live.index("live-items")  # red flags first
    line = live[live.index('id="live-investigations-u_and_e"') :]
    line = line[: line.index('id="live-', 10)]
    summary = line[line.index("<summary>") : line.index("</summary>")]
    assert "Urea and electrolytes" in summary and "LOINC" not in summary
    assert "LOINC 2951-2" in line and "Sources:" in line  # on demand, inside <details>
    referral = live[live.index('id="live-referrals-vascular"') :]
    assert "Routine" in referral[: referral.index("</summary>")]
    assert "includes venous duplex ultrasound" in referral[: referral.index("</summary>")]
    assert 'id="live-investigations-venous_duplex_ultrasound"' not in live
    actions = live.index(">Actions</h3>")
    assert actions < live.index('id="live-investigations-medication_review"')
    assert live.index('id="live-investigations-medication_review"') < live.index(
        ">Investigations</h3>"
    )


def test_a_decision_in_place_takes_as_few_queries_however_many_items(browser, gp, patient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.browsing import HX_TOKEN

    b = browser(gp)

    def count(visit):
        token = HX_TOKEN.findall(b.get(review_url(visit)).content.decode())[-1]
        with CaptureQueriesContext(connection) as ctx:
            response = b.client.post(
                reverse("decision_record", args=[visit.public_id]),
                {"kind": "differentials", "code": "drug_induced_cramps", "action": "accept"},
                HTTP_X_CSRFTOKEN=token,
                HTTP_HX_REQUEST="true",
            )
        assert response.status_code == 200 and "drug_induced_cramps" in response.content.decode()
        return len(ctx)

    few = count(consultation_for(patient, gp, medications=["Lasix"]))
    big = consultation_for(
        patient,
        gp,
        medications=["Lasix", "Seretide", "Lipitor"],
        findings=["calf_swelling_3cm", "muscle_wasting", "thyroid_symptoms"],
        left=["varicose_veins", "venous_symptoms"],
    )
    for code in ("u_and_e", "calcium", "magnesium", "creatine_kinase"):
        in_place(b, big, "investigations", code, "accept")
    assert count(big) <= few
    assert few <= 25


def test_an_item_gone_since_the_page_was_drawn_says_so_in_its_place(browser, gp, patient):
    from workup.clinic.services import consultation_update_intake, patient_intake

    visit = consultation_for(patient, gp, medications=["Lasix 40mg"])
    b = browser(gp)
    page = review_url(visit)
    token_page = b.get(page)  # the GP opens the workup...
    assert 'id="investigations-u_and_e"' in token_page.content.decode()
    intake = patient_intake(patient=patient, day=visit.date, cramps=visit.intake["cramps"])
    consultation_update_intake(  # ...someone removes the diuretic meanwhile
        consultation=visit, intake=intake, user=gp, expected_version=visit.version
    )
    response = in_place(b, visit, "investigations", "u_and_e", "accept")
    assert response.status_code == 200
    item = card(flat(response), "investigations-u_and_e")
    assert "no longer part of the assessment" in item and "Nothing was recorded" in item
    assert not Decision.objects.exists()


def test_deciding_in_place_and_accepting_all_are_in_the_access_log(browser, gp, consultation):
    from workup.audit.models import AccessEvent

    b = browser(gp)
    in_place(b, consultation, "investigations", "u_and_e", "accept")
    accept_all(b, consultation)
    events = AccessEvent.objects.filter(action=AccessEvent.Action.RECORD_DECISION)
    assert events.count() == 2
    assert {e.consultation for e in events} == {consultation.public_id}
