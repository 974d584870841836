"""The screens outside the consultation, in a real browser: the API token page and, for a
practice admin, the admin. No console error, CSP violation or serious accessibility violation
(tests/e2e/conftest.py checks each screen)."""

import pytest

from tests.factories import PatientFactory, PracticeFactory, UserFactory
from workup.accounts.models import User


@pytest.mark.django_db(transaction=True)
def test_a_gp_opens_the_api_token_page_and_makes_a_token(new_session, expect):
    UserFactory(username="north.gp", practice=PracticeFactory(name="Northside Surgery"))
    gp = new_session("gp")
    gp.login("north.gp")
    gp.goto("/accounts/api-token/")
    expect(gp.page.locator("h1")).to_contain_text("API token")
    gp.screen("api-token")
    with gp.page.expect_navigation():
        gp.page.click("main button:has-text('Make a')")
    expect(gp.page.locator(".alert-success")).to_contain_text("token")
    gp.screen("api-token-made")


@pytest.mark.django_db(transaction=True)
def test_a_practice_admin_opens_the_admin_and_its_patient_list(new_session, expect):
    north = PracticeFactory(name="Northside Surgery")
    UserFactory(username="north.admin", practice=north, role=User.Role.ADMIN)
    PatientFactory(practice=north, name="Margaret Ellis")
    PatientFactory(practice=PracticeFactory(name="Southside Surgery"), name="Olu Adebayo")
    admin = new_session("admin")
    admin.login("north.admin")
    expect(admin.page.locator("#content")).to_contain_text("Rules, sources and medicines")
    admin.screen("admin-index")
    admin.page.click("#content a:text-is('Patients')")
    admin.page.wait_for_url("**/admin/clinic/patient/")
    expect(admin.page.locator("#result_list")).to_contain_text("Margaret Ellis")
    expect(admin.page.locator("#result_list")).not_to_contain_text("Olu Adebayo")
    admin.screen("admin-patients")
