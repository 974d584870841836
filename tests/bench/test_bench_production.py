"""`manage.py bench_production` (make bench): it writes into its database, so it runs only on a
database whose name ends in `_bench` or that a flag names exactly, and it times the pages with
a different logged-in user per client, failing when any answer is not 2xx."""

import io
import os
import re
import shutil
import subprocess
import sys
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from workup.accounts.models import Practice, User
from workup.bench.management.commands import bench_production
from workup.clinic.models import Consultation, Patient
from workup.documents.models import Document

ROOT = Path(__file__).resolve().parents[2]
needs_wrk = pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")


# -- the database guard --------------------------------------------------------------------------
@pytest.fixture
def looks_like_production(settings, monkeypatch):
    """PostgreSQL and a real broker, as production is: the bench's other check passes."""
    monkeypatch.setattr(connections["default"], "vendor", "postgresql")
    settings.CELERY_TASK_ALWAYS_EAGER = False


def _rows():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Practice, User, Patient, Consultation, Document)
    }


@pytest.fixture
def live_data(consultation, gp):
    Document.objects.create(
        consultation=consultation, kind="handout", fingerprint="f" * 64, requested_by=gp
    )
    return _rows()


@pytest.mark.django_db
def test_it_refuses_a_database_whose_name_does_not_end_in_bench(looks_like_production, live_data):
    name = str(connections["default"].settings_dict["NAME"])
    assert not name.endswith("_bench")
    with pytest.raises(CommandError) as refused:
        call_command("bench_production", stdout=io.StringIO())
    assert f"Refusing to run on the database '{name}'" in str(refused.value)
    assert "_bench" in str(refused.value) and "--database-name" in str(refused.value)
    assert _rows() == live_data  # no user, patient or document made or deleted


@pytest.mark.django_db
def test_it_refuses_a_database_name_flag_that_is_not_the_configured_database(
    looks_like_production, live_data
):
    with pytest.raises(CommandError) as refused:
        call_command("bench_production", "--database-name", "workup_bench", stdout=io.StringIO())
    assert "--database-name 'workup_bench' is not the configured database" in str(refused.value)
    assert _rows() == live_data


def _run(database_url, *args):
    """The command in its own process, against a PostgreSQL address where nothing listens."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "CACHE_URL"},
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "bench_production", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_before_it_connects_to_the_database():
    run = _run("postgres://postgres@127.0.0.1:1/workup")
    assert run.returncode != 0
    assert "Refusing to run on the database 'workup'" in run.stderr
    assert "Traceback" not in run.stderr  # the refusal, not a failed connection


@pytest.mark.parametrize(
    "url, args",
    [
        ("postgres://postgres@127.0.0.1:1/workup_bench", []),
        ("postgres://postgres@127.0.0.1:1/workup_staging", ["--database-name", "workup_staging"]),
    ],
)
def test_a_bench_database_or_one_named_exactly_gets_past_the_guard(url, args):
    run = _run(url, *args)
    assert run.returncode != 0 and "Refusing" not in run.stderr
    assert 'server at "127.0.0.1", port 1 failed' in run.stderr  # it went on to the database


# -- bench users and sessions --------------------------------------------------------------------
@pytest.mark.django_db
def test_each_bench_client_is_a_different_logged_in_gp_of_one_practice(client):
    users, patient, consultation = bench_production.bench_data(3)
    assert {u.username for u in User.objects.all()} == {"bench.gp01", "bench.gp02", "bench.gp03"}
    assert {u.practice for u in users} == {patient.practice}
    assert all(u.role == User.Role.GP and not u.check_password("workup-demo") for u in users)
    keys = bench_production.bench_sessions(users)
    assert len(set(keys)) == 3
    for user, key in zip(users, keys, strict=True):
        client.cookies[django_settings.SESSION_COOKIE_NAME] = key
        for url in (
            f"/patients/{patient.public_id}/consultations/new/",
            f"/consultations/{consultation.public_id}/",
        ):
            response = client.get(url)
            assert response.status_code == 200 and response.wsgi_request.user == user


@pytest.mark.django_db
def test_a_second_run_gives_the_bench_users_a_new_password_and_no_more_users():
    first, *_ = bench_production.bench_data(2)
    again, *_ = bench_production.bench_data(2)
    assert User.objects.count() == 2 and Patient.objects.count() == 1
    assert Consultation.objects.count() == 1
    assert first[0].password != again[0].password


# -- load generators: one user per client, non-2xx answers fail the bench --------------------------
class _Server:
    """A tiny HTTP server: 403 for the cookie `sessionid=bad`, else 200; records the cookies."""

    def __init__(self):
        seen = self.seen = []
        posted = self.posted = []  # (cookie, headers, body) of each POST

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                cookie = self.headers.get("Cookie", "")
                seen.append(cookie)
                status = 403 if cookie == "sessionid=bad" else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                posted.append((self.headers.get("Cookie", ""), self.headers, body.decode()))
                self.do_GET()

            def log_message(self, *args):
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/page/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """wrk closes its connections mid-request when its time is up: not the test's error."""


