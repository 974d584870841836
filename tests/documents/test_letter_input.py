"""A consultation's documents take the practice's letterhead, the signing GP's registration
number and the patient's allergies from the records (issue 12)."""

import pytest

from tests.documents.helpers import KB
from workup.documents.kinds import KINDS
from workup.documents.services import document_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def letterhead(north, gp):
    north.address, north.telephone, north.ods_code = (
        "1 High Street\nNorthtown",
        "0123 456",
        "A81001",
    )
    north.save()
    gp.first_name, gp.last_name = "Amira", "Patel"
    gp.registration_body, gp.registration_number = "GMC", "1234567"
    gp.save()


def test_the_documents_input_carries_the_letterhead_the_signer_and_the_allergies(
    letterhead, consultation, patient, gp
):
    patient.allergies = "Penicillin (rash)"
    patient.save()
    doc = document_input(consultation)
    assert (doc.practice, doc.practice_address, doc.practice_telephone, doc.practice_ods_code) == (
        "Northside Surgery",
        "1 High Street\nNorthtown",
        "0123 456",
        "A81001",
    )
    assert (doc.clinician, doc.clinician_role, doc.clinician_registration) == (
        "Amira Patel",
        "General practitioner",
        "GMC 1234567",
    )
    assert doc.allergies == "Penicillin (rash)" and not doc.no_known_allergies
    assert doc.allergies_checked is False  # not confirmed at this visit


def test_a_letter_made_from_the_records_prints_them(letterhead, consultation, patient):
    patient.no_known_allergies = True
    patient.nhs_number = "9434765919"
    patient.save()
    html = KINDS["lab_request"].html(document_input(consultation), KB, {})
    for expected in [
        "1 High Street, Northtown",
        "ODS code: A81001",
        "GMC number 1234567",
        "No known allergies",
        "943 476 5919",
    ]:
        assert expected in html, expected


def test_a_gp_without_a_registration_number_signs_with_not_recorded(consultation):
    html = KINDS["lab_request"].html(document_input(consultation), KB, {})
    assert "GMC or NMC number: not recorded" in html
    assert "Allergies:</strong> not recorded" in html


def test_a_new_letterhead_makes_a_new_document_not_the_old_copy(letterhead, consultation, north):
    from workup.documents.services import _fingerprint

    before = _fingerprint("handout", {"language": "en"}, document_input(consultation))
    north.telephone = "0999 000"
    north.save()
    consultation.refresh_from_db()
    after = _fingerprint("handout", {"language": "en"}, document_input(consultation))
    assert before != after
