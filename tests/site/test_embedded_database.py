"""The embedded default (SQLite in a file, runserver's threads) serves two clinicians saving at
the same moment: both saves land. Before, one of them failed with "database is locked" (a
500) whenever two transactions met halfway."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Run in a process of its own, on a SQLite file as `make run` uses one: a GP and a nurse, each
# logged in through the login page with CSRF enforced, post an intake at the same moment.
SCRIPT = r"""
import re, threading
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from datetime import date

setup_test_environment()
call_command("migrate", verbosity=0)
from workup.accounts.models import Practice, User
from workup.clinic import services
from tests.factories import INTAKE_POST

practice = Practice.objects.create(name="Northside Surgery")
for username, role in (("gp", User.Role.GP), ("nurse", User.Role.NURSE)):
    User.objects.create_user(username, password="a-long-password-0", practice=practice, role=role)
patients = [
    services.patient_create(practice=practice, name=f"Patient {n}", date_of_birth=date(1950, 1, n),
                            sex="female")
    for n in (1, 2)
]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ready = threading.Barrier(2)
answers = {}


def clinician(username, patient):
    c = Client(enforce_csrf_checks=True)
    token = TOKEN.search(c.get("/accounts/login/").content.decode())[1]
    c.post("/accounts/login/", {"username": username, "password": "a-long-password-0",
                                "csrfmiddlewaretoken": token})
    url = f"/patients/{patient.public_id}/consultations/new/"
    token = TOKEN.search(c.get(url).content.decode())[1]
    ready.wait()
    try:
        answers[username] = c.post(url, {**INTAKE_POST, "csrfmiddlewaretoken": token}).status_code
    except Exception as exc:
        answers[username] = type(exc).__name__ + ": " + str(exc)


pairs = zip(("gp", "nurse"), patients)
threads = [threading.Thread(target=clinician, args=pair) for pair in pairs]
[t.start() for t in threads]
[t.join() for t in threads]
print("ANSWERS", sorted(answers.items()))
"""


@pytest.mark.slow
def test_two_clinicians_saving_at_the_same_moment_both_land(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="workup.settings",
        DOCUMENT_ROOT=str(tmp_path / "documents"),
        PYTHONPATH=str(ROOT),
    )
    for _ in range(3):  # three times over: both must land every time
        (tmp_path / "db.sqlite3").unlink(missing_ok=True)
        proc = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=180,
        )
        assert "ANSWERS [('gp', 302), ('nurse', 302)]" in proc.stdout, (
            proc.stdout[-500:] + proc.stderr[-2000:]
        )
