"""python manage.py bench_production: production-mode figures, printed (`make bench` runs it).

It writes into the database that DATABASE_URL names (its migrations, a bench practice with one
GP per client, two fictional patients, and at each run new consultations and handouts), so it
refuses to run, before anything touches the database, unless that database's name ends in
`_bench` (make bench uses `workup_bench`) or `--database-name` repeats the configured name
exactly. It makes no demo users and deletes nothing.

Against the machine's PostgreSQL and Redis (CELERY_BROKER_URL, CACHE_URL):
- p50 and p95 latency of the intake and review pages under 20 concurrent clients on gunicorn
  for 20 s each, each client a different GP of the bench practice with a session of its own
  (wrk with one thread and one connection per client, or Python threads), and the number of
  answers that were not 2xx: any such answer (a 403, a redirect to the login page) or socket
  error fails the bench;
- `recommend` throughput in intakes per second (the engine, warm);
- handout render time per page in a warm worker process;
- handouts per second with 2 worker processes.

The bench GPs get a new random password at each run, never printed: nobody logs in as them.
Their sessions are written straight into the session store, so the bench never posts to the
login page and django-axes never counts anything.
"""

import http.client
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from http.cookies import SimpleCookie
from importlib import import_module
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import override_settings

from workup.accounts.models import Practice, User
from workup.bench.samples import sample_intakes
from workup.clinic import services
from workup.clinic.models import Patient
from workup.engine import recommend
from workup.knowledge.loading import knowledge_base

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
BENCH_PRACTICE = "Bench Surgery (manage.py bench_production)"
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The consultation whose intake and review pages are timed: a red flag, medicines, a CEAP class.
PAGE_INTAKE = {
    "pregnancy": "none",
    "cramps": {
        "episodes_per_week": 4,
        "longest_minutes": 3,
        "when": ["night"],
        "sites": ["calf"],
        "side": "left",
        "relieved_by_stretching": True,
        "sleep_disturbed": True,
    },
    "findings": ["calf_swelling_3cm", "deep_vein_tenderness"],
    "conditions": [],
    "medications": ["Lasix 40mg", "Ramipril 5mg"],
    "legs": {"left": ["varicose_veins", "venous_symptoms"], "right": []},
}


