"""Contract 2 on the GP's screens (issue 9): the new findings and pregnancy value, the patients
the engine refuses, medicine suggestions and stopped medicines, and the new lists (results,
actions, earlier requests). Here results come with the stored intake; recording them, and the
intake carrying them from the records, is tested in test_results.py and test_followup.py."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.factories import INTAKE_POST, PatientFactory, consultation_for
from workup.clinic.forms import FINDING_GROUPS, SPLIT_FINDINGS, finding_synonyms
from workup.clinic.models import Consultation, Patient

pytestmark = pytest.mark.django_db

GOOD = {**INTAKE_POST}


def flat(response) -> str:
    return " ".join(response.content.decode().split())


def checked(html: str, field: str, value: str) -> bool:
    return bool(
        re.search(rf'name="{field}" value="{value}" id="id_{field}_\d+"[^>]* checked', html)
    )


def red_flag_banner(html: str, code: str) -> str:
    start = html.index(f'id="red_flags-{code}"')
    return html[html.rindex("<div", 0, start) : html.index("</div>\n</div>", start)]


def label(kb, section: str, code: str) -> str:
    text = kb.vocabulary[section][code]["label"]
    return text[:1].upper() + text[1:]


# -- The new findings and pregnancy value --------------------------------------------------------


def test_it_places_each_new_finding_in_its_group_and_no_longer_offers_the_old_one(kb):
    assert "chest_pain_or_breathlessness" in FINDING_GROUPS["symptoms"]
    assert {"foot_ulcer", "gangrene"} <= set(FINDING_GROUPS["examination"])
    assert all("foot_ulcer_or_gangrene" not in codes for codes in FINDING_GROUPS.values())


def test_each_split_finding_is_a_synonym_the_knowledge_base_reads_as_a_finding_on_the_form():
    synonyms = finding_synonyms()
    placed = {code for codes in FINDING_GROUPS.values() for code in codes}
    for old in SPLIT_FINDINGS:
        assert synonyms.get(old) in placed, old


def test_it_saves_the_new_findings_and_shows_them_ticked_when_edited(browser, gp, patient, kb):
    page = reverse("consultation_create", args=[patient.public_id])
    data = {
        **GOOD,
        "symptoms": ["chest_pain_or_breathlessness"],
        "examination": ["foot_ulcer", "gangrene"],
    }
    response = browser(gp).submit(page, data)
    assert response.status_code == 302, flat(response)[:2000]
    consultation = Consultation.objects.get()
    assert consultation.intake["findings"] == [
        "chest_pain_or_breathlessness",
        "foot_ulcer",
        "gangrene",
    ]
    client = browser(gp)
    html = flat(client.get(reverse("consultation_edit", args=[consultation.public_id])))
    assert checked(html, "symptoms", "chest_pain_or_breathlessness")
    assert checked(html, "examination", "foot_ulcer") and checked(html, "examination", "gangrene")
    assert label(kb, "findings", "chest_pain_or_breathlessness") in html
    review = flat(client.get(reverse("consultation_review", args=[consultation.public_id])))
    pe = kb.catalogue["red_flags"]["suspected_pulmonary_embolism"]["label"]
    assert f"EMERGENCY: {pe}" in review


def test_postpartum_is_offered_with_its_label_and_saved(browser, gp, patient, kb):
    page = reverse("consultation_create", args=[patient.public_id])
    client = browser(gp)
    form_html = flat(client.get(page))
    assert 'value="postpartum"' in form_html
    assert label(kb, "pregnancy", "postpartum") in form_html
    assert client.submit(page, {**GOOD, "pregnancy": "postpartum"}).status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.intake["pregnancy"] == "postpartum"
    edit = client.get(reverse("consultation_edit", args=[consultation.public_id]))
    assert edit.context["form"]["pregnancy"].value() == "postpartum"


# -- Patients the engine refuses -----------------------------------------------------------------


@pytest.fixture
def child(north):
    return PatientFactory(
        practice=north, name="Lily Hart", date_of_birth=date.today() - timedelta(days=365 * 12 + 30)
    )


def test_a_patient_under_16_is_told_on_opening_the_intake_page(browser, gp, child):
    response = browser(gp).get(reverse("consultation_create", args=[child.public_id]))
    assert response.status_code == 200
    html = flat(response)
    assert "this tool is for adults aged 16 and over" in html.lower()
    assert f"Lily Hart is {child.age_on(date.today())}" in html
    assert "Record the cramps to see the assessment" not in html  # the panel says why instead


def test_saving_for_a_patient_under_16_is_refused_clearly_and_nothing_typed_is_lost(
    browser, gp, child
):
    page = reverse("consultation_create", args=[child.public_id])
    data = {**GOOD, "examination": ["calf_swelling_3cm"], "symptoms": ["thyroid_symptoms"]}
    response = browser(gp).submit(page, data)
    assert response.status_code == 200
    assert not Consultation.objects.exists()
    html = flat(response)
    assert "Not saved. This tool is for adults aged 16 and over" in html
    assert html.lower().count("this tool is for adults aged 16 and over") >= 1
    assert "Lasix 40mg\nSeretide 250" in response.content.decode()
    assert checked(html, "examination", "calf_swelling_3cm")
    assert checked(html, "symptoms", "thyroid_symptoms")
    assert 'name="episodes_per_week" value="4"' in html


def test_the_live_panel_for_a_patient_under_16_says_why_there_is_no_assessment(browser, gp, child):
    page = reverse("consultation_create", args=[child.public_id])
    response = browser(gp).htmx_post(
        page, reverse("live_assessment", args=[child.public_id]), GOOD, form_id="intake-form"
    )
    assert response.status_code == 200
    assert "this tool is for adults aged 16 and over" in flat(response).lower()
    assert "Investigations" not in flat(response)


@pytest.fixture
def man(north):
    return PatientFactory(practice=north, name="Derek Owusu", sex=Patient.Sex.MALE)


def test_a_man_is_not_asked_about_pregnancy(browser, gp, man):
    response = browser(gp).get(reverse("consultation_create", args=[man.public_id]))
    assert '<input type="hidden" name="pregnancy" value="none"' in flat(response)


def test_a_forged_pregnancy_for_a_man_is_refused_with_a_clear_message(browser, gp, man, kb):
    page = reverse("consultation_create", args=[man.public_id])
    response = browser(gp).submit(page, {**GOOD, "pregnancy": "trimester_2"})
    assert response.status_code == 200
    assert not Consultation.objects.exists()
    html = flat(response)
    words = (
        f"Pregnancy: “{label(kb, 'pregnancy', 'trimester_2')}” cannot be recorded for a "
        "male patient"
    )
    assert words in html
    assert "Lasix 40mg\nSeretide 250" in response.content.decode()


def test_the_live_panel_refuses_a_forged_pregnancy_for_a_man(browser, gp, man):
    page = reverse("consultation_create", args=[man.public_id])
    response = browser(gp).htmx_post(
        page,
        reverse("live_assessment", args=[man.public_id]),
        {**GOOD, "pregnancy": "possible"},
        form_id="intake-form",
    )
    html = flat(response)
    assert "cannot be recorded for a male patient" in html
    assert "Pregnancy test" not in html


# -- Medicines as typed --------------------------------------------------------------------------


def test_an_unrecognised_medicine_gets_suggestions_on_the_review_page_never_applied(
    login, gp, patient
):
    consultation = consultation_for(patient, gp, medications=["furosemid 40mg"])
    entry = consultation.assessment["medications"][0]
    assert entry["drug"] is None and entry["suggestions"][0] == "furosemide"
    html = flat(login(gp).get(reverse("consultation_review", args=[consultation.public_id])))
    assert "Not recognised: check the name" in html
    assert "Did you mean furosemide" in html
    assert "data-medication-name" not in html  # nothing to click on a read-only page
    assert consultation.intake["medications"] == ["furosemid 40mg"]


def test_the_live_panel_suggests_and_offers_each_name_as_an_explicit_choice(browser, gp, patient):
    page = reverse("consultation_create", args=[patient.public_id])
    client = browser(gp)
    response = client.htmx_post(
        page,
        reverse("live_assessment", args=[patient.public_id]),
        {**GOOD, "medications": "furosemid 40mg"},
        form_id="intake-form",
    )
    html = flat(response)
    assert "Did you mean furosemide" in html
    assert re.search(
        r'<button type="button"[^>]* data-medication-line="furosemid 40mg" '
        r'data-medication-name="furosemide"',
        html,
    )
    # saving as typed keeps it as typed: a suggestion is never applied by itself
    assert client.submit(page, {**GOOD, "medications": "furosemid 40mg"}).status_code == 302
    assert Consultation.objects.get().intake["medications"] == ["furosemid 40mg"]


def test_a_stopped_medicine_is_shown_as_stopped_not_as_current(login, gp, patient):
    consultation = consultation_for(patient, gp, medications=["stopped furosemide 2019"])
    assert consultation.assessment["medications"][0]["stopped"] is True
    html = flat(login(gp).get(reverse("consultation_review", args=[consultation.public_id])))
    row = html[html.index("<td>stopped furosemide 2019</td>") :]
    row = row[: row.index("</tr>")]
    assert "Stopped" in row and "not a current medicine" in row
    assert '<tr class="med-linked"><td>stopped furosemide 2019' not in html


# -- A record of the former finding "foot ulcer or gangrene" ------------------------------------


@pytest.fixture
def old_record(patient, gp):
    return consultation_for(patient, gp, findings=["foot_ulcer_or_gangrene"])


def test_an_old_foot_ulcer_or_gangrene_record_opens_with_foot_ulcer_ticked_and_a_note(
    browser, gp, old_record
):
    assert old_record.intake["findings"] == ["foot_ulcer_or_gangrene"]
    edit = reverse("consultation_edit", args=[old_record.public_id])
    client = browser(gp)
    html = flat(client.get(edit))
    assert checked(html, "examination", "foot_ulcer")
    assert not checked(html, "examination", "gangrene")
    note = html[html.index('class="alert alert-warning py-2 record-note"') :]
    assert "record which it is" in note[: note.index("</div>")]
    # once saved with the GP's choice, the note has done its work
    form = client.get(edit).context["form"]
    data = {**GOOD, "examination": ["gangrene"], "version": form["version"].value()}
    assert client.submit(edit, data).status_code == 302
    old_record.refresh_from_db()
    assert old_record.intake["findings"] == ["gangrene"]
    assert "record-note" not in flat(client.get(edit))


def test_the_review_of_an_old_foot_ulcer_or_gangrene_record_asks_for_it_too(login, gp, old_record):
    html = flat(login(gp).get(reverse("consultation_review", args=[old_record.public_id])))
    assert "record-note" in html and "record which it is" in html


# -- Results, actions and earlier requests ---------------------------------------------------


@pytest.fixture
def followed_up(patient, gp):
    """A follow-up whose stored intake carries a result and an earlier request."""
    return consultation_for(
        patient,
        gp,
        medications=["Furosemide 40mg"],
        results=[{"code": "potassium", "value": 3.1}],
        previous=[
            {"code": "venous_duplex_ultrasound", "kind": "investigation", "date": "2026-10-03"}
        ],
        left=["varicose_veins", "venous_symptoms"],
    )


def test_the_review_shows_results_actions_and_what_was_already_requested(
    login, gp, followed_up, kb
):
    html = flat(login(gp).get(reverse("consultation_review", args=[followed_up.public_id])))
    results = html[html.index('id="results-potassium"') :]
    results = results[: results.index("</tr>")]
    assert "Potassium" in results and "3.1 mmol/L" in results and ">Low<" in results
    assert "below 3.5" in results  # its reason, as the engine gives it
    action = kb.catalogue["actions"]["review_diuretic"]["label"]
    card = html[html.index('id="actions-review_diuretic"') :]
    assert action in card[: card.index("Sources:")]
    assert "Requested on 3 Oct 2026, result awaited" in html
    # an action is accepted or declined like any other item; an earlier request is not
    assert f'aria-label="Accept {action}"' in html
    duplex = kb.catalogue["investigations"]["venous_duplex_ultrasound"]["label"]
    assert f'aria-label="Accept {duplex}"' not in html
    assert html.index("Results") < html.index("Investigations")


def test_the_live_panel_of_another_patients_consultation_is_not_found(
    browser, gp, followed_up, north
):
    other = PatientFactory(practice=north)
    page = reverse("consultation_create", args=[other.public_id])
    response = browser(gp).htmx_post(
        page,
        reverse("live_assessment", args=[other.public_id])
        + f"?consultation={followed_up.public_id}",
        GOOD,
        form_id="intake-form",
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "fields, code, urgency",
    [
        (
            {"findings": ["chest_pain_or_breathlessness"]},
            "suspected_pulmonary_embolism",
            "EMERGENCY",
        ),
        ({"results": [{"code": "potassium", "value": 6.7}]}, "critical_result", "EMERGENCY"),
        ({"results": [{"code": "sodium", "value": 121}]}, "critical_result", "SAME DAY"),
        (
            {"results": [{"code": "proximal_leg_vein_ultrasound", "value": "positive"}]},
            "confirmed_dvt",
            "SAME DAY",
        ),
    ],
    ids=["pulmonary-embolism", "potassium-6.7", "sodium-121", "confirmed-dvt"],
)
def test_the_new_red_flags_are_as_loud_as_any_other(login, gp, patient, kb, fields, code, urgency):
    consultation = consultation_for(patient, gp, **fields)
    html = (
        login(gp)
        .get(reverse("consultation_review", args=[consultation.public_id]))
        .content.decode()
    )
    banner = red_flag_banner(html, code)
    assert 'class="alert alert-danger red-flag"' in banner and 'role="alert"' in banner
    assert f"{urgency}: {kb.catalogue['red_flags'][code]['label']}" in banner
    assert kb.catalogue["red_flags"][code]["action"] in banner
    assert html.index(f'id="red_flags-{code}"') < html.index("Investigations")


def test_a_consultation_assessed_under_contract_1_still_opens(login, gp, patient):
    consultation = consultation_for(patient, gp, medications=["furosemid"])
    old = {k: v for k, v in consultation.assessment.items() if k not in ("actions", "results")}
    old.update(
        contract=1,
        knowledge_base="2026.1",
        medications=[
            {k: v for k, v in m.items() if k not in ("suggestions", "stopped")}
            for m in old["medications"]
        ],
    )
    consultation.assessment = old
    consultation.save()
    client = login(gp)
    review = client.get(reverse("consultation_review", args=[consultation.public_id]))
    assert review.status_code == 200
    html = flat(review)
    assert "Not recognised: check the name" in html and "Did you mean" not in html
    assert '<h2 class="h5 mt-3">Actions</h2>' not in html
    assert (
        client.get(reverse("consultation_edit", args=[consultation.public_id])).status_code == 200
    )
