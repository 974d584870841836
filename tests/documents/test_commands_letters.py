"""`manage.py referral` fills what the intake knows (age, sex) and says "not recorded" for the
rest: no dash, no blank (issue 12)."""

import json

import pytest
from pypdf import PdfReader

from tests.documents.test_commands import run
from tests.factories import intake_data


@pytest.fixture
def intake(tmp_path):
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(intake_data(findings=["fasciculations", "muscle_wasting"], age=71)))
    return path


def text_of(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages).split())


def test_referral_fills_age_and_sex_from_the_intake_and_says_not_recorded_for_the_rest(
    intake, tmp_path
):
    out = tmp_path / "r.pdf"
    proc = run("referral", intake, "--to", "neurology", "--output", out, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = text_of(out)
    for expected in [
        "Patient: not recorded · NHS number: not recorded",
        "Date of birth: not recorded · Age: 71 · Sex: Female",
        "Allergies: not recorded",
        "Practice: not recorded",
        "To: Neurology service",
        "From: not recorded",
        "GMC or NMC number: not recorded",
        "Please assess for neuromuscular disease.",
        "Signature: ____",
    ]:
        assert expected in text, expected
    assert "—" not in text.split("Referral to Neurology — URGENT", 1)[1]  # no dash for a gap


def test_referral_prints_the_name_given(intake, tmp_path):
    out = tmp_path / "r.pdf"
    proc = run(
        "referral",
        intake,
        "--to",
        "neurology",
        "--name",
        "Ada Lovelace",
        "--output",
        out,
        tmp_path=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Patient: Ada Lovelace · NHS number: not recorded" in text_of(out)
