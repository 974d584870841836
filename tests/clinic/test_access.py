"""Every view has an access test: login, practice scoping and roles."""

import pytest
from django.urls import reverse

from workup.clinic.models import Decision

pytestmark = pytest.mark.django_db


def urls(patient, consultation):
    """(method, url, data) for every clinical view."""
    p, c = patient.public_id, consultation.public_id
    return [
        ("get", reverse("patient_list"), None),
        ("get", reverse("patient_create"), None),
        ("get", reverse("patient_detail", args=[p]), None),
        ("get", reverse("consultation_create", args=[p]), None),
        ("post", reverse("live_assessment", args=[p]), {"episodes_per_week": "3"}),
        ("get", reverse("consultation_review", args=[c]), None),
        ("get", reverse("consultation_edit", args=[c]), None),
        (
            "post",
            reverse("decision_record", args=[c]),
            {"kind": "investigations", "code": "medication_review", "action": "accept"},
        ),
    ]


RECORD_VIEWS = {
    "patient_detail",
    "consultation_create",
    "live_assessment",
    "consultation_review",
    "consultation_edit",
    "decision_record",
}


def call(client, method, url, data):
    return getattr(client, method)(url, data or {})


def test_it_requires_login_everywhere(client, patient, consultation):
    for method, url, data in urls(patient, consultation) + [("get", reverse("api_token"), None)]:
        response = call(client, method, url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_a_gp_of_another_practice_gets_404_for_every_record(login, outsider, patient, consultation):
    client = login(outsider)
    for method, url, data in urls(patient, consultation):
        response = call(client, method, url, data)
        if any(str(i) in url for i in (patient.public_id, consultation.public_id)):
            assert response.status_code == 404, url
    assert patient.name not in client.get(reverse("patient_list")).content.decode()
    assert not Decision.objects.exists()


def test_the_southside_gp_does_not_see_northside_patients_listed(login, outsider, patient):
    response = login(outsider).get(reverse("patient_list"))
    assert response.status_code == 200
    assert "Margaret Ellis" not in response.content.decode()


def test_a_gp_can_use_every_view(login, gp, patient, consultation):
    client = login(gp)
    for method, url, data in urls(patient, consultation):
        response = call(client, method, url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
    assert Decision.objects.get().accepted is True


def test_a_nurse_records_but_cannot_accept_or_decline(login, nurse, patient, consultation):
    client = login(nurse)
    for method, url, data in urls(patient, consultation):
        response = call(client, method, url, data)
        if "decisions" in url:
            assert response.status_code == 403
        else:
            assert response.status_code in (200, 302), url
    assert not Decision.objects.exists()
    review = client.get(reverse("consultation_review", args=[consultation.public_id]))
    assert b"Accept" not in review.content
    assert b"A GP accepts or declines" in review.content


def test_a_practice_admin_makes_no_clinical_use_of_the_screens(
    login, admin_user, patient, consultation
):
    client = login(admin_user)
    for method, url, data in urls(patient, consultation):
        assert call(client, method, url, data).status_code == 403, url
    assert not Decision.objects.exists()


def test_the_home_page_needs_no_login_and_shows_no_patient_data(client, patient):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert patient.name not in response.content.decode()


def test_urls_carry_opaque_ids_not_names(login, gp, patient, consultation):
    page = login(gp).get(reverse("patient_list")).content.decode()
    assert f"/patients/{patient.public_id}/" in page
    for url in (
        reverse("patient_detail", args=[patient.public_id]),
        reverse("consultation_review", args=[consultation.public_id]),
    ):
        assert "Margaret" not in url and "Ellis" not in url and f"/{patient.pk}/" not in url
