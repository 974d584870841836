"""Allergies: on the patient record (listed, or none known), shown on every clinical screen,
and checked with the patient at every consultation ("Allergies checked ..." is ticked to
save); a change made at the intake updates the record, and the history keeps the old one."""

from datetime import date

import pytest
from django.urls import reverse

from tests.clinic.assertions import error_beside_field
from tests.factories import INTAKE_POST, PatientFactory, accept, consultation_for
from workup.clinic.models import Consultation, Patient

pytestmark = pytest.mark.django_db

NEW_PATIENT = {
    "name": "Ada Lovelace",
    "date_of_birth": "1950-12-10",
    "sex": "female",
    "nhs_number": "943 476 5919",
    "mrn": "",
    "language": "en",
}
# the intake's POST without its allergy fields (each test says what the GP did)
INTAKE = {
    k: v
    for k, v in INTAKE_POST.items()
    if k not in ("allergies", "no_known_allergies", "allergies_confirmed")
}


def flat(response) -> str:
    return " ".join(response.content.decode().split())


def new_consultation(patient):
    return reverse("consultation_create", args=[patient.public_id])


def test_a_new_patients_allergies_are_saved_and_shown_on_the_patient_page(login, nurse):
    client = login(nurse)
    client.post(reverse("patient_create"), {**NEW_PATIENT, "allergies": "Penicillin: rash\n"})
    patient = Patient.objects.get()
    assert (patient.allergies, patient.no_known_allergies) == ("Penicillin: rash", False)
    html = flat(client.get(reverse("patient_detail", args=[patient.public_id])))
    assert "Allergies</span> <strong>Penicillin: rash</strong>" in html


def test_no_known_allergies_and_not_recorded_are_said_as_such(login, nurse, north):
    none_known = PatientFactory(practice=north, no_known_allergies=True)
    not_asked = PatientFactory(practice=north)
    client = login(nurse)
    assert "Allergies: none known" in flat(
        client.get(reverse("patient_detail", args=[none_known.public_id]))
    )
    assert "Allergies not recorded" in flat(
        client.get(reverse("patient_detail", args=[not_asked.public_id]))
    )


def test_allergies_listed_and_none_known_together_are_refused_by_name_keeping_the_text(
    login, nurse
):
    response = login(nurse).post(
        reverse("patient_create"),
        {**NEW_PATIENT, "allergies": "Latex", "no_known_allergies": "on"},
    )
    assert response.status_code == 200 and not Patient.objects.exists()
    assert "Allergies: “No known allergies” is ticked but allergies are listed" in (
        error_beside_field(response, "no_known_allergies")
    )
    assert "> Latex</textarea>" in flat(response)
    assert 'value="Ada Lovelace"' in flat(response)


def test_the_intake_asks_for_the_allergy_check_and_keeps_everything_typed(browser, gp, patient):
    page = new_consultation(patient)
    response = browser(gp).submit(
        page, {**INTAKE, "allergies": "Codeine: vomiting", "episodes_per_week": "6"}
    )
    assert response.status_code == 200 and not Consultation.objects.exists()
    assert "Allergies: tick “Allergies checked with the patient today”" in error_beside_field(
        response, "allergies_confirmed"
    )
    html = flat(response)
    assert "Codeine: vomiting</textarea>" in html and 'value="6"' in html
    assert "Nothing you entered has been lost" in html
    patient.refresh_from_db()
    assert patient.allergies == ""  # nothing saved


def test_checked_with_nothing_recorded_asks_for_the_allergies_or_none_known(browser, gp, patient):
    response = browser(gp).submit(
        new_consultation(patient), {**INTAKE, "allergies_confirmed": "on"}
    )
    assert response.status_code == 200 and not Consultation.objects.exists()
    assert "Allergies: list the allergies, or tick “No known allergies”" in (
        error_beside_field(response, "allergies")
    )


