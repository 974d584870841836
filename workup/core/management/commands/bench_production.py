"""python manage.py bench_production: production-mode figures, printed (`make bench` runs it).

Against the machine's PostgreSQL (database from DATABASE_URL) and Redis (CELERY_BROKER_URL):
- p50 and p95 latency of the intake and review pages under 20 concurrent clients on gunicorn
  (a load generator on loopback, bounded in requests and time);
- `recommend` throughput in intakes per second (the engine, warm);
- handout render time per page in a warm worker process;
- handouts per second with 2 worker processes.
"""
import http.cookiejar
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from workup.accounts.models import User
from workup.clinic.models import Consultation, Patient
from workup.core.knowledge import knowledge_base
from workup.core.samples import sample_intakes
from workup.engine import recommend

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


class Command(BaseCommand):
    help = "Print production-mode latency and throughput figures (needs PostgreSQL and Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=20)
        parser.add_argument("--requests", type=int, default=600, help="per page")
        parser.add_argument("--seconds", type=float, default=60, help="at most, per page")
        parser.add_argument("--handouts", type=int, default=40)

    def handle(self, *args, clients, requests, seconds, handouts, **options):
        if connection.vendor != "postgresql" or settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError("run with DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL set: "
                               "make bench does")
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
        self.recommend_throughput()
        with tempfile.TemporaryDirectory() as tmp:
            env = self.production_env(Path(tmp))
            subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                           cwd=settings.BASE_DIR, env=env, check=True)
            self.pages(env, clients, requests, seconds)
            self.handouts(env, handouts)

    # -- recommend ---------------------------------------------------------------------------
    def recommend_throughput(self):
        kb = knowledge_base()
        intakes = sample_intakes(kb, 5000, seed=7)
        start = time.perf_counter()
        for intake in intakes:
            recommend(intake, kb)
        rate = len(intakes) / (time.perf_counter() - start)
        self.report("recommend", f"{rate:,.0f} intakes per second (target at least 2,000)",
                    rate >= 2000)

    # -- pages under load --------------------------------------------------------------------
    def production_env(self, tmp: Path) -> dict:
        return {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1", "DOCUMENT_ROOT": str(tmp / "documents"),
                "STATIC_ROOT": str(tmp / "static"), "SECURE_SSL_REDIRECT": "0",
                "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
                "BIND": f"127.0.0.1:{PORT}", "ACCESS_LOG": os.devnull}

    def pages(self, env, clients, requests, seconds):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen([str(gunicorn), "workup.wsgi", "-c",
                                   "workup/deploy/gunicorn.conf.py"], cwd=settings.BASE_DIR,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(lambda: _get_status(f"{BASE}/accounts/login/") == 200, 30, "gunicorn")
            gp = User.objects.get(username="north.gp")
            patient = Patient.objects.filter(practice=gp.practice).order_by("name").first()
            consultation = Consultation.objects.filter(patient__practice=gp.practice).first()
            sessions = [_login("north.gp", "workup-demo") for _ in range(clients)]
            for name, path in [
                ("intake page", f"/patients/{patient.public_id}/consultations/new/"),
                ("review page", f"/consultations/{consultation.public_id}/"),
            ]:
                if shutil.which("wrk"):
                    generator = "wrk"
                    count, p50, p95 = _wrk(sessions[0], BASE + path, clients, requests, seconds)
                else:
                    generator = "Python threads (install wrk for a lighter load generator)"
                    latencies = _load(sessions, BASE + path, requests, seconds)
                    count = len(latencies)
                    p50, p95 = _percentile(latencies, 50), _percentile(latencies, 95)
                self.report(name, f"p50 {p50:.0f} ms, p95 {p95:.0f} ms over {count} requests "
                                  f"from {clients} concurrent clients, {generator} (target p95 "
                                  "at most 150 ms)", p95 <= 150)
        finally:
            server.terminate()
            server.wait(20)

    # -- handouts ------------------------------------------------------------------------------
    def handouts(self, env, count):
        from workup.documents.models import Document
        from workup.documents.services import document_request

        Document.objects.all().delete()
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workup", "worker", "--queues", "pdf",
             "--concurrency", "2", "--loglevel", "WARNING", "--hostname", "bench@%h"],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            from workup.celery import app
            _wait(lambda: bool(app.control.ping(timeout=0.5)), 60, "the Celery worker")
            consultations = list(Consultation.objects.select_related("clinician")[:count])
            # warm both worker processes (fonts, templates) before timing
            warm = [document_request(consultation=c, user=c.clinician, kind="handout",
                                     options={"language": "es", "large_print": True})
                    for c in consultations[:4]]
            _wait(lambda: all(_ready(d) for d in warm), 60, "warm-up handouts")
            start = time.perf_counter()
            documents = [document_request(consultation=c, user=c.clinician, kind="handout",
                                          options={"language": "en", "large_print": False})
                         for c in consultations]
            _wait(lambda: all(_ready(d) for d in documents), 300, "the handouts")
            elapsed = time.perf_counter() - start
            pages = sum(d.pages for d in documents)
            self.report("handouts, 2 workers", f"{len(documents) / elapsed:.1f} handouts per "
                        f"second ({len(documents)} handouts, {pages} pages in {elapsed:.1f} s; "
                        "target at least 8)", len(documents) / elapsed >= 8)
            self.report("handout render", f"{elapsed * 2 / pages * 1000:.0f} ms per page in a "
                        "warm worker (2 processes)", True)
        finally:
            os.killpg(worker.pid, 15)
            worker.wait(30)

    def report(self, what, figure, ok):
        self.stdout.write(f"{what + ':':22} {figure} {'OK' if ok else 'OVER TARGET'}")


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


def _login(username, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username,
                                   "password": password}).encode()
    request = urllib.request.Request(f"{BASE}/accounts/login/", data=data,
                                     headers={"Referer": f"{BASE}/accounts/login/"})
    opener.open(request, timeout=10).read()
    return opener


def _load(sessions, url, total, seconds):
    """Each client sends requests one after another until `total` are done or time is up."""
    latencies, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds
    remaining = [total]

    def client(opener):
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            start = time.perf_counter()
            with opener.open(url, timeout=30) as response:
                response.read()
                assert response.status == 200 and "/accounts/login/" not in response.url
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)

    for opener in sessions:  # one warm-up request each
        opener.open(url, timeout=30).read()
    with ThreadPoolExecutor(len(sessions)) as pool:
        list(pool.map(client, sessions))
    return latencies


def _wrk(opener, url, clients, requests, seconds):
    """wrk with `clients` connections on 2 threads, the session's cookie on every request."""
    jar = next(h for h in opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor))
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar.cookiejar)
    threads = 2
    script = Path(settings.BASE_DIR) / "workup" / "deploy" / "wrk_report.lua"
    env = {**os.environ, "WRK_REQUESTS_PER_THREAD": str(max(requests // threads, 1))}
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{clients}", f"-d{int(seconds)}s",
                          "--timeout", "10s", "-s", str(script), "-H", f"Cookie: {cookie}", url],
                         capture_output=True, text=True, env=env, check=True).stdout
    m = re.search(r"RESULT requests=(\d+) p50_ms=([\d.]+) p95_ms=([\d.]+) errors=(\d+)", out)
    if not m:
        raise CommandError(f"wrk gave no figures: {out[-300:]}")
    if int(m.group(4)):
        raise CommandError(f"{m.group(4)} requests failed during the load test of {url}")
    return int(m.group(1)), float(m.group(2)), float(m.group(3))


def _percentile(values, p):
    return statistics.quantiles(values, n=100)[p - 1]
