"""Two clinicians of one practice at the same time, each in a browser of their own, and a GP
who logs out and in again: every one of them saves an intake.

This is how the product is used, and what the single-session browser test missed: the
intake's rendered form is cached per process, and it once carried the CSRF token of the
session that rendered it first, so every later session's Save (and the live panel) ended on
"403 CSRF verification failed". Each session here opens the intake page after the first has
cached it.
"""

import pytest

from tests.factories import PracticeFactory, UserFactory
from workup.accounts.models import User
from workup.clinic.models import Consultation

WAITING = "Record the cramps to see the assessment"


def start_consultation(session, name, born):
    """Patient list -> New patient -> the new consultation's intake page."""
    page = session.page
    page.click("text=New patient")
    page.fill("#id_name", name)
    page.fill("#id_date_of_birth", born)
    page.check("input[name=sex][value=male]")
    session.screen("new-patient")
    page.click("button:has-text('Save and start a consultation')")
    page.wait_for_url("**/consultations/new/")


def record_cramps(session, expect, *, per_week, minutes, side, medicine):
    """Fill the intake; the live panel must leave its waiting text and show an assessment;
    a medicine added from the "Add a medicine" box with Enter joins the list."""
    page = session.page
    panel = page.locator("#live-panel")
    expect(panel).to_contain_text(WAITING)
    page.fill("#id_episodes_per_week", per_week)
    page.fill("#id_longest_minutes", minutes)
    page.check(f"input[name=side][value={side}]")
    expect(panel).not_to_contain_text(WAITING)
    expect(panel).to_contain_text("Idiopathic nocturnal leg cramps")
    page.fill("#medication-search", medicine)
    page.press("#medication-search", "Enter")
    expect(page.locator("#id_medications")).to_have_value(medicine)
    expect(page.locator("#medication-search")).to_have_value("")
    expect(panel.locator("table")).to_contain_text(medicine)  # the panel was recomputed


def save(session, expect, patient_name):
    page = session.page
    page.check("#id_no_known_allergies")  # asked at every visit
    page.check("#id_allergies_confirmed")
    page.click("button:has-text('Save and review')")
    page.wait_for_url("**/consultations/*/")
    expect(page.locator(".alert", has_text="Intake saved and assessed")).to_be_visible()
    expect(page.locator("main")).to_contain_text(patient_name)
    session.screen("review")


@pytest.mark.django_db(transaction=True)
def test_a_gp_and_a_nurse_save_intakes_at_the_same_time(new_session, expect):
    north = PracticeFactory(name="Northside Surgery")
    UserFactory(
        username="north.gp",
        practice=north,
        role=User.Role.GP,
        first_name="Amira",
        last_name="Patel",
    )
    UserFactory(
        username="north.nurse",
        practice=north,
        role=User.Role.NURSE,
        first_name="Sam",
        last_name="Okafor",
    )
    gp, nurse = new_session("gp"), new_session("nurse")
    gp.login("north.gp")
    nurse.login("north.nurse")
    gp.screen("patient-list")
    nurse.screen("patient-list")

    # The GP's session renders the intake page first (its form is cached), then the nurse's.
    start_consultation(gp, "Derek Owusu", "1969-01-30")
    start_consultation(nurse, "Tomasz Nowak", "1958-07-02")
    record_cramps(gp, expect, per_week="4", minutes="3", side="left", medicine="Lasix 40mg")
    record_cramps(
        nurse, expect, per_week="2", minutes="1", side="both", medicine="Simvastatin 40mg"
    )
    gp.screen("intake")
    nurse.screen("intake")
    save(nurse, expect, "Tomasz Nowak")
    save(gp, expect, "Derek Owusu")
    saved = {
        (c.patient.name, c.clinician.username, tuple(c.intake["medications"]))
        for c in Consultation.objects.select_related("patient", "clinician")
    }
    assert saved == {
        ("Derek Owusu", "north.gp", ("Lasix 40mg",)),
        ("Tomasz Nowak", "north.nurse", ("Simvastatin 40mg",)),
    }

    # The GP logs out and in again: a new session, given the form the first one cached.
    first_session = gp.session_cookie()
    gp.logout()
    expect(gp.page.locator("h1")).to_have_text("Log in")
    gp.login("north.gp")
    assert gp.session_cookie() not in (None, first_session)
    start_consultation(gp, "Ivan Petrov", "1950-11-11")
    record_cramps(gp, expect, per_week="5", minutes="2", side="right", medicine="Furosemide 20mg")
    gp.screen("intake")
    save(gp, expect, "Ivan Petrov")
    assert Consultation.objects.count() == 3

    # The GP decides the workup in place while the nurse has it open too: the nurse's page has
    # no decision buttons, and shows the GP's decisions once reloaded.
    visit = Consultation.objects.get(patient__name="Ivan Petrov")
    url = f"/consultations/{visit.public_id}/"
    nurse.goto(url)
    expect(nurse.page.locator("main")).to_contain_text("A GP accepts or declines each")
    expect(nurse.page.locator("main button:has-text('Accept')")).to_have_count(0)
    expect(nurse.page.locator("main button:has-text('Undo')")).to_have_count(0)
    gp.page.click("button:has-text('Accept all not yet decided')")
    expect(gp.page.locator("#decision-summary")).to_contain_text("Every recommendation is decided")
    gp.screen("review-decided")
    nurse.page.reload()
    expect(nurse.page.locator("#investigations-u_and_e")).to_contain_text("Accepted")
    expect(nurse.page.locator("main button:has-text('Undo')")).to_have_count(0)
    nurse.screen("review-decided")
    assert visit.decisions.filter(accepted=True).count() == visit.decisions.count() > 0
