"""What a warm worker keeps between documents (workup/documents/pdf.py): the font configuration
and the bytes of the project's static files, never anything of a patient."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.documents.helpers import KB, document_input, flat, kind_html
from tests.factories import PatientFactory, consultation_for
from workup.documents import pdf, services
from workup.documents.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # PDFs are drawn and read back

# a suspected DVT with varicose veins: every kind of document has something to say
DVT_LEGS = dict(
    findings=["calf_swelling_3cm", "deep_vein_tenderness"],
    left=["varicose_veins", "venous_symptoms"],
)


def handout_text(consultation, user):
    document = services.document_request(
        consultation=consultation,
        user=user,
        kind="handout",
        options={"language": "en", "large_print": False},
    )
    services.document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.READY, document.error
    with document.file.open("rb") as f:
        return flat(f.read())


def test_two_patients_handouts_rendered_back_to_back_hold_only_their_own_names(north, gp):
    ada = PatientFactory(practice=north, name="Ada Quennell")
    bram = PatientFactory(practice=north, name="Bram Oyelaran")
    first = handout_text(consultation_for(ada, gp), gp)
    second = handout_text(consultation_for(bram, gp, medications=["Lasix 40mg"]), gp)
    third = handout_text(consultation_for(ada, gp, medications=["Amlodipine 5mg"]), gp)
    assert "Ada Quennell" in first and "Bram Oyelaran" not in first
    assert "Bram Oyelaran" in second and "Ada Quennell" not in second
    assert "Ada Quennell" in third and "Bram Oyelaran" not in third
    assert "furosemide" in second and "furosemide" not in third  # each its own medicines


def test_the_process_keeps_only_the_projects_static_files(north, gp):
    patient = PatientFactory(practice=north, name="Cleo Vantongeren")
    handout_text(consultation_for(patient, gp), gp)
    static = (Path(settings.BASE_DIR) / "workup" / "static").resolve()
    kept = list(pdf.STATIC_FILES)
    assert kept, "the handout's fonts and pictures are read once per process"
    assert all(path.is_relative_to(static) for path in kept)
    assert {path.suffix for path in kept} <= {".ttf", ".svg"}
    assert not any(b"Vantongeren" in data for _mtime, data in pdf.STATIC_FILES.values())


def test_a_static_file_changed_on_disk_is_read_again(tmp_path):
    picture = tmp_path / "picture.svg"
    picture.write_bytes(b"<svg/>")
    assert pdf._static_bytes(picture) == b"<svg/>"
    picture.write_bytes(b"<svg></svg>")
    stat = picture.stat()
    os.utime(picture, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert pdf._static_bytes(picture) == b"<svg></svg>"
    del pdf.STATIC_FILES[picture]


@pytest.mark.parametrize(
    "kind, options",
    [
        ("handout", {"language": "en"}),
        ("handout", {"language": "es", "large_print": "on"}),
        ("referral", {"to": "vascular"}),
        ("scan_request", {"test": "proximal_leg_vein_ultrasound"}),
        ("lab_request", {}),
    ],
)
def test_a_documents_style_sheet_is_the_same_whoever_it_is_for(kind, options):
    """The style sheet is parsed once per process and kept: it must hold nothing of the
    document's own data."""
    ada = document_input(name="Ada Quennell", medications=["Lasix 40mg"], **DVT_LEGS)
    bram = document_input(name="Bram Oyelaran", age=44, sex="male", **DVT_LEGS)
    styles = [pdf.STYLE.search(kind_html(kind, doc, KB, **options))[1] for doc in (ada, bram)]
    assert styles[0] == styles[1]
    pdf.render_pdf(kind_html(kind, ada, KB, **options))
    assert not any("Quennell" in text for text in pdf.STYLESHEETS)
