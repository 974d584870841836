"""The reference case of issue 12 (a 68-year-old woman on bendroflumethiazide, amlodipine and
atorvastatin, night cramps, varicose veins with oedema and skin changes on the left leg) from
the patient list to three printed documents with the keyboard alone: Tab, the arrow keys,
Space, Enter and typing, never the mouse. Prints how many keys it took."""

import pytest

from tests.e2e.test_intake_keyboard import tab_until
from tests.e2e.test_reference_case import LEFT_LEG, MEDICINES, PATIENT
from tests.factories import PracticeFactory, UserFactory
from workup.accounts.models import User
from workup.clinic.models import Consultation, Patient
from workup.documents.models import Document

SIDE_ORDER = ["left", "right", "both"]  # the intake's radios, in the page's order


class Keys:
    """The keyboard, counted: every key pressed, and each character typed, is one keystroke."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def press(self, key, times=1):
        for _ in range(times):
            self.page.keyboard.press(key)
            self.count += 1

    def type(self, text):
        self.page.keyboard.type(text)
        self.count += len(text)

    def tab_to(self, selector):
        self.count += tab_until(self.page, selector)

    def move_in_group_to(self, selector):
        """Arrow keys inside a group of tick boxes (one Tab stop) until `selector` has the
        focus."""
        for _ in range(20):
            if self.page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
            self.press("ArrowDown")
        raise AssertionError(f"{selector} was not reached with the arrow keys")


@pytest.mark.django_db(transaction=True)
def test_the_reference_case_with_the_keyboard_alone(new_session, expect):
    practice = PracticeFactory(name="Northside Surgery")
    UserFactory(username="north.gp", practice=practice, role=User.Role.GP)
    gp = new_session("keyboard-reference")
    gp.login("north.gp")
    page = gp.page
    keys = Keys(page)

    # -- New patient -------------------------------------------------------------------------
    keys.tab_to("a[href$='/patients/new/']")
    with page.expect_navigation():
        keys.press("Enter")
    keys.tab_to("#id_name")
    keys.type(PATIENT["name"])
    keys.tab_to("#id_date_of_birth")
    year, month, day = PATIENT["born"].split("-")
    keys.type(month + day + year)  # a date box takes its parts in the browser's order
    expect(page.locator("#id_date_of_birth")).to_have_value(PATIENT["born"])
    keys.tab_to("input[name=sex]")
    keys.press("Space")  # the first of the group: Female
    expect(page.locator("input[name=sex][value=female]")).to_be_checked()
    keys.tab_to("button[type=submit]")
    with page.expect_navigation():
        keys.press("Enter")
    page.wait_for_url("**/consultations/new/")

    # -- Intake --------------------------------------------------------------------------------
    expect(page.locator("#id_episodes_per_week")).to_be_focused()
    keys.type("4")
    keys.press("Tab")
    keys.type("3")
    keys.tab_to("input[name=side]")  # the checked radio of the group: Both
    keys.press("ArrowLeft", times=SIDE_ORDER.index("both") - SIDE_ORDER.index("left"))
    expect(page.locator("input[name=side][value=left]")).to_be_checked()
    keys.tab_to("#id_medications")
    for n, line in enumerate(MEDICINES.splitlines()):
        if n:
            keys.press("Enter")  # a new line in the box: Enter never saves
        keys.type(line)
    keys.tab_to("input[name=left_leg]")
    for sign in LEFT_LEG:
        keys.move_in_group_to(f"input[name=left_leg][value={sign}]")
        keys.press("Space")
    for sign in LEFT_LEG:
        expect(page.locator(f"input[name=left_leg][value={sign}]")).to_be_checked()
    keys.tab_to("#id_no_known_allergies")
    keys.press("Space")
    keys.tab_to("#id_allergies_confirmed")
    keys.press("Space")
    expect(page.locator("#live-panel")).to_contain_text("Vascular service")
    keys.tab_to("#intake-save")
    with page.expect_navigation():
        keys.press("Enter")
    page.wait_for_url("**/consultations/*/")
    consultation = Consultation.objects.get(patient=Patient.objects.get(name=PATIENT["name"]))
    assert set(consultation.intake["legs"]["left"]) == set(LEFT_LEG)
    assert len(consultation.intake["medications"]) == 3

    # -- The decisions -------------------------------------------------------------------------
    summary = page.locator("#decision-summary")
    expect(summary).to_contain_text("9 items awaiting your decision.")
    keys.tab_to("#decision-summary button")
    keys.press("Enter")
    expect(summary).to_contain_text("Every recommendation is decided.")
    expect(page.locator("#print-heading")).to_be_focused()  # the next step is next on Tab
    assert consultation.decisions.filter(accepted=True).count() == 10  # the duplex with it

    # -- Three documents: Enter on each Print button opens the PDF in a new tab ----------------
    for kind, selector in (
        ("handout", "form:has(input[name=kind][value=handout]) button[type=submit]"),
        ("referral", "form:has(input[name=to][value=vascular]) button[type=submit]"),
        ("lab_request", "form:has(input[name=kind][value=lab_request]) button[type=submit]"),
    ):
        keys.tab_to(selector)
        with page.context.expect_page() as opened:
            keys.press("Enter")
        tab = opened.value
        tab.wait_for_url("**/documents/*/pdf")
        tab.close()
        page.bring_to_front()
        expect(page.locator("#print-job #document-status")).to_contain_text("Ready")
        assert Document.objects.filter(kind=kind, status="ready").exists(), kind
    gp.screen("keyboard-printed")
    print(f"\nReference case with the keyboard alone: {keys.count} keystrokes, no clicks")