class Command(BaseCommand):
    help = (
        "Print production-mode latency and throughput figures (needs PostgreSQL and Redis). "
        "Runs only on a database whose name ends in _bench, or one named by --database-name."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-name",
            metavar="NAME",
            help="run on this database although its name does not end in "
            "_bench (must equal the configured name exactly)",
        )
        parser.add_argument(
            "--clients",
            type=int,
            default=20,
            help="concurrent clients, each a different logged-in user",
        )
        parser.add_argument("--seconds", type=float, default=20, help="per page")
        parser.add_argument("--handouts", type=int, default=40)

    def handle(self, *args, database_name, clients, seconds, handouts, **options):
        check_bench_database(database_name)  # first: nothing has touched the database yet
        vendor = connections[DEFAULT_DB_ALIAS].vendor  # from the settings, no query
        if vendor != "postgresql" or settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError(
                "run with DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL set: make bench does"
            )
        call_command("migrate", database=DEFAULT_DB_ALIAS, verbosity=0)
        users, patient, consultation = bench_data(clients)
        self.recommend_throughput()
        with tempfile.TemporaryDirectory() as tmp:
            env = self.production_env(Path(tmp))
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
            )
            self.pages(
                env,
                users,
                [
                    ("intake page", f"/patients/{patient.public_id}/consultations/new/"),
                    ("review page", f"/consultations/{consultation.public_id}/"),
                ],
                seconds,
            )
            self.handouts(env, users, handouts)

    # -- recommend ---------------------------------------------------------------------------
    def recommend_throughput(self):
        kb = knowledge_base()
        intakes = sample_intakes(kb, 5000, seed=7)
        start = time.perf_counter()
        for intake in intakes:
            recommend(intake, kb)
        rate = len(intakes) / (time.perf_counter() - start)
        self.report(
            "recommend", f"{rate:,.0f} intakes per second (target at least 2,000)", rate >= 2000
        )

    # -- pages under load --------------------------------------------------------------------
    def production_env(self, tmp: Path) -> dict:
        return {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DOCUMENT_ROOT": str(tmp / "documents"),
            "STATIC_ROOT": str(tmp / "static"),
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "BIND": f"127.0.0.1:{PORT}",
            "ACCESS_LOG": os.devnull,
        }

    def pages(self, env, users, pages, seconds):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "workup.wsgi", "-c", "workup/deploy/gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait(lambda: _get_status(f"{BASE}/accounts/login/") == 200, 30, "gunicorn")
            cookies = warm_up(users, [BASE + path for _, path in pages], env["SECRET_KEY"])
            for name, path in pages:
                self.page(name, BASE + path, cookies, seconds)
        finally:
            server.terminate()
            server.wait(20)

    def page(self, name, url, cookies, seconds):
        """Time one page with one client per cookie; CommandError if any answer was not 2xx."""
        if shutil.which("wrk"):
            generator = "wrk, one thread and connection per client"
            result = wrk_load(url, cookies, seconds)
        else:
            generator = "Python threads (install wrk for a lighter load generator)"
            result = python_load(url, cookies, seconds)
        failed = result.non_2xx or result.errors
        self.report(
            name,
            f"p50 {result.p50:.0f} ms, p95 {result.p95:.0f} ms over "
            f"{result.requests} requests in {seconds:.0f} s from {len(cookies)} "
            "concurrent clients, each a different logged-in user; "
            f"{result.non_2xx} non-2xx, {result.errors} socket errors; "
            f"{generator} (target p95 at most 150 ms)",
            not failed and result.p95 <= 150,
        )
        if failed:
            raise CommandError(
                f"{name}: {result.non_2xx} of {result.requests} answers were not 2xx "
                f"({result.statuses or 'none'}) and {result.errors} requests failed "
                f"({result.socket or 'no answer'}), so the figures above are not those of "
                "the page: the bench failed"
            )

    # -- handouts ------------------------------------------------------------------------------
    def handouts(self, env, users, count):
        from workup.documents.services import document_request

        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workup",
                "worker",
                "--queues",
                "pdf",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--hostname",
                "bench@%h",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            from workup.celery import app

            _wait(lambda: bool(app.control.ping(timeout=0.5)), 60, "the Celery worker")
            # New consultations at each run, so that every handout is really rendered (a
            # document is made once per consultation and inputs) and none has to be deleted.
            consultations = handout_consultations(users, count + 4)
            # warm both worker processes (fonts, templates) before timing
            warm = [
                document_request(
                    consultation=c,
                    user=c.clinician,
                    kind="handout",
                    options={"language": "es", "large_print": True},
                )
                for c in consultations[:4]
            ]
            _wait(lambda: all(_ready(d) for d in warm), 60, "warm-up handouts")
            start = time.perf_counter()
            documents = [
                document_request(
                    consultation=c,
                    user=c.clinician,
                    kind="handout",
                    options={"language": "en", "large_print": False},
                )
                for c in consultations[4:]
            ]
            _wait(lambda: all(_ready(d) for d in documents), 300, "the handouts")
            elapsed = time.perf_counter() - start
            pages = sum(d.pages for d in documents)
            self.report(
                "handouts, 2 workers",
                f"{len(documents) / elapsed:.1f} handouts per "
                f"second ({len(documents)} handouts, {pages} pages in {elapsed:.1f} s; "
                "target at least 8)",
                len(documents) / elapsed >= 8,
            )
            self.report(
                "handout render",
                f"{elapsed * 2 / pages * 1000:.0f} ms per page in a warm worker (2 processes)",
                True,
            )
        finally:
            os.killpg(worker.pid, 15)
            worker.wait(30)

    def report(self, what, figure, ok):
        self.stdout.write(f"{what + ':':22} {figure} {'OK' if ok else 'OVER TARGET'}")


# -- the database guard ------------------------------------------------------------------------
def check_bench_database(database_name: str | None) -> str:
    """The configured database's name if the bench may write into it, else CommandError. Reads
    the settings only: nothing is sent to the database."""
    configured = str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])
    if database_name is not None:
        if database_name != configured:
            raise CommandError(
                f"--database-name {database_name!r} is not the configured database "
                f"({configured!r}, from DATABASE_URL). Nothing was done."
            )
        return configured
    if not configured.endswith("_bench"):
        raise CommandError(
            f"Refusing to run on the database {configured!r}: bench_production migrates it and "
            "writes bench users, patients and documents into it, so it runs only on a database "
            "whose name ends in _bench (make bench uses workup_bench), or with "
            f"--database-name {configured} to name this one on purpose. Nothing was done."
        )
    return configured


# -- bench data: made in the bench database only ---------------------------------------------
def bench_data(clients: int):
    """The bench practice, its `clients` GPs and the patient whose pages are timed (made once,
    kept), as (users, patient, consultation). The GPs' password is new and random at each run
    (one hash for all: nobody ever types it)."""
    practice, _ = Practice.objects.get_or_create(name=BENCH_PRACTICE)
    password = make_password(secrets.token_urlsafe(32))
    users = [
        User.objects.update_or_create(
            username=f"bench.gp{i:02d}",
            defaults={
                "first_name": "Bench",
                "last_name": f"GP {i:02d}",
                "role": User.Role.GP,
                "practice": practice,
                "is_staff": False,
                "is_superuser": False,
                "is_active": True,
                "password": password,
            },
        )[0]
        for i in range(1, clients + 1)
    ]
    patient = _bench_patient(practice, "Bench Pages", "BENCH-PAGES", date(1958, 5, 1), "male")
    consultation = patient.consultations.first() or services.consultation_create(
        patient=patient,
        clinician=users[0],
        intake={"age": patient.age_on(date.today()), "sex": patient.sex, **PAGE_INTAKE},
    )
    return users, patient, consultation


