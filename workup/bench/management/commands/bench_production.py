"""python manage.py bench_production: production-mode figures, printed (`make bench` runs it).

It writes into the database that DATABASE_URL names (its migrations, a bench practice with one
GP per client, two fictional patients, a register of 10,000 fictional patients with their
consultations, made once, and at each run new consultations and handouts), so it
refuses to run, before anything touches the database, unless that database's name ends in
`_bench` (make bench uses `workup_bench`) or `--database-name` repeats the configured name
exactly. It makes no demo users and deletes nothing.

Against the machine's PostgreSQL and Redis (CELERY_BROKER_URL, CACHE_URL):
- p50 and p95 latency of the intake and review pages, the patient list (first page) and a
  patient search (posted, as the page sends it) in a practice of 10,000 patients, under 20
  concurrent clients on gunicorn for 20 s each, each client a different GP of the bench
  practice with a session of its own (wrk with one thread and one connection per client, or
  Python threads; the search posted with its CSRF token), and the number of answers that
  were not 2xx: any such answer (a 403, a redirect to the login page) or socket error fails
  the bench;
- `recommend` throughput in intakes per second (the engine, warm);
- handout render time per page in a warm worker process;
- handouts per second with 2 worker processes;
- Print to PDF as the GPs feel it: p50 and p95 from the POST (Print) to the PDF downloaded,
  with 20 GPs clicking Print at once (each on a consultation of its own) on gunicorn with the
  2 worker processes, the status asked again as the page asks it (target p95 at most 1 s).

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
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import override_settings

from workup.accounts.models import Practice, User
from workup.bench.samples import sample_intakes, sample_patients
from workup.clinic import services
from workup.clinic.models import Consultation, Patient
from workup.documents.models import Document
from workup.engine import recommend
from workup.knowledge.loading import knowledge_base

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
BENCH_PRACTICE = "Bench Surgery (manage.py bench_production)"
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The patient list is timed on a practice of this many patients (the bench practice's
# register, made once), first page and a search by part of a name (about 1 in 100 match).
LIST_PATIENTS = 10_000
LIST_MRN = "BENCH-LIST-"
LIST_SEARCH = "ellis"
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
        self.register(users)
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
                    ("intake page", f"/patients/{patient.public_id}/consultations/new/", None),
                    ("review page", f"/consultations/{consultation.public_id}/", None),
                    ("patient list", "/patients/", None),
                    # the search is a POST (no patient data in a URL), as the page sends it
                    ("patient search", "/patients/", {"q": LIST_SEARCH}),
                ],
                seconds,
            )
            self.handouts(env, users, handouts)

    # -- the practice's register, for the patient list ---------------------------------------
    def register(self, users):
        start = time.perf_counter()
        made, visits = register_patients(users)
        practice = users[0].practice
        self.report(
            "patient list data",
            f"{Patient.objects.filter(practice=practice).count():,} patients and "
            f"{Consultation.objects.filter(patient__practice=practice).count():,} consultations "
            f"in the bench practice ({made:,} patients and {visits:,} consultations made now "
            f"in {time.perf_counter() - start:.1f} s; at least {LIST_PATIENTS:,} patients)",
            Patient.objects.filter(practice=practice).count() >= LIST_PATIENTS,
        )

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
            urls = list(dict.fromkeys(BASE + path for _, path, _ in pages))
            cookies = warm_up(users, urls, env["SECRET_KEY"])
            for name, path, form in pages:
                self.page(name, BASE + path, cookies, seconds, form=form)
        finally:
            server.terminate()
            server.wait(20)

    def page(self, name, url, cookies, seconds, form=None):
        """Time one page with one client per cookie; CommandError if any answer was not 2xx.
        `form`: POST it (with each client's CSRF token), as a search is sent."""
        posted = "POST from " if form is not None else ""
        if shutil.which("wrk"):
            generator = f"{posted}wrk, one thread and connection per client"
            result = wrk_load(url, cookies, seconds, form=form)
        else:
            generator = f"{posted}Python threads (install wrk for a lighter load generator)"
            result = python_load(url, cookies, seconds, form=form)
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
            self.print_to_pdf(env, users)
        finally:
            os.killpg(worker.pid, 15)
            worker.wait(30)

    def print_to_pdf(self, env, users, rounds=None):
        """Print in one click as the GPs feel it: on gunicorn (the production settings), each
        client a different GP on the review page of a consultation of its own, all clicking
        Print at once, `rounds` times; each time from the POST to the PDF downloaded, with
        the status asked again as the page asks it (print_once)."""
        rounds = rounds or PRINT_ROUNDS
        clients = len(users)
        consultations = handout_consultations(users, clients * rounds)
        with Gunicorn(env):
            sessions = bench_sessions(users, env["SECRET_KEY"])
            result = print_load(sessions, consultations, rounds)
        failed = len(result.failures)
        self.report(
            "print to PDF",
            f"p50 {result.p50:.0f} ms, p95 {result.p95:.0f} ms, slowest {result.slowest:.0f} ms "
            f"over {len(result.latencies)} prints: {rounds} rounds of {clients} GPs clicking "
            "Print at once, each a different GP and consultation, from the POST to the PDF "
            f"downloaded (the status asked again as the page asks it); {failed} failed "
            f"(target p95 at most {PRINT_TARGET_MS} ms)",
            not failed and result.p95 <= PRINT_TARGET_MS,
        )
        made = sorted(
            (d.updated_at - d.created_at).total_seconds() * 1000
            for d in Document.objects.filter(consultation__in=consultations, status="ready")
        )
        self.stdout.write(
            f"{'  of which, made:':22} p50 {_inclusive_percentile(made, 50):.0f} ms, p95 "
            f"{_inclusive_percentile(made, 95):.0f} ms from the document's row (the POST "
            "answered) to its PDF stored, for the same prints (the rest: the POST waiting for "
            "its answer, the status's next ask, the download)"
        )
        if failed:
            raise CommandError(
                f"print to PDF: {failed} of {clients * rounds} prints failed "
                f"({'; '.join(sorted(set(result.failures))[:5])}): the bench failed"
            )

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


def register_patients(users, count: int = LIST_PATIENTS, batch: int = 1000) -> tuple[int, int]:
    """The bench practice's register for the patient list: `count` fictional patients
    (workup.bench.samples.sample_patients, MRN BENCH-LIST-00001...), about two in three with
    one to four consultations of the bench GPs, each intake assessed by the engine. Made once
    and kept: a run makes only those missing. Bulk inserts, in batches, with no history rows
    (bench data). Returns (patients made, consultations made)."""
    practice = users[0].practice
    have = set(
        Patient.objects.filter(practice=practice, mrn__startswith=LIST_MRN).values_list(
            "mrn", flat=True
        )
    )
    missing = [
        (mrn, p)
        for mrn, p in (
            (f"{LIST_MRN}{i:05d}", p)
            for i, p in enumerate(sample_patients(count, date.today(), seed=12), 1)
        )
        if mrn not in have
    ]
    kb = knowledge_base()
    intakes = sample_intakes(kb, 101, seed=13)
    made = visits = 0
    for start in range(0, len(missing), batch):
        chunk = missing[start : start + batch]
        with transaction.atomic():
            patients = Patient.objects.bulk_create(
                Patient(
                    practice=practice,
                    name=p["name"],
                    date_of_birth=p["date_of_birth"],
                    sex=p["sex"],
                    nhs_number=p["nhs_number"],
                    mrn=mrn,
                    last_seen=max(p["visits"], default=None),
                )
                for mrn, p in chunk
            )
            consultations = [
                _register_visit(kb, patient, users[(made + i) % len(users)], day, intakes, i + k)
                for i, (patient, (_, p)) in enumerate(zip(patients, chunk, strict=True))
                for k, day in enumerate(p["visits"])
            ]
            Consultation.objects.bulk_create(consultations, batch_size=500)
        made += len(patients)
        visits += len(consultations)
    database = connections[DEFAULT_DB_ALIAS]
    if database.vendor == "postgresql" and not database.in_atomic_block:
        # fresh planner statistics and visibility map (index-only scans) for the timings, at
        # every run: each run adds consultations, and a migration may have rewritten the rows
        # (autovacuum would get there within a minute or so; the timings start at once)
        with database.cursor() as cursor:
            for model in (Patient, Consultation):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return made, visits


def _register_visit(kb, patient, clinician, day, intakes, n) -> Consultation:
    """A consultation of a register patient on `day`: one of the sample intakes, with the
    patient's own age and sex, and nothing from earlier visits."""
    intake = {
        **intakes[n % len(intakes)],
        "age": patient.age_on(day),
        "sex": patient.sex,
        "pregnancy": "none",
        "results": [],
        "previous": [],
    }
    return Consultation(
        patient=patient,
        clinician=clinician,
        date=day,
        intake=intake,
        assessment=recommend(intake, kb),
        knowledge_base_version=kb.version,
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


def wrk_load(url, cookies, seconds, form: dict | None = None) -> Load:
    """wrk for `seconds`, with one thread and one connection per cookie: each client is one
    user, sending requests one after another. With `form`, each request POSTs it with the
    client's CSRF token, as htmx does (wrk_report.lua)."""
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
            env={
                **os.environ,
                "WRK_COOKIE_FILE": cookie_file.name,
                "WRK_CSRF_COOKIE": settings.CSRF_COOKIE_NAME,
                **({"WRK_BODY": urllib.parse.urlencode(form)} if form is not None else {}),
            },
        )
    m = re.search(
        r"RESULT requests=(\d+) p50_ms=([\d.]+) p95_ms=([\d.]+) non_2xx=(\d+) "
        r"errors=(\d+) statuses=(\S*) socket=(\S*)",
        out.stdout,
    )
    if out.returncode or not m:
        raise CommandError(f"wrk gave no figures: {(out.stdout + out.stderr)[-300:]}")
    return Load(int(m[1]), float(m[2]), float(m[3]), int(m[4]), int(m[5]), m[6], m[7])


def python_load(url, cookies, seconds, form: dict | None = None) -> Load:
    """One thread per cookie (client) for `seconds`, each sending requests one after another.
    Redirects are not followed: they count as non-2xx. With `form`, each request POSTs it,
    with the client's CSRF token (its cookie's) in the X-CSRFToken header, as htmx does."""
    parts = urllib.parse.urlsplit(url)
    method, body = ("POST", urllib.parse.urlencode(form)) if form is not None else ("GET", None)

    def headers(cookie):
        if form is None:
            return {"Cookie": cookie}
        token = SimpleCookie(cookie).get(settings.CSRF_COOKIE_NAME)
        return {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": token.value if token else "",
            "HX-Request": "true",
        }

    latencies, statuses, errors, lock = [], Counter(), [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def client(cookie):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        sent = headers(cookie)
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                connection.request(method, parts.path, body=body, headers=sent)
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


# -- Print to PDF, as the review page does it ---------------------------------------------------
PRINT_ROUNDS = 5  # times the 20 GPs click Print at once
PRINT_TARGET_MS = 1000
PRINT_FORM = {"kind": "handout", "language": "en"}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATUS_DELAY = re.compile(r'hx-trigger="load delay:(\d+)ms"')
PDF_URL = re.compile(r'data-pdf-url="([^"]+)"')


class PrintLoad(NamedTuple):
    latencies: list  # ms, one per print that gave its PDF
    failures: list  # what went wrong, one per print that did not
    p50: float
    p95: float
    slowest: float


class Gunicorn:
    """The production web server for the bench, as `pages` starts it."""

    def __init__(self, env):
        self.env = env

    def __enter__(self):
        self.server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "workup.wsgi",
                "-c",
                "workup/deploy/gunicorn.conf.py",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait(lambda: _get_status(f"{BASE}/accounts/login/") == 200, 30, "gunicorn")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        self.server.terminate()
        self.server.wait(20)


def _http(method, path, cookie, *, body=None, headers=()):
    """(status, headers, body) of one request to the bench server, without following a
    redirect."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Cookie": cookie, **dict(headers)})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def open_review(session_key, consultation) -> tuple[str, str]:
    """A GP opens the review page: (Cookie header with session and CSRF cookie, the page's CSRF
    token)."""
    jar = {settings.SESSION_COOKIE_NAME: session_key}
    status, headers, body = _http(
        "GET",
        f"/consultations/{consultation.public_id}/",
        f"{settings.SESSION_COOKIE_NAME}={session_key}",
    )
    if status != 200:
        raise CommandError(f"the review page answered {status}: the bench cannot print")
    for header in headers.get_all("Set-Cookie") or []:
        jar.update({k: m.value for k, m in SimpleCookie(header).items() if m.value})
    token = CSRF_FIELD.search(body.decode())
    if token is None or settings.CSRF_COOKIE_NAME not in jar:
        raise CommandError("the review page gave no CSRF token: the bench cannot print")
    return "; ".join(f"{k}={v}" for k, v in jar.items()), token[1]


def print_once(cookie, token, consultation) -> tuple[float, str]:
    """Print clicked on the review page, as workup/static/print.js and htmx do it: the POST,
    its redirect followed (the status), the status asked again after the delay it gives, then
    the PDF. Milliseconds from the POST to the PDF's last byte, and the document's page
    (print.js redraws the page's list of documents from it when the GP comes back from the
    PDF's tab); CommandError on anything a GP would not get."""
    htmx = {"HX-Request": "true", "X-CSRFToken": token}
    start = time.perf_counter()
    status, headers, _ = _http(
        "POST",
        f"/consultations/{consultation.public_id}/documents/",
        cookie,
        body=urllib.parse.urlencode({**PRINT_FORM, "csrfmiddlewaretoken": token}),
        headers={**htmx, "Content-Type": "application/x-www-form-urlencoded"},
    )
    document = urllib.parse.urlsplit(headers.get("Location", "")).path
    if status != 302 or not document.startswith("/documents/"):
        raise CommandError(f"Print answered {status} {document}, not a redirect to the document")
    while True:
        status, _, body = _http("GET", document, cookie, headers=htmx)
        if status != 200:
            raise CommandError(f"the document's status answered {status}")
        html = body.decode()
        pdf = PDF_URL.search(html)
        if pdf:
            break
        delay = STATUS_DELAY.search(html)
        if delay is None:
            raise CommandError("the document failed (the status asks no more)")
        if time.perf_counter() - start > 60:
            raise CommandError("the PDF was not ready after 60 s")
        time.sleep(int(delay[1]) / 1000)
    status, headers, body = _http("GET", pdf[1], cookie)
    if status != 200 or headers["Content-Type"] != "application/pdf" or body[:5] != b"%PDF-":
        raise CommandError(f"the PDF answered {status} {headers['Content-Type']}")
    return (time.perf_counter() - start) * 1000, document


def print_load(sessions, consultations, rounds) -> PrintLoad:
    """One thread per session (a GP, on the review page: its cookies and CSRF token): at each
    round all click Print at the same moment, each on a consultation of its own; once all have
    their PDF, each comes back to the review page, whose list of documents is redrawn."""
    clients = len(sessions)
    barrier = threading.Barrier(clients, timeout=120)  # a stuck client cannot hang the bench
    latencies, failures, lock = [], [], threading.Lock()
    problems = (CommandError, OSError, http.client.HTTPException, KeyError)

    def failed(problem):
        with lock:
            failures.append(f"{problem.__class__.__name__}: {str(problem)[:120]}")

    def gp(i):
        cookie = token = None
        try:
            cookie, token = open_review(sessions[i], consultations[i])
        except problems as problem:
            failed(problem)
        for r in range(rounds):
            document = None
            barrier.wait()  # everyone clicks Print now
            if cookie is not None:
                try:
                    elapsed, document = print_once(cookie, token, consultations[r * clients + i])
                except problems as problem:
                    failed(problem)
                else:
                    with lock:
                        latencies.append(elapsed)
            barrier.wait()  # all printed: back from the PDF's tab
            if document is not None:
                try:
                    _http("GET", document, cookie)  # the list of documents, redrawn
                except problems as problem:
                    failed(problem)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(gp, range(clients)))
    return PrintLoad(
        latencies,
        failures,
        _inclusive_percentile(latencies, 50),
        _inclusive_percentile(latencies, 95),
        max(latencies, default=0.0),
    )


def _inclusive_percentile(values, p):
    """Within the values measured (the p95 of 100 prints is never above the slowest)."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


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