@pytest.fixture
def server():
    s = _Server()
    yield s
    s.close()


GENERATORS = [
    pytest.param(bench_production.wrk_load, marks=needs_wrk, id="wrk"),
    pytest.param(bench_production.python_load, id="python"),
]


@pytest.mark.parametrize("load", GENERATORS)
def test_each_client_sends_its_own_users_cookie(server, load):
    cookies = [f"sessionid=user{i}; csrftoken=t{i}" for i in range(5)]
    result = load(server.url, cookies, 2)
    assert result.requests >= 50 and result.non_2xx == 0 and result.errors == 0
    assert set(server.seen) == set(cookies)
    assert all(server.seen.count(c) >= 10 for c in cookies)  # every client kept sending


@pytest.mark.parametrize("load", GENERATORS)
def test_a_page_answering_403_fails_the_bench_with_the_count(server, load, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: name if load.__name__ == "wrk_load" else None)
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        bench_production.Command(stdout=out).page(
            "review page", server.url, ["sessionid=good", "sessionid=bad"], 2
        )
    refused = int(re.search(r"(\d+) non-2xx", out.getvalue())[1])
    assert 10 < refused <= server.seen.count("sessionid=bad") and "OVER TARGET" in out.getvalue()
    assert re.search(
        rf"review page: {refused} of \d+ answers were not 2xx \(403:{refused}\)", str(failed.value)
    )


# -- the patient list: posted searches, a register of 10,000 patients -----------------------------
@pytest.mark.parametrize("load", GENERATORS)
def test_a_search_is_posted_with_each_clients_own_csrf_token(server, load, settings):
    settings.CSRF_COOKIE_NAME = "csrftoken"
    cookies = [f"sessionid=user{i}; csrftoken=token{i}" for i in range(3)]
    result = load(server.url, cookies, 1, form={"q": "ellis"})
    assert result.requests >= 10 and result.non_2xx == 0 and result.errors == 0
    assert server.posted and all(body == "q=ellis" for _, _, body in server.posted)
    for cookie, headers, _ in server.posted:
        assert headers["X-CSRFToken"] == "token" + cookie.split("=user")[1].split(";")[0]
        assert headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert headers["HX-Request"] == "true"
    assert {cookie for cookie, _, _ in server.posted} == set(cookies)
    assert len(server.seen) == len(server.posted)  # every request was a POST


@needs_wrk
def test_a_posted_page_is_timed_with_wrk_where_it_is_installed(server, monkeypatch):
    monkeypatch.setattr(bench_production, "python_load", None)  # never called
    out = io.StringIO()
    bench_production.Command(stdout=out).page(
        "patient search", server.url, ["sessionid=a; csrftoken=t"], 1, form={"q": "x"}
    )
    assert "POST from wrk" in out.getvalue() and server.posted


@pytest.mark.django_db
def test_the_register_is_made_once_with_valid_nhs_numbers_and_visits():
    from workup.clinic.forms import nhs_number_is_valid

    users, *_ = bench_production.bench_data(2)
    made, visits = bench_production.register_patients(users, count=40, batch=15)
    practice = users[0].practice
    register = Patient.objects.filter(practice=practice, mrn__startswith="BENCH-LIST-")
    assert made == register.count() == 40 and visits > 0
    assert visits == Consultation.objects.filter(patient__in=register).count()
    assert all(nhs_number_is_valid(n) for n in register.values_list("nhs_number", flat=True))
    assert len(set(register.values_list("nhs_number", flat=True))) == 40
    seen = register.filter(consultations__isnull=False).distinct().count()
    assert 10 < seen < 40  # some never seen
    assert all(  # the last visit, as the patient list sorts by it
        p.last_seen == max((c.date for c in p.consultations.all()), default=None)
        for p in register.prefetch_related("consultations")
    )
    assert all(
        c.intake["age"] == c.patient.age_on(c.date) >= 18 and c.assessment and c.clinician in users
        for c in Consultation.objects.filter(patient__in=register).select_related("patient")
    )
    assert bench_production.register_patients(users, count=40) == (0, 0)  # kept, not made again
    assert bench_production.register_patients(users, count=45)[0] == 5  # only those missing


def test_sample_patients_are_the_same_for_a_seed_and_adults():
    from datetime import date

    from workup.bench.samples import sample_patients

    today = date(2026, 11, 24)
    first = sample_patients(200, today, seed=3)
    assert first == sample_patients(200, today, seed=3) != sample_patients(200, today, seed=4)
    assert all(21 <= (today - p["date_of_birth"]).days / 365.25 < 100 for p in first)
    assert all(today - timedelta(days=3 * 366) <= d <= today for p in first for d in p["visits"])
    assert all(p["nhs_number"].startswith("999") for p in first)