def test_the_intake_opens_with_the_recorded_allergies_and_one_tick_confirms_them(
    browser, gp, north
):
    patient = PatientFactory(practice=north, allergies="Penicillin: rash")
    b = browser(gp)
    page = new_consultation(patient)
    html = flat(b.get(page))
    assert "Penicillin: rash</textarea>" in html
    assert (
        'name="allergies_confirmed"' in html and 'id="id_allergies_confirmed" checked' not in html
    )
    response = b.submit(
        page, {**INTAKE, "allergies": "Penicillin: rash", "allergies_confirmed": "on"}
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.allergies_confirmed
    patient.refresh_from_db()
    assert patient.allergies == "Penicillin: rash"
    assert patient.history.count() == 1  # unchanged: no new version of the record


def test_allergies_changed_at_the_intake_update_the_record_and_the_history_keeps_the_old(
    browser, gp, north
):
    patient = PatientFactory(practice=north, no_known_allergies=True)
    response = browser(gp).submit(
        new_consultation(patient),
        {**INTAKE, "allergies": "  Ibuprofen:   wheeze ", "allergies_confirmed": "on"},
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.allergies, patient.no_known_allergies) == ("Ibuprofen: wheeze", False)
    before = patient.history.order_by("history_date")
    assert [(h.allergies, h.no_known_allergies) for h in before] == [
        ("", True),
        ("Ibuprofen: wheeze", False),
    ]


def test_an_edit_opens_with_the_visits_check_ticked(login, gp, north):
    patient = PatientFactory(practice=north, no_known_allergies=True)
    consultation = consultation_for(patient, gp)
    edit = reverse("consultation_edit", args=[consultation.public_id])
    client = login(gp)
    assert not client.get(edit).context["form"]["allergies_confirmed"].value()
    form = client.get(edit).context["form"]
    response = client.post(
        edit,
        {
            **INTAKE,
            "no_known_allergies": "on",
            "allergies_confirmed": "on",
            "version": form["version"].value(),
        },
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.allergies_confirmed
    assert consultation.history.count() == 2  # made, then edited: one version per save
    assert client.get(edit).context["form"]["allergies_confirmed"].value() is True


def test_the_live_panel_does_not_wait_for_the_allergy_check(login, nurse, patient):
    response = login(nurse).post(
        reverse("live_assessment", args=[patient.public_id]), {**INTAKE, "allergies": "x" * 5000}
    )
    html = flat(response)
    assert "CEAP left leg" in html and "Complete" not in html


def test_the_patient_page_says_when_the_allergies_were_last_checked(browser, gp, north):
    patient = PatientFactory(practice=north, no_known_allergies=True)
    consultation_for(patient, gp)  # saved before the check was asked
    b = browser(gp)
    detail = reverse("patient_detail", args=[patient.public_id])
    assert "allergies not yet checked at a visit" in flat(b.get(detail))
    b.submit(new_consultation(patient), {**INTAKE_POST})
    assert f"allergies last checked {date.today():%-d %b %Y}" in flat(b.get(detail))


def test_the_header_shows_age_nhs_number_3_3_4_and_allergies_on_each_screen(login, gp, north):
    patient = PatientFactory(
        practice=north,
        name="Joan Whitaker",
        date_of_birth=date(1956, 3, 14),
        nhs_number="9434765919",
        allergies="Penicillin: rash",
    )
    consultation = accept(
        consultation_for(patient, gp, medications=["Furosemide 40mg"]),
        gp,
        "investigations",
        "u_and_e",
    )
    age = patient.age_on(date.today())
    client = login(gp)
    for url in (
        reverse("patient_detail", args=[patient.public_id]),
        reverse("consultation_create", args=[patient.public_id]),
        reverse("consultation_edit", args=[consultation.public_id]),
        reverse("consultation_results", args=[consultation.public_id]),
    ):
        html = flat(client.get(url))
        assert f"Female, born 14 Mar 1956 (age {age})" in html, url
        assert 'NHS number <span class="text-nowrap">943 476 5919</span>' in html, url
        assert "<strong>Penicillin: rash</strong>" in html, url
