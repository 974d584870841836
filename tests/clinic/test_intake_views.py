"""The intake page: defaults, validation beside the field, nothing typed lost, live panel."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.clinic.assertions import error_beside_field
from tests.factories import INTAKE_POST, consultation_for
from workup.clinic.models import Consultation

pytestmark = pytest.mark.django_db

GOOD = {
    **INTAKE_POST,
    "examination": ["calf_swelling_3cm", "deep_vein_tenderness"],
    "medications": "Lasix 40mg\n\nSeretide 250\n",
}


def test_saving_an_intake_assesses_it_and_records_the_knowledge_base(login, gp, patient, kb):
    response = login(gp).post(reverse("consultation_create", args=[patient.public_id]), GOOD)
    consultation = Consultation.objects.get()
    assert response.url == reverse("consultation_review", args=[consultation.public_id])
    assert consultation.knowledge_base_version == kb.version
    assert consultation.assessment["knowledge_base"] == kb.version
    assert consultation.assessment["contract"] == 2
    assert consultation.intake["medications"] == ["Lasix 40mg", "Seretide 250"]
    assert consultation.intake["findings"] == ["calf_swelling_3cm", "deep_vein_tenderness"]
    assert consultation.intake["age"] == patient.age_on(consultation.date)
    assert [f["code"] for f in consultation.assessment["red_flags"]] == ["suspected_dvt"]
    assert consultation.clinician == gp


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"episodes_per_week": ""}, "episodes_per_week", "This field is required."),
        ({"episodes_per_week": "-2"}, "episodes_per_week", "greater than or equal to 0"),
        ({"episodes_per_week": "lots"}, "episodes_per_week", "Enter a number."),
        ({"longest_minutes": "-1"}, "longest_minutes", "greater than or equal to 0"),
        ({"when": []}, "when", "This field is required."),
        ({"sites": []}, "sites", "This field is required."),
        ({"side": ""}, "side", "This field is required."),
        ({"relieved_by_stretching": "maybe"}, "relieved_by_stretching", "Select a valid choice."),
        ({"examination": ["hiccups"]}, "examination", "Select a valid choice. hiccups"),
        ({"left_leg": ["varicose"]}, "left_leg", "Select a valid choice. varicose"),
        ({"pregnancy": "yes"}, "pregnancy", "Select a valid choice."),
        ({"medications": "x" * 201}, "medications", "at most 200 characters"),
        ({"medications": "\n".join(["Lasix"] * 101)}, "medications", "at most 100 medicines"),
    ],
)
def test_a_bad_field_gets_its_message_beside_it_and_keeps_what_was_typed(
    login, gp, patient, change, field, message
):
    data = {**GOOD, **change}
    response = login(gp).post(reverse("consultation_create", args=[patient.public_id]), data)
    assert response.status_code == 200
    assert not Consultation.objects.exists()
    assert message in error_beside_field(response, field)
    html = " ".join(response.content.decode().split())
    # everything else typed is still there
    if field != "medications":
        assert "Lasix 40mg\n\nSeretide 250" in response.content.decode()
    if field != "examination":
        assert re.search(r'value="calf_swelling_3cm" id="id_examination_\d+" checked', html)
    if field not in ("side", "examination"):
        assert re.search(r'value="left" id="id_side_\d+" required checked', html)
    assert "Nothing you entered has been lost" in html


def test_a_new_consultation_starts_with_sensible_defaults(login, gp, patient):
    form = login(gp).get(reverse("consultation_create", args=[patient.public_id])).context["form"]
    assert form["when"].value() == ["night"] and form["sites"].value() == ["calf"]
    assert form["side"].value() == "both" and form["relieved_by_stretching"].value() == "yes"


def test_a_follow_up_carries_over_conditions_medicines_and_legs_but_not_symptoms(
    login, gp, patient
):
    consultation_for(
        patient,
        gp,
        conditions=["diabetes"],
        medications=["Lipitor"],
        findings=["calf_swelling_3cm"],
        left=["varicose_veins"],
    )
    response = login(gp).get(reverse("consultation_create", args=[patient.public_id]))
    form = response.context["form"]
    assert form["conditions"].value() == ["diabetes"]
    assert form["medications"].value() == "Lipitor"
    assert form["left_leg"].value() == ["varicose_veins"]
    assert form["examination"].value() in (None, [])
    assert "carried over from the visit" in response.content.decode()


def test_editing_an_intake_reassesses_and_drops_decisions_no_longer_relevant(
    login, gp, consultation
):
    client = login(gp)
    review = reverse("decision_record", args=[consultation.public_id])
    client.post(
        review, {"kind": "differentials", "code": "deep_vein_thrombosis", "action": "accept"}
    )
    client.post(review, {"kind": "investigations", "code": "medication_review", "action": "accept"})
    edit = reverse("consultation_edit", args=[consultation.public_id])
    form = client.get(edit).context["form"]
    assert form["examination"].value() == ["calf_swelling_3cm", "deep_vein_tenderness"]
    client.post(edit, {**GOOD, "examination": [], "version": form["version"].value()})
    consultation.refresh_from_db()
    assert consultation.assessment["red_flags"] == []
    assert [d.code for d in consultation.decisions.all()] == ["medication_review"]
    assert consultation.history.count() == 2


def test_the_live_panel_shows_red_flags_first_and_saves_nothing(login, nurse, patient):
    response = login(nurse).post(reverse("live_assessment", args=[patient.public_id]), GOOD)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Suspected deep vein thrombosis") < html.index("Investigations")
    assert "Proximal leg-vein ultrasound" in html
    assert not Consultation.objects.exists()


def test_the_live_panel_asks_for_what_is_missing(login, gp, patient):
    response = login(gp).post(
        reverse("live_assessment", args=[patient.public_id]), {**GOOD, "episodes_per_week": ""}
    )
    assert "Complete Cramps per week" in response.content.decode()


def test_the_live_panel_for_a_male_patient_refuses_a_pregnancy_instead_of_assessing_it(
    login, gp, patient
):
    patient.sex = "male"
    patient.save()
    response = login(gp).post(
        reverse("live_assessment", args=[patient.public_id]),
        {**GOOD, "pregnancy": "possible", "examination": []},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "cannot be recorded for a male patient" in html
    assert "Pregnancy test" not in html


def test_sessions_end_after_30_minutes_without_activity(login, gp, settings):
    client = login(gp)
    assert client.get(reverse("patient_list")).status_code == 200
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    session.expire_date = timezone.now() - timedelta(seconds=1)
    session.save()
    response = client.get(reverse("patient_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_second_clinician_saving_an_older_version_is_refused_and_keeps_their_entries(
    client, login, gp, nurse, consultation
):
    from django.test import Client

    edit = reverse("consultation_edit", args=[consultation.public_id])
    first = login(gp)
    second = Client()
    second.force_login(nurse)
    opened = second.get(edit).context["form"]["version"].value()
    assert first.get(edit).context["form"]["version"].value() == opened == 1

    assert first.post(edit, {**GOOD, "version": 1, "medications": "Lipitor"}).status_code == 302
    refused = second.post(edit, {**GOOD, "version": 1, "medications": "Seretide 250"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Not saved: Alex" in html and "changed this consultation at" in html
    assert "Seretide 250" in html  # nothing typed is lost
    consultation.refresh_from_db()
    assert consultation.intake["medications"] == ["Lipitor"] and consultation.version == 2
    assert consultation.updated_by == gp
    # having looked, saving again replaces it knowingly
    again = refused.context["form"]["version"].value()
    assert str(again) == "2"
    assert (
        second.post(edit, {**GOOD, "version": again, "medications": "Seretide 250"}).status_code
        == 302
    )
    consultation.refresh_from_db()
    assert consultation.intake["medications"] == ["Seretide 250"] and consultation.version == 3
