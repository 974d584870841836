"""The intake and the patient record in a real browser: how many Tab stops from the first
field to Save (printed; it was 87 before the tick boxes were grouped), Enter in a number box
never saves, the arrow keys move within a group of tick boxes, the allergies are checked with
one tick, the pregnancy question is left out for an older woman, and a likely duplicate
patient is warned of before it is made. Screens at 1366x768 and on a tablet."""

from datetime import date

import pytest

from tests.e2e.conftest import TABLET
from tests.factories import PatientFactory, PracticeFactory, UserFactory, accept, consultation_for
from workup.clinic.models import Consultation, Patient

TAB_STOPS_BEFORE = 87  # the intake of a woman of 70, before this change


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def tab_until(page, selector, limit=300) -> int:
    """Tab presses from where the focus is until `selector` has it."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return count
    raise AssertionError(f"{selector} was not reached in {limit} Tab presses")


@pytest.fixture
def north_gp(db):
    practice = PracticeFactory(name="Northside Surgery")
    UserFactory(username="north.gp", practice=practice)
    return practice


@pytest.mark.django_db(transaction=True)
def test_tab_stops_from_the_first_field_to_save_are_halved(new_session, north_gp, expect):
    patient = PatientFactory(practice=north_gp, name="Margaret Ellis")  # a woman of 70
    gp = new_session("gp")
    gp.login("north.gp")
    gp.goto(f"/patients/{patient.public_id}/consultations/new/")
    page = gp.page
    expect(page.locator("#keyboard-hint")).to_be_visible()
    expect(page.locator("#id_episodes_per_week")).to_be_focused()  # the first field
    count = tab_until(page, "#intake-save")
    print(f"\nTab stops from the first field to Save: {count} (before: {TAB_STOPS_BEFORE})")
    assert count <= TAB_STOPS_BEFORE // 2
    gp.screen("intake")
    tablet = new_session("tablet", viewport=TABLET)
    tablet.login("north.gp")
    tablet.goto(f"/patients/{patient.public_id}/consultations/new/")
    tablet.screen("intake-tablet")


@pytest.mark.django_db(transaction=True)
def test_the_intake_from_the_keyboard_alone(new_session, north_gp, expect):
    patient = PatientFactory(practice=north_gp, name="Joan Whitaker", allergies="Penicillin: rash")
    gp = new_session("keyboard")
    gp.login("north.gp")
    gp.goto(f"/patients/{patient.public_id}/consultations/new/")
    page = gp.page
    new_url = page.url
    panel = page.locator("#live-panel")

    # Enter in a number box never saves
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page) == "id_longest_minutes"
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(panel).to_contain_text("CEAP")  # the assessment came, and nothing was saved
    assert page.url == new_url and not Consultation.objects.exists()

    # how long (for a referral letter): a list, left as "Not recorded"
    page.keyboard.press("Tab")
    assert focused(page) == "id_symptoms_for"

    # one Tab stop per group of tick boxes; the arrow keys move within it, Space ticks
    page.keyboard.press("Tab")
    assert focused(page) == "id_when_0"  # "At night", ticked by default
    page.keyboard.press("ArrowRight")
    assert focused(page) == "id_when_1"  # "At rest"
    page.keyboard.press("Space")
    expect(page.locator("#id_when_1")).to_be_checked()
    page.keyboard.press("End")
    assert focused(page) == "id_when_3"
    page.keyboard.press("Tab")
    assert focused(page) == "id_sites_0"  # the next group, not the next box

    # the allergies as recorded, confirmed with one tick; then Save from the keyboard
    tab_until(page, "#id_allergies_confirmed")
    expect(page.locator("#id_allergies")).to_have_value("Penicillin: rash")
    page.keyboard.press("Space")
    gp.screen("intake-allergies-checked")
    tab_until(page, "#intake-save")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".alert", has_text="Intake saved and assessed")).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.allergies_confirmed
    assert consultation.intake["cramps"]["when"] == ["night", "rest"]
    assert consultation.intake["pregnancy"] == "none"  # not asked at 70


@pytest.mark.django_db(transaction=True)
def test_the_pregnancy_question_is_asked_of_a_younger_woman_only(new_session, north_gp, expect):
    young = PatientFactory(practice=north_gp, date_of_birth=date(date.today().year - 34, 1, 1))
    older = PatientFactory(practice=north_gp, date_of_birth=date(1956, 3, 14))
    gp = new_session("pregnancy")
    gp.login("north.gp")
    gp.goto(f"/patients/{young.public_id}/consultations/new/")
    expect(gp.page.locator("#id_pregnancy")).to_be_visible()
    gp.goto(f"/patients/{older.public_id}/consultations/new/")
    expect(gp.page.locator("#pregnancy-not-asked")).to_contain_text("not asked from age 55")
    expect(gp.page.locator("#id_pregnancy")).to_be_hidden()
    gp.page.click("text=Record a pregnancy")
    expect(gp.page.locator("#id_pregnancy")).to_be_visible()
    gp.screen("intake-record-a-pregnancy")


@pytest.mark.django_db(transaction=True)
def test_a_likely_duplicate_is_warned_of_and_saved_only_when_confirmed(
    new_session, north_gp, expect
):
    PatientFactory(practice=north_gp, name="Mary O'Brien", date_of_birth=date(1950, 12, 10))
    for name, viewport in (("duplicate", (1366, 768)), ("duplicate-tablet", TABLET)):
        session = new_session(name, viewport=viewport)
        session.login("north.gp")
        session.goto("/patients/new/")
        page = session.page
        page.fill("#id_name", "mary  o'brien")
        page.fill("#id_date_of_birth", "1950-12-10")
        page.check("input[name=sex][value=female]")
        page.fill("#id_allergies", "Latex")
        page.click("button:has-text('Save and start a consultation')")
        warning = page.locator("#duplicate-warning")
        expect(warning).to_contain_text("already registered")
        expect(warning.locator("a")).to_contain_text("Mary O'Brien, born 10 Dec 1950")
        expect(page.locator("#id_allergies")).to_have_value("Latex")
        session.screen("duplicate-warning")
    page.check("#id_confirm_duplicate")
    page.click("button:has-text('Save and start a consultation')")
    page.wait_for_url("**/consultations/new/")
    assert Patient.objects.filter(name="mary o'brien", allergies="Latex").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_patient_header_on_the_record_and_results_pages(new_session, north_gp, expect):
    from workup.accounts.models import User

    gp_user = User.objects.get(username="north.gp")
    patient = PatientFactory(
        practice=north_gp,
        name="Joan Whitaker",
        nhs_number="9434765919",
        allergies="Penicillin: rash\nCodeine: vomiting",
    )
    consultation = accept(
        consultation_for(patient, gp_user, medications=["Furosemide 40mg"]),
        gp_user,
        "investigations",
        "u_and_e",
    )
    for name, viewport in (("header", (1366, 768)), ("header-tablet", TABLET)):
        session = new_session(name, viewport=viewport)
        session.login("north.gp")
        session.goto(f"/patients/{patient.public_id}/")
        header = session.page.locator(".patient-header")
        expect(header).to_contain_text(f"born 14 Mar 1956 (age {patient.age})")
        expect(header).to_contain_text("NHS number 943 476 5919")
        expect(header).to_contain_text("Codeine: vomiting")
        session.screen("patient-record")
        session.goto(f"/consultations/{consultation.public_id}/results/")
        expect(session.page.locator(".patient-header")).to_contain_text("(age")
        session.screen("results")