def handout_consultations(users, count):
    """`count` new consultations (sample intakes) of the bench's handout patient."""
    practice = users[0].practice
    patient = _bench_patient(
        practice, "Bench Handouts", "BENCH-HANDOUTS", date(1950, 1, 1), "female"
    )
    return [
        services.consultation_create(
            patient=patient, clinician=users[i % len(users)], intake=intake
        )
        for i, intake in enumerate(sample_intakes(knowledge_base(), count, seed=11))
    ]


def _bench_patient(practice, name, mrn, date_of_birth, sex) -> Patient:
    return Patient.objects.filter(practice=practice, mrn=mrn).first() or services.patient_create(
        practice=practice, name=name, mrn=mrn, date_of_birth=date_of_birth, sex=sex
    )


def bench_sessions(users, secret_key: str | None = None) -> list[str]:
    """A session key per user, written straight into the session store as a login would
    (no login page, so no django-axes attempt and no login signal). `secret_key`: the server's,
    which signs the session and its password hash, if it is not this process's."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    with override_settings(SECRET_KEY=secret_key or settings.SECRET_KEY):
        for user in users:
            session = store()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = SESSION_BACKEND
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.save()
            keys.append(session.session_key)
    return keys


def warm_up(users, urls, secret_key) -> list[str]:
    """Each user opens each page once with a session of its own; returns each client's Cookie
    header (session and CSRF cookie, as the browser would send them). CommandError naming the
    user if a page does not answer 200."""
    cookies = []
    for user, key in zip(users, bench_sessions(users, secret_key), strict=True):
        jar = {settings.SESSION_COOKIE_NAME: key}
        for url in urls:
            status, set_cookies = _get(url, "; ".join(f"{k}={v}" for k, v in jar.items()))
            if status != 200:
                raise CommandError(
                    f"{user.username} got {status} instead of 200 from {url}: "
                    "the bench cannot measure that page"
                )
            for header in set_cookies:
                jar.update({k: m.value for k, m in SimpleCookie(header).items() if m.value})
        cookies.append("; ".join(f"{k}={v}" for k, v in jar.items()))
    return cookies


# -- load generators ---------------------------------------------------------------------------
class Load(NamedTuple):
    requests: int
    p50: float
    p95: float
    non_2xx: int
    errors: int  # connections refused, reset or timed out
    statuses: str  # the non-2xx answers by status, e.g. "302:4,403:290"
    socket: str = ""  # the errors by kind, e.g. "connect:0,read:2,write:0,timeout:0"


def wrk_load(url, cookies, seconds) -> Load:
    """wrk for `seconds`, with one thread and one connection per cookie: each client is one
    user, sending requests one after another."""
    script = Path(settings.BASE_DIR) / "workup" / "deploy" / "wrk_report.lua"
    clients = len(cookies)
    with tempfile.NamedTemporaryFile("w", suffix=".cookies") as cookie_file:
        cookie_file.write("\n".join(cookies) + "\n")
        cookie_file.flush()
        out = subprocess.run(
            [
                "wrk",
                f"-t{clients}",
                f"-c{clients}",
                f"-d{max(int(seconds), 1)}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                url,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "WRK_COOKIE_FILE": cookie_file.name},
        )
    m = re.search(
        r"RESULT requests=(\d+) p50_ms=([\d.]+) p95_ms=([\d.]+) non_2xx=(\d+) "
        r"errors=(\d+) statuses=(\S*) socket=(\S*)",
        out.stdout,
    )
    if out.returncode or not m:
        raise CommandError(f"wrk gave no figures: {(out.stdout + out.stderr)[-300:]}")
    return Load(int(m[1]), float(m[2]), float(m[3]), int(m[4]), int(m[5]), m[6], m[7])


def python_load(url, cookies, seconds) -> Load:
    """One thread per cookie (client) for `seconds`, each sending requests one after another.
    Redirects are not followed: they count as non-2xx."""
    parts = urllib.parse.urlsplit(url)
    latencies, statuses, errors, lock = [], Counter(), [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def client(cookie):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                connection.request("GET", parts.path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                with lock:
                    errors[0] += 1
                continue
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                statuses[response.status] += 1
        connection.close()

    with ThreadPoolExecutor(len(cookies)) as pool:
        list(pool.map(client, cookies))
    bad = {status: n for status, n in statuses.items() if not 200 <= status <= 299}
    return Load(
        len(latencies),
        _percentile(latencies, 50),
        _percentile(latencies, 95),
        sum(bad.values()),
        errors[0],
        ",".join(f"{status}:{n}" for status, n in sorted(bad.items())),
    )


# -- helpers -----------------------------------------------------------------------------------
def _ready(document) -> bool:
    document.refresh_from_db()
    if document.status == "failed":
        raise CommandError(f"a handout failed: {document.error}")
    return document.status == "ready"


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise CommandError(f"timed out waiting for {what}")


def _get_status(url) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status


def _get(url, cookie) -> tuple[int, list[str]]:
    """GET without following redirects: (status, Set-Cookie headers)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", parts.path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return response.status, response.headers.get_all("Set-Cookie") or []
    finally:
        connection.close()


def _percentile(values, p):
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100)[p - 1]
