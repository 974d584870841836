"""Issue 11's walk-through, as a new user would do it with the demo data, in a real browser: from
the worklist, open the patient with the positive D-dimer, see the scan recommended within 4
hours, accept it and print the scan request letter. The same screens are looked at on a tablet,
where a nurse records a result that was awaited (screenshots and axe-core, conftest.py)."""

import pytest
from django.core.management import call_command

from tests.e2e.conftest import TABLET
from workup.clinic.management.commands.seed_demo import DEFAULT_PASSWORD as DEMO_PASSWORD
from workup.clinic.models import Decision
from workup.documents.models import Document


@pytest.mark.django_db(transaction=True)
def test_from_the_worklist_to_the_scan_letter_for_the_positive_d_dimer(new_session, expect):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    gp = new_session("gp")
    page = gp.page
    gp.login("north.gp", DEMO_PASSWORD)
    page.click("nav >> text=Worklist")
    page.wait_for_url("**/worklist/")
    critical = page.locator("tr", has_text="Rosa Delaney").filter(has_text="D-dimer")
    expect(critical).to_contain_text("Critical result")
    gp.screen("worklist")

    critical.locator("text=Open the review").click()
    page.wait_for_url("**/consultations/*/")
    expect(page.locator("#results-d_dimer")).to_contain_text("Positive")
    scan = page.locator("#investigations-proximal_leg_vein_ultrasound")
    expect(scan).to_contain_text("within 4 hours")
    gp.screen("positive-d-dimer")
    page.locator("#results-d_dimer button:has-text('Acknowledge')").click()
    expect(page.locator("#results-d_dimer")).to_contain_text("Acknowledged by Amira Patel")
    scan.locator("button:has-text('Accept')").click()
    expect(page.locator("#investigations-proximal_leg_vein_ultrasound")).to_contain_text("Accepted")
    rosa = Decision.objects.filter(consultation__patient__name="Rosa Delaney")
    assert rosa.get(code="proximal_leg_vein_ultrasound").accepted

    page.click("button:has-text('Scan request')")
    expect(page.locator("#document-status")).to_contain_text("Ready")
    gp.screen("scan-letter-ready")
    href = page.locator("a:has-text('Open the PDF to print')").get_attribute("href")
    pdf = page.request.get(f"{gp.base_url}{href}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    assert Document.objects.get(
        kind="scan_request", consultation__patient__name="Rosa Delaney"
    ).options == {"test": "proximal_leg_vein_ultrasound"}
    page.click("nav >> text=Worklist")
    rows = page.locator("tr", has_text="Rosa Delaney")
    expect(rows.filter(has_text="Critical result")).to_have_count(0)  # acknowledged
    awaited = rows.filter(has_text="Proximal leg-vein ultrasound")
    expect(awaited).to_contain_text("Result awaited")  # the scan, now requested

    # -- On a tablet: the nurse records the awaited U&E of Peter Hollis ------------------------
    nurse = new_session("nurse", viewport=TABLET)
    nurse.login("north.nurse", DEMO_PASSWORD)
    nurse.goto("/worklist/?kind=result_awaited")
    nurse.screen("worklist-awaited")
    row = nurse.page.locator("tr", has_text="Peter Hollis")
    row.locator("text=Record results").click()
    nurse.page.wait_for_url("**/results/**")
    nurse.page.fill("#id_potassium", "4.2")
    nurse.screen("results-form")
    nurse.page.click("button:has-text('Save results')")
    nurse.page.wait_for_url("**/consultations/*/#results")
    expect(nurse.page.locator("#results-potassium")).to_contain_text("Normal")
    nurse.screen("review-with-results")
    nurse.goto("/worklist/?kind=result_awaited")
    expect(nurse.page.locator("main")).not_to_contain_text("Peter Hollis")
