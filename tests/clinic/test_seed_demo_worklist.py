"""`python manage.py worklist --practice ...` after `seed_demo` lists each demo case of closing
the workup under its kind (issue 11: "Done when")."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from tests.clinic.test_seed_demo_cases import CASES, PRACTICES
from workup.clinic.models import Patient

pytestmark = pytest.mark.django_db

# case -> the (kind, code) lines its patient must have on the worklist
EXPECTED = {
    "results_awaited": {("result_awaited", "u_and_e")},
    "low_potassium_follow_up": {("result_to_review", "potassium")},
    "critical_potassium": {("critical_result", "potassium")},
    "positive_d_dimer": {("critical_result", "d_dimer")},
    "quinine": {("review_due", "quinine_review")},
    "abpi_and_ulcer": {("result_to_review", "ankle_brachial_index")},
    "letter_not_printed": {("letter_not_printed", "vascular")},
}


def worklist(practice: str) -> list[dict]:
    out = io.StringIO()
    call_command("worklist", practice=practice, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize("practice", PRACTICES)
def test_the_worklist_shows_each_demo_case_under_its_kind(practice):
    call_command("seed_demo")
    lines = worklist(practice)
    ours = {
        str(p)
        for p in Patient.objects.filter(practice__name=practice).values_list("public_id", flat=True)
    }
    assert {line["patient"] for line in lines} <= ours  # no other practice's patients
    for case, expected in EXPECTED.items():
        patient = Patient.objects.get(practice__name=practice, mrn=CASES[practice][case])
        mine = [line for line in lines if line["patient"] == str(patient.public_id)]
        assert expected <= {(line["kind"], line["code"]) for line in mine}, (case, mine)
        for line in mine:
            day = date.fromisoformat(line.get("since") or line["due"])
            assert day <= date.today(), (case, line)
            assert patient.name not in json.dumps(line)
