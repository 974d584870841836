"""`python manage.py recommend FILE [FILE ...]`, run as a GP's script or an EHR would run it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import intake_data

ROOT = Path(__file__).resolve().parents[2]


def run(*args, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", "recommend", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        env=env,
    )


@pytest.fixture
def write(tmp_path):
    def _write(name, content):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else json.dumps(content))
        return path

    return _write


def test_one_file_prints_one_assessment(write, kb):
    proc = run(write("a.json", intake_data(medications=["Lasix 40mg"])))
    assert proc.returncode == 0, proc.stderr
    assessment = json.loads(proc.stdout)
    assert assessment["contract"] == 2 and assessment["knowledge_base"] == kb.version
    assert "u_and_e" in [i["code"] for i in assessment["investigations"]]


def test_several_files_print_json_lines_in_order_and_a_bad_one_keeps_its_place(write):
    good1 = write("good1.json", intake_data())
    bad = write("bad.json", intake_data(findings=["calf_swelling"]))
    good2 = write("good2.json", intake_data(findings=["tetanus_prone_wound"]))
    proc = run(good1, bad, good2)
    assert proc.returncode == 2
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["differentials"][0]["code"] == "idiopathic_nocturnal_leg_cramps"
    assert lines[1] == {"error": f"{bad}: findings[0]: unknown code 'calf_swelling'"}
    assert lines[2]["red_flags"][0]["code"] == "tetanus_risk"
    assert proc.stderr.strip() == f"{bad}: findings[0]: unknown code 'calf_swelling'"


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON (line 1, column 2)"),
        ('{"age": 60}', "sex: is required"),
        (
            json.dumps(intake_data(cramps={"longest_minutes": -1})),
            "cramps.longest_minutes: must be a number from 0 to 1440",
        ),
        (b"\xff\xfe{}", "is not UTF-8 text"),
        ("[" * 2000 + "]" * 2000, "not valid JSON (nested too deeply)"),
        ('{"age": ' + "9" * 5000 + "}", "not valid JSON (a number is too long)"),
    ],
)
def test_bad_input_is_one_line_naming_file_and_field_with_no_traceback(write, content, message):
    path = write("case.json", content)
    proc = run(path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stderr.startswith(f"{path}: ")
    assert proc.stderr.strip() == f"{path}: {message}"


def test_a_missing_file_is_reported_not_raised(tmp_path):
    proc = run(tmp_path / "nope.json")
    assert proc.returncode == 2 and "nope.json: cannot read the file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_dash_reads_standard_input():
    proc = run("-", stdin=json.dumps(intake_data(pregnancy="possible")))
    assert proc.returncode == 0, proc.stderr
    assert [i["code"] for i in json.loads(proc.stdout)["investigations"]] == ["pregnancy_test"]


def test_it_needs_no_database(write, tmp_path):
    """Pointed at a database that cannot exist, it still answers."""
    import os

    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/missing/dir/db.sqlite3")
    proc = run(write("a.json", intake_data()), env=env)
    assert proc.returncode == 0, proc.stderr


def test_a_broken_knowledge_base_is_named_not_raised(write, tmp_path):
    import os
    import shutil

    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "fixtures" / "knowledge_base", kb)
    rules = (
        (kb / "rules.yaml").read_text().replace("investigations: [tsh]", "investigations: [tssh]")
    )
    (kb / "rules.yaml").write_text(rules)
    proc = run(write("a.json", intake_data()), env=dict(os.environ, KNOWLEDGE_BASE_DIR=str(kb)))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "rules.yaml: rule 'thyroid': unknown investigation 'tssh'" in proc.stderr
