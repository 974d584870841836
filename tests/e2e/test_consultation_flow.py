"""End to end in a real headless Chromium (Debian's package, driven by Playwright).

Screenshots of each step are kept in test-results/e2e/. Where Chromium is not installed the
test is skipped, except in CI (CI=true), where it must run.
"""
import os
import shutil
from pathlib import Path

import pytest

from tests.factories import PASSWORD, PracticeFactory, UserFactory
from workup.clinic.models import Decision

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "e2e"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI must run the browser test: install Debian's chromium package")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def browser_page(live_server, settings, tmp_path):
    settings.DOCUMENT_ROOT = tmp_path / "documents"
    # Playwright's sync API runs an event loop in this thread; the Django calls made by the
    # test itself (fixtures, assertions) are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.set_default_timeout(15000)
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_gp_completes_a_consultation_from_intake_to_accepted_workup(live_server, browser_page):
    page = browser_page
    practice = PracticeFactory(name="Northside Surgery")
    UserFactory(username="north.gp", practice=practice, first_name="Amira", last_name="Patel")

    page.goto(f"{live_server.url}/patients/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "north.gp")
    page.fill("#id_password", PASSWORD)
    shot(page, "01-login")
    page.click("button:has-text('Log in')")
    page.wait_for_url("**/patients/")

    page.click("text=New patient")
    page.fill("#id_name", "Derek Owusu")
    page.fill("#id_date_of_birth", "1969-01-30")
    page.check("input[name=sex][value=male]")
    shot(page, "02-new-patient")
    page.click("button:has-text('Save and start a consultation')")
    page.wait_for_url("**/consultations/new/")

    page.fill("#id_episodes_per_week", "4")
    page.fill("#id_longest_minutes", "3")
    page.check("input[name=side][value=left]")
    panel = page.locator("#live-panel")
    sync_api.expect(panel).to_contain_text("Idiopathic nocturnal leg cramps")
    shot(page, "03-intake-typical")
    # DVT signs in the left leg
    page.check("input[name=examination][value=calf_swelling_3cm]")
    page.check("input[name=examination][value=deep_vein_tenderness]")
    page.check("input[name=examination][value=pitting_oedema_one_leg]")
    sync_api.expect(panel.locator(".red-flag")).to_contain_text("Suspected deep vein thrombosis")
    sync_api.expect(panel).to_contain_text("Proximal leg-vein ultrasound")
    shot(page, "04-intake-red-flag")
    # a medicine added from the suggestions with the keyboard alone
    page.fill("#medication-search", "Lasix 40mg")
    page.press("#medication-search", "Enter")
    sync_api.expect(page.locator("#id_medications")).to_have_value("Lasix 40mg")
    sync_api.expect(panel).to_contain_text("Medication review")
    page.click("button:has-text('Save and review')")
    page.wait_for_url("**/consultations/*/")
    sync_api.expect(page.locator(".red-flag")).to_contain_text("SAME DAY: Suspected deep vein thrombosis")
    shot(page, "05-review")

    page.click("#investigations-proximal_leg_vein_ultrasound button:has-text('Accept')")
    page.click("#differentials-deep_vein_thrombosis button:has-text('Accept')")
    card = page.locator("#investigations-u_and_e")
    card.locator("button:has-text('Decline')").click()
    sync_api.expect(page.locator(".alert-danger", has_text="Give a reason")).to_be_visible()
    page.locator("#investigations-u_and_e input[name=reason]").fill("Checked at the renal clinic last week")
    page.locator("#investigations-u_and_e button:has-text('Decline')").click()
    sync_api.expect(page.locator("#investigations-u_and_e")).to_contain_text("Declined")
    shot(page, "06-decisions")
    assert Decision.objects.filter(accepted=True).count() == 2
    assert Decision.objects.get(accepted=False).reason == "Checked at the renal clinic last week"

    page.click("button:has-text('Print handout')")
    sync_api.expect(page.locator("#document-status")).to_contain_text("Ready")
    shot(page, "07-handout-ready")
    href = page.locator("a:has-text('Open the PDF to print')").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    page.click("text=Back to the workup")

    page.click("text=Patient record")
    sync_api.expect(page.locator(".decisions")).to_contain_text(
        "Urea and electrolytes (sodium, potassium, creatinine, eGFR): declined — "
        "“Checked at the renal clinic last week” by Amira Patel")
    sync_api.expect(page.locator(".decisions")).to_contain_text(
        "Proximal leg-vein ultrasound (within 4 hours): accepted")
    shot(page, "08-patient-page")
