"""Production settings fail fast when configuration is missing, and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-key-0123456789-xyz",
    "ALLOWED_HOSTS": "workup.example.org",
    "DATABASE_URL": "postgres://workup@db.invalid/workup",
    "CELERY_BROKER_URL": "redis://redis.invalid:6379/0",
    "DOCUMENT_ROOT": "/srv/documents",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=120,
    )


def test_production_without_configuration_fails_fast_naming_every_missing_variable():
    proc = manage("check", env={"DEBUG": "0"})
    assert proc.returncode != 0
    assert (
        "these environment variables must be set: SECRET_KEY, ALLOWED_HOSTS, "
        "DATABASE_URL, CELERY_BROKER_URL, DOCUMENT_ROOT"
    ) in proc.stderr


def test_one_missing_variable_is_named():
    env = {**PRODUCTION}
    del env["CELERY_BROKER_URL"]
    proc = manage("check", env=env)
    assert proc.returncode != 0 and "must be set: CELERY_BROKER_URL." in proc.stderr


def test_check_deploy_is_clean_in_production():
    proc = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert proc.returncode == 0, proc.stderr
    assert "System check identified no issues" in proc.stdout
