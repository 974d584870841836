"""Follow-up visits know the past (issue 11): what was requested before and is not yet answered
is listed with its date and never offered again; results carry into the next visit; the
quinine start comes from the records. Saved through the intake page as a GP does."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.factories import INTAKE_POST, accept, consultation_for, record, visit_for
from workup.clinic.models import Consultation, Decision

pytestmark = pytest.mark.django_db

TODAY = date.today()
EARLIER = TODAY - timedelta(days=20)


def flat(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def first(patient, gp):
    """Visit 1, 20 days ago: furosemide and symptomatic varicose veins; U&E and the vascular
    referral accepted."""
    c = consultation_for(
        patient,
        gp,
        day=EARLIER,
        medications=["Furosemide 40mg"],
        left=["varicose_veins", "venous_symptoms"],
    )
    accept(c, gp, "investigations", "u_and_e")
    return accept(c, gp, "referrals", "vascular")


def new_visit(browser, gp, patient, **post):
    """The GP saves a new consultation through the intake page."""
    client = browser(gp)
    url = reverse("consultation_create", args=[patient.public_id])
    data = {**INTAKE_POST, "medications": "Furosemide 40mg", **post}
    response = client.submit(url, data)
    assert response.status_code == 302, flat(response)[:2000]
    return Consultation.objects.get(patient=patient, date=TODAY), client


def test_an_outstanding_test_and_referral_are_listed_with_their_date_and_not_offered_again(
    browser, gp, patient, first, kb
):
    second, client = new_visit(browser, gp, patient, left_leg=["varicose_veins", "venous_symptoms"])
    assert {(p["code"], p["kind"], p["date"]) for p in second.intake["previous"]} == {
        ("u_and_e", "investigation", EARLIER.isoformat()),
        ("vascular", "referral", EARLIER.isoformat()),
    }
    review = reverse("consultation_review", args=[second.public_id])
    html = flat(client.get(review))
    when = EARLIER.strftime("%-d %b %Y")
    assert f"Requested on {when}, result awaited" in html
    assert f"Requested on {when}, reply awaited" in html
    vascular = kb.catalogue["referrals"]["vascular"]["label"]
    u_and_e = kb.catalogue["investigations"]["u_and_e"]["label"]
    assert f'aria-label="Accept {vascular}"' not in html
    assert f'aria-label="Accept {u_and_e}"' not in html
    # a forged accept makes no second referral
    response = client.submit(
        review,
        {"kind": "referrals", "code": "vascular", "action": "accept"},
        action=reverse("decision_record", args=[second.public_id]),
        follow=True,
    )
    assert f"Already requested on {when} and not yet answered" in flat(response)
    assert not Decision.objects.filter(consultation=second).exists()


def test_the_live_panel_of_a_new_visit_already_shows_what_is_awaited(browser, gp, patient, first):
    client = browser(gp)
    page = reverse("consultation_create", args=[patient.public_id])
    live = client.htmx_post(
        page,
        reverse("live_assessment", args=[patient.public_id]),
        {**INTAKE_POST, "medications": "Furosemide 40mg"},
        form_id="intake-form",
    )
    assert f"Requested on {EARLIER:%-d %b %Y}, result awaited" in flat(live)


def test_recording_the_result_from_the_follow_up_brings_it_into_the_follow_up(
    browser, gp, nurse, patient, first, kb
):
    second, client = new_visit(browser, gp, patient)
    review = reverse("consultation_review", args=[second.public_id])
    html = client.get(review).content.decode()
    link = reverse("consultation_results", args=[first.public_id]) + f"?then={second.public_id}"
    assert f'href="{link}"' in html  # "Record the result", where it was requested
    taken = (EARLIER + timedelta(days=2)).isoformat()
    response = browser(nurse).submit(link, {"potassium": "3.1", "u_and_e-taken_on": taken})
    assert response.status_code == 302 and response["Location"].endswith(review + "#results")
    second.refresh_from_db()
    assert [p["code"] for p in second.intake.get("previous", [])] == ["vascular"]
    assert second.intake["results"] == [{"code": "potassium", "value": 3.1, "date": taken}]
    assert "review_diuretic" in [a["code"] for a in second.assessment["actions"]]
    html = flat(client.get(review))
    assert ">Low<" in html[html.index('id="results-potassium"') :]
    assert "result awaited" not in html
    # the visit that asked for it reads it too
    first.refresh_from_db()
    assert first.assessment["results"][0]["flag"] == "low"


def test_results_carry_into_the_next_visit_only_while_they_are_new(gp, nurse, patient, first):
    record(first, nurse, potassium=3.1, taken_on=EARLIER + timedelta(days=1))
    second = visit_for(patient, gp, day=TODAY - timedelta(days=5))
    assert [r["code"] for r in second.intake["results"]] == ["potassium"]
    third = visit_for(patient, gp)
    assert "results" not in third.intake  # seen at the second visit; no newer result


def test_a_result_recorded_since_the_last_visit_carries_into_the_next_one(
    gp, nurse, patient, first
):
    second = visit_for(patient, gp, day=TODAY - timedelta(days=5))
    assert [p["code"] for p in second.intake["previous"]] == ["u_and_e", "vascular"]
    record(first, nurse, sodium=128, taken_on=TODAY - timedelta(days=1))
    second.refresh_from_db()  # the latest visit is brought up to date
    assert [p["code"] for p in second.intake["previous"]] == ["vascular"]
    third = visit_for(patient, gp)
    assert [r["code"] for r in third.intake["results"]] == ["sodium"]


def test_editing_a_follow_up_keeps_what_the_records_give_it(browser, gp, nurse, patient, first):
    record(first, nurse, potassium=3.1, taken_on=EARLIER + timedelta(days=1))
    second = visit_for(patient, gp, medications=["Furosemide 40mg"])
    edit = reverse("consultation_edit", args=[second.public_id])
    client = browser(gp)
    form = client.get(edit).context["form"]
    data = {**INTAKE_POST, "medications": "Furosemide 40mg", "version": form["version"].value()}
    assert client.submit(edit, data).status_code == 302
    second.refresh_from_db()
    assert [r["code"] for r in second.intake["results"]] == ["potassium"]
    assert [p["code"] for p in second.intake["previous"]] == ["vascular"]
    assert "review_diuretic" in [a["code"] for a in second.assessment["actions"]]


def test_an_item_decided_at_an_earlier_visit_is_listed_at_the_latest_one(gp, patient):
    first = consultation_for(patient, gp, day=EARLIER, medications=["Furosemide 40mg"])
    second = visit_for(patient, gp, medications=["Furosemide 40mg"])
    assert "previous" not in second.intake
    accept(first, gp, "investigations", "u_and_e")  # decided late, on the earlier visit
    second.refresh_from_db()
    assert [p["code"] for p in second.intake["previous"]] == ["u_and_e"]
    item = next(i for i in second.assessment["investigations"] if i["code"] == "u_and_e")
    assert item["already_requested"] == EARLIER.isoformat()


def test_quinine_started_comes_from_the_first_visit_it_was_taken_at(browser, gp, patient, kb):
    quinine = "Quinine sulfate 300mg at night"
    consultation_for(patient, gp, day=TODAY - timedelta(days=90))  # before quinine
    start = visit_for(patient, gp, day=TODAY - timedelta(days=40), medications=[quinine])
    assert start.intake["quinine_started"] == start.date.isoformat()
    second, client = new_visit(browser, gp, patient, medications=quinine)
    assert second.intake["quinine_started"] == start.date.isoformat()
    html = flat(client.get(reverse("consultation_review", args=[second.public_id])))
    label = kb.catalogue["actions"]["quinine_review"]["label"]
    assert f'aria-label="Accept {label}"' in html
    stopped = visit_for(patient, gp, medications=["stopped quinine last month"])
    assert "quinine_started" not in stopped.intake
