"""Every page of a patient's record that is shown writes one event: who, which practice, what."""

from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from tests.audit.conftest import events
from tests.factories import PatientFactory, UserFactory, consultation_for
from workup.accounts.models import User
from workup.audit.models import AccessEvent
from workup.documents.models import Document

pytestmark = pytest.mark.django_db


def clinical_pages(consultation):
    p, c = consultation.patient.public_id, consultation.public_id
    return [
        (reverse("patient_detail", args=[p]), "view_patient", None),
        (reverse("consultation_create", args=[p]), "view_intake", None),
        (reverse("consultation_edit", args=[c]), "view_consultation", c),
        (reverse("consultation_review", args=[c]), "view_review", c),
    ]


@pytest.mark.parametrize("page", range(4))
@pytest.mark.parametrize("who", ["gp", "nurse"])
def test_each_clinical_page_writes_one_event(request, login, north, consultation, page, who):
    user = request.getfixturevalue(who)
    url, action, consultation_id = clinical_pages(consultation)[page]
    assert login(user).get(url).status_code == 200
    [event] = events()
    assert (event.user, event.username, event.practice, event.action) == (
        user,
        user.username,
        north,
        action,
    )
    assert event.patient == consultation.patient.public_id
    assert event.consultation == consultation_id and event.document is None


def test_each_document_page_and_pdf_write_one_event(login, nurse, printed):
    client = login(nurse)
    page = client.get(reverse("document_detail", args=[printed.public_id]))
    assert page.status_code == 200
    pdf = client.get(reverse("document_file", args=[printed.public_id]))
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    assert [e.action for e in events()] == ["view_document", "download_document"]
    for event in events():
        assert event.user == nurse and event.document == printed.public_id
        assert event.consultation == printed.consultation.public_id
        assert event.patient == printed.consultation.patient.public_id


def test_everyone_who_asks_for_the_same_letter_is_logged(
    browser, gp, nurse, decided, django_capture_on_commit_callbacks
):
    review = reverse("consultation_review", args=[decided.public_id])
    create = reverse("document_create", args=[decided.public_id])
    for user in (gp, nurse):
        with django_capture_on_commit_callbacks(execute=True):
            response = browser(user).submit(
                review, {"kind": "handout", "language": "en"}, action=create
            )
        assert response.status_code == 302
    document = Document.objects.get()  # one row, shared
    requests = events(action="request_document")
    assert [e.user for e in requests] == [gp, nurse]
    assert {e.document for e in requests} == {document.public_id}
    assert requests[0].consultation == decided.public_id


def test_a_refused_document_request_writes_no_request_event(login, gp, consultation):
    # nothing accepted yet: no lab request to print, the GP is sent back with the reason
    response = login(gp).post(
        reverse("document_create", args=[consultation.public_id]), {"kind": "lab_request"}
    )
    assert response.status_code == 302 and "documents" not in response.url
    assert not events(action="request_document")


def test_a_gp_decision_is_logged(browser, gp, consultation):
    review = reverse("consultation_review", args=[consultation.public_id])
    response = browser(gp).submit(
        review,
        {"kind": "investigations", "code": "u_and_e", "action": "accept"},
        action=reverse("decision_record", args=[consultation.public_id]),
    )
    assert response.status_code == 302
    [decision] = events(action="record_decision")
    assert decision.user == gp and decision.consultation == consultation.public_id


def test_the_live_panel_and_status_refreshes_are_not_logged(
    browser, login, gp, consultation, printed
):
    page = reverse("consultation_create", args=[consultation.patient.public_id])
    live = reverse("live_assessment", args=[consultation.patient.public_id])
    assert browser(gp).htmx_post(page, live, {"cramps_per_week": "3"}).status_code == 200
    refresh = login(gp).get(
        reverse("document_detail", args=[printed.public_id]), HTTP_HX_REQUEST="true"
    )
    assert refresh.status_code == 200 and "Patient handout" not in refresh.content.decode()
    assert [e.action for e in events()] == ["view_intake"]  # the page, not the panel


def test_another_practice_gets_404_and_writes_nothing(login, outsider, printed):
    client = login(outsider)
    consultation = printed.consultation
    urls = [url for url, _, _ in clinical_pages(consultation)] + [
        reverse("document_detail", args=[printed.public_id]),
        reverse("document_file", args=[printed.public_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for name in ("decision_record", "document_create"):
        response = client.post(
            reverse(name, args=[consultation.public_id]),
            {"kind": "handout", "code": "u_and_e", "action": "accept"},
        )
        assert response.status_code == 404, name
    assert not AccessEvent.objects.exists()


def test_a_nurse_cannot_decide_and_nothing_is_logged(login, nurse, consultation):
    response = login(nurse).post(
        reverse("decision_record", args=[consultation.public_id]),
        {"kind": "investigations", "code": "u_and_e", "action": "accept"},
    )
    assert response.status_code == 403
    assert not AccessEvent.objects.exists()


def test_an_admin_on_clinical_pages_gets_403_and_writes_nothing(login, admin_user, printed):
    client = login(admin_user)
    urls = [url for url, _, _ in clinical_pages(printed.consultation)] + [
        reverse("document_detail", args=[printed.public_id]),
        reverse("document_file", args=[printed.public_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert not AccessEvent.objects.exists()


def test_the_admin_pages_of_a_patient_are_logged(login, admin_user, north, patient):
    client = login(admin_user)
    patient.name = "Margaret Ellis-Hughes"
    patient.save()  # a second version in the history
    version = patient.history.order_by("history_id").first().history_id
    for url in (
        f"/admin/clinic/patient/{patient.pk}/change/",
        f"/admin/clinic/patient/{patient.pk}/history/",
        f"/admin/clinic/patient/{patient.pk}/history/{version}/",
    ):
        assert client.get(url).status_code == 200, url
    assert [e.action for e in events()] == [
        "admin_view_patient",
        "admin_view_patient_history",
        "admin_view_patient_history",
    ]
    for event in events():
        assert event.user == admin_user and event.practice == north
        assert event.patient == patient.public_id and event.consultation is None


def test_the_admin_list_and_another_practices_patient_are_not_logged(login, admin_user, south):
    other = PatientFactory(practice=south, name="Irene Walsh")
    client = login(admin_user)
    assert client.get("/admin/clinic/patient/").status_code == 200
    assert client.get(f"/admin/clinic/patient/{other.pk}/change/").status_code == 302
    assert not AccessEvent.objects.exists()


def test_two_users_of_two_practices_each_log_their_own_practice(
    login, client, gp, north, south, patient
):
    southern_gp = UserFactory(username="south.gp2", practice=south, role=User.Role.GP)
    southern = consultation_for(PatientFactory(practice=south, name="Irene Walsh"), southern_gp)
    login(gp).get(reverse("patient_detail", args=[patient.public_id]))
    client.logout()
    login(southern_gp).get(reverse("consultation_review", args=[southern.public_id]))
    login(southern_gp).get(reverse("patient_detail", args=[patient.public_id]))  # 404
    assert [(e.username, e.practice, e.action, e.patient) for e in events()] == [
        ("north.gp", north, "view_patient", patient.public_id),
        ("south.gp2", south, "view_review", southern.patient.public_id),
    ]


def test_a_record_is_not_shown_when_its_access_cannot_be_logged(gp, patient):
    client = Client(raise_request_exception=False)
    client.force_login(gp)
    with mock.patch.object(AccessEvent.objects, "create", side_effect=DatabaseError("disk")):
        response = client.get(reverse("patient_detail", args=[patient.public_id]))
    assert response.status_code == 500 and "Margaret Ellis" not in response.content.decode()
