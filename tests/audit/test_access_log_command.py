"""python manage.py access_log: the log as JSON Lines, filtered by patient, user and day."""

import json
import uuid
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory
from workup.audit.models import AccessEvent

pytestmark = pytest.mark.django_db


def access_log(*args) -> list[dict]:
    out = StringIO()
    call_command("access_log", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def history(login, gp, nurse, outsider, consultation, printed, south):
    """north.gp opens the patient then the review; north.nurse opens the PDF; south.gp opens a
    Southside patient."""
    login(gp).get(reverse("patient_detail", args=[consultation.patient.public_id]))
    login(gp).get(reverse("consultation_review", args=[consultation.public_id]))
    login(nurse).get(reverse("document_file", args=[printed.public_id])).close()
    other = PatientFactory(practice=south, name="Irene Walsh")
    login(outsider).get(reverse("patient_detail", args=[other.public_id]))
    return consultation.patient, other


def test_it_prints_every_event_oldest_first(history, consultation, printed):
    patient, other = history
    lines = access_log()
    assert [(line["user"], line["action"]) for line in lines] == [
        ("north.gp", "view_patient"),
        ("north.gp", "view_review"),
        ("north.nurse", "download_document"),
        ("south.gp", "view_patient"),
    ]
    first, review, pdf, southern = lines
    assert first == {
        "at": first["at"],
        "user": "north.gp",
        "practice": "Northside Surgery",
        "action": "view_patient",
        "patient": str(patient.public_id),
    }
    assert datetime.fromisoformat(first["at"]).tzinfo is not None
    assert review["consultation"] == str(consultation.public_id) and "document" not in review
    assert pdf["document"] == str(printed.public_id)
    assert southern["practice"] == "Southside Surgery"


def test_the_output_names_no_patient(history):
    out = StringIO()
    call_command("access_log", stdout=out)
    assert "Margaret" not in out.getvalue() and "Irene" not in out.getvalue()
    assert "Ellis" not in out.getvalue() and "Walsh" not in out.getvalue()


def test_it_filters_by_patient_user_and_day(history):
    patient, other = history
    assert {line["patient"] for line in access_log("--patient", str(patient.public_id))} == {
        str(patient.public_id)
    }
    assert len(access_log("--patient", str(patient.public_id))) == 3
    assert [line["action"] for line in access_log("--user", "north.nurse")] == ["download_document"]
    assert len(access_log("--patient", str(patient.public_id), "--user", "north.gp")) == 2
    today = timezone.localdate().isoformat()
    assert len(access_log("--since", today)) == 4
    assert access_log("--since", "2999-01-01") == []


def test_since_counts_from_the_start_of_the_day(gp, patient):
    AccessEvent.objects.create(
        user=gp,
        practice=gp.practice,
        action="view_patient",
        patient=patient.public_id,
        at=timezone.make_aware(datetime(2026, 3, 1, 0, 5)),
    )
    AccessEvent.objects.create(
        user=gp,
        practice=gp.practice,
        action="view_patient",
        patient=patient.public_id,
        at=timezone.make_aware(datetime(2026, 2, 28, 23, 55)),
    )
    assert [line["at"][:16] for line in access_log("--since", "2026-03-01")] == ["2026-03-01T00:05"]


def test_no_match_prints_nothing(history):
    out = StringIO()
    call_command("access_log", "--user", "nobody", stdout=out)
    assert out.getvalue() == ""
    assert access_log("--patient", str(uuid.uuid4())) == []


@pytest.mark.parametrize(
    "args, named",
    [
        (["--patient", "Margaret-Ellis"], "--patient"),
        (["--patient", "12"], "--patient"),
        (["--since", "01/03/2026"], "--since"),
        (["--since", "2026-02-30"], "--since"),
    ],
)
def test_bad_arguments_are_refused_naming_the_option(args, named):
    with pytest.raises(CommandError) as refused:
        call_command("access_log", *args, stdout=StringIO())
    assert str(refused.value).startswith(named + ":")
    assert "Margaret" not in str(refused.value)  # a name typed by mistake is not echoed
    assert refused.value.returncode == 2
