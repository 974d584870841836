"""`manage.py handout` and `manage.py referral`: a contract intake in, a PDF out, no database."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.factories import intake_data

ROOT = Path(__file__).resolve().parents[2]


def run(*args, tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/no/such/dir/db.sqlite3")
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def intake(tmp_path):
    path = tmp_path / "intake.json"
    path.write_text(
        json.dumps(
            intake_data(left=["varicose_veins", "venous_symptoms"], medications=["Lasix 40mg"])
        )
    )
    return path


@pytest.mark.parametrize(
    "language, heading",
    [("en", "Your leg cramps: what to do"), ("es", "Sus calambres en las piernas: qué hacer")],
)
def test_handout_writes_a_pdf_in_the_language_asked(intake, tmp_path, language, heading):
    out = tmp_path / "h.pdf"
    proc = run(
        "handout",
        intake,
        "--language",
        language,
        "--name",
        "Ada Lovelace",
        "--output",
        out,
        tmp_path=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert heading in " ".join(text.split()) and "Ada Lovelace" in text


def test_referral_writes_a_letter(intake, tmp_path):
    out = tmp_path / "r.pdf"
    proc = run("referral", intake, "--to", "vascular", "--output", out, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Referral to Vascular service" in PdfReader(str(out)).pages[0].extract_text()


@pytest.mark.parametrize(
    "command", [["handout", "--language", "en"], ["referral", "--to", "vascular"]]
)
def test_bad_input_is_handled_as_recommend_handles_it(tmp_path, command):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(intake_data(cramps={"longest_minutes": -1})))
    out = tmp_path / "x.pdf"
    proc = run(command[0], bad, *command[1:], "--output", out, tmp_path=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"{bad}: cramps.longest_minutes: must be a number from 0 to 1440"
    assert "Traceback" not in proc.stderr and not out.exists()
