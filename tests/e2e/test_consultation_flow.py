"""End to end in a real headless Chromium (Debian's package, driven by Playwright): a GP's
consultation from login to an accepted workup and its printed handout, then the follow-up
visit: results recorded for the first visit's tests, the flagged potassium and its action
accepted, the follow-up handout printed, and the patient gone from "results awaited".

Screenshots of each screen are kept in test-results/e2e/, axe-core's findings in
test-results/e2e/axe.json; console errors, CSP violations and serious accessibility
violations fail the test (tests/e2e/conftest.py). Where Chromium is not installed the test is
skipped, except in CI (CI=true), where it must run.
"""

import pytest

from tests.e2e.conftest import TABLET
from tests.e2e.printing import print_document
from tests.factories import PracticeFactory, UserFactory
from workup.accounts.models import User
from workup.clinic.models import Decision, Result


@pytest.mark.django_db(transaction=True)
def test_a_gp_completes_a_consultation_from_intake_to_accepted_workup(new_session, expect):
    practice = PracticeFactory(name="Northside Surgery")
    UserFactory(username="north.gp", practice=practice, first_name="Amira", last_name="Patel")
    UserFactory(username="north.nurse", practice=practice, role=User.Role.NURSE)
    gp = new_session("gp")
    page = gp.page

    gp.goto("/patients/")
    assert "/accounts/login/" in page.url
    gp.login("north.gp")
    assert page.url.endswith("/patients/")
    gp.screen("patient-list-empty")

    page.click("text=New patient")
    page.fill("#id_name", "Derek Owusu")
    page.fill("#id_date_of_birth", "1969-01-30")
    page.check("input[name=sex][value=male]")
    gp.screen("new-patient")
    page.click("button:has-text('Save and start a consultation')")
    page.wait_for_url("**/consultations/new/")

    page.fill("#id_episodes_per_week", "4")
    page.fill("#id_longest_minutes", "3")
    page.check("input[name=side][value=left]")
    panel = page.locator("#live-panel")
    expect(panel).to_contain_text("Idiopathic nocturnal leg cramps")
    gp.screen("intake-typical")
    # DVT signs in the left leg
    page.check("input[name=examination][value=calf_swelling_3cm]")
    page.check("input[name=examination][value=deep_vein_tenderness]")
    page.check("input[name=examination][value=pitting_oedema_one_leg]")
    expect(panel.locator(".red-flag")).to_contain_text("Suspected deep vein thrombosis")
    expect(panel).to_contain_text("Proximal leg-vein ultrasound")
    gp.screen("intake-red-flag")
    # a medicine added from the suggestions with the keyboard alone
    page.fill("#medication-search", "Lasix 40mg")
    page.press("#medication-search", "Enter")
    expect(page.locator("#id_medications")).to_have_value("Lasix 40mg")
    expect(panel).to_contain_text("Medication review")
    page.check("#id_no_known_allergies")  # asked at every visit
    page.check("#id_allergies_confirmed")
    page.click("button:has-text('Save and review')")
    page.wait_for_url("**/consultations/*/")
    expect(page.locator(".red-flag")).to_contain_text("SAME DAY: Suspected deep vein thrombosis")
    gp.screen("review")

    # Decisions in place: each click updates its item only (the page is never reloaded)
    page.evaluate("window.notReloaded = true")
    page.click("#investigations-proximal_leg_vein_ultrasound button:has-text('Accept')")
    expect(page.locator("#investigations-proximal_leg_vein_ultrasound")).to_contain_text("Accepted")
    expect(page.locator("#investigations-proximal_leg_vein_ultrasound")).to_be_focused()
    page.click("#differentials-deep_vein_thrombosis button:has-text('Accept')")
    page.click("#investigations-u_and_e button:has-text('Accept')")
    u_and_e = page.locator("#investigations-u_and_e")
    expect(u_and_e).to_contain_text("by Amira Patel")
    expect(u_and_e.locator("button:has-text('Accept')")).to_have_count(0)  # one line now
    expect(page.locator("#print-section")).to_contain_text("Lab request")  # out of band
    # the medication review is an action; declining asks for the reason beside the item
    card = page.locator("#investigations-medication_review")
    card.locator("summary:has-text('Decline')").click()
    expect(card.locator("textarea")).to_be_focused()
    card.locator("button:has-text('Decline')").click()
    card = page.locator("#investigations-medication_review")
    expect(card.locator(".invalid-feedback")).to_have_text("Give a reason for declining.")
    expect(card.locator("textarea")).to_have_attribute("aria-invalid", "true")
    expect(card.locator("textarea")).to_be_focused()
    gp.screen("decline-reason-missing")
    card.locator("textarea").fill("Reviewed at the renal clinic last week")
    card.locator("button:has-text('Decline')").click()
    expect(page.locator("#investigations-medication_review")).to_contain_text(
        "Reason: “Reviewed at the renal clinic last week”"
    )
    # a decision undone waits for a decision again; the history keeps it
    page.click("#differentials-deep_vein_thrombosis button:has-text('Undo')")
    page.click("#differentials-deep_vein_thrombosis button:has-text('Accept')")
    expect(page.locator("#differentials-deep_vein_thrombosis")).to_contain_text("Accepted")
    assert page.evaluate("window.notReloaded") is True
    gp.screen("decisions")
    assert Decision.objects.filter(accepted=True).count() == 3
    assert Decision.objects.get(accepted=False).reason == "Reviewed at the renal clinic last week"
    page.reload()  # what the server keeps is what the page showed

    pdf = print_document(gp, expect, "button:has-text('Print handout')")
    assert pdf[:5] == b"%PDF-"
    gp.screen("document-ready")

    page.click("text=Patient record")
    expect(page.locator(".decisions")).to_contain_text(
        "Medication review: declined — “Reviewed at the renal clinic last week” by Amira Patel"
    )
    expect(page.locator(".decisions")).to_contain_text(
        "Proximal leg-vein ultrasound (within 4 hours): accepted"
    )
    gp.screen("patient-page")

    page.click("nav >> text=Patients")
    expect(page.locator("table")).to_contain_text("Derek Owusu")
    gp.screen("patient-list")

    # -- The follow-up visit: the nurse finds what is awaited and records it -------------------
    nurse = new_session("nurse", viewport=TABLET)
    nurse.login("north.nurse")
    nurse.goto("/worklist/")
    awaited = nurse.page.locator("tr", has_text="Urea and electrolytes")
    expect(awaited).to_contain_text("Derek Owusu")
    nurse.screen("worklist-tablet")

    page.click("nav >> text=Patients")
    page.click("text=Derek Owusu")
    page.click("text=New consultation")
    page.wait_for_url("**/consultations/new/")
    page.fill("#id_episodes_per_week", "2")
    page.fill("#id_longest_minutes", "2")
    page.check("input[name=side][value=left]")
    expect(page.locator("#live-panel")).to_contain_text("result awaited")
    page.check("#id_allergies_confirmed")  # none known, as recorded at the first visit
    page.click("button:has-text('Save and review')")
    page.wait_for_url("**/consultations/*/")
    follow_up = page.url
    card = page.locator("#investigations-u_and_e")
    expect(card).to_contain_text("result awaited")
    expect(card.locator("button:has-text('Accept')")).to_have_count(0)
    gp.screen("follow-up-awaited")

    card.locator("text=Record the result").click()
    page.wait_for_url("**/results/**")
    page.fill("#id_potassium", "3.1")
    page.fill("#id_sodium", "1380")  # a slip of the finger: refused, nothing lost
    page.fill("#id_egfr", "80")
    page.select_option("#id_proximal_leg_vein_ultrasound", "negative")
    page.click("button:has-text('Save results')")
    expect(page.locator("#results-errors")).to_contain_text("Please correct")
    expect(page.locator("#id_potassium")).to_have_value("3.1")
    expect(page.locator(".invalid-feedback")).to_contain_text("Sodium")
    gp.screen("results-error")
    page.fill("#id_sodium", "138")
    page.click("button:has-text('Save results')")
    page.wait_for_url(follow_up + "#results")
    expect(page.locator("#results-potassium")).to_contain_text("Low")
    action = page.locator("#actions-review_diuretic")
    expect(action).to_contain_text("Review the diuretic")
    gp.screen("follow-up-results")
    action.locator("button:has-text('Accept')").click()
    expect(page.locator("#actions-review_diuretic")).to_contain_text("Accepted")
    assert Result.objects.filter(flag="low", code="potassium").exists()

    assert print_document(gp, expect, "button:has-text('Print handout')")[:5] == b"%PDF-"
    gp.screen("follow-up-handout")

    nurse.goto("/worklist/")
    expect(nurse.page.locator("main")).not_to_contain_text("Urea and electrolytes")
    nurse.screen("worklist-after")
