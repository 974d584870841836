# Two commands on a fresh machine: `make run` and `make test`. Each sets itself up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format test-services bench contract migrate install clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# Compiled translations (.mo) are built from the .po files, never committed
MO := workup/locale/es/LC_MESSAGES/django.mo
$(MO): workup/locale/es/LC_MESSAGES/django.po $(STAMP)
	$(PY) manage.py compile_translations

# axe-core for the browser tests, from the npm registry (tests/e2e/package-lock.json); where
# npm is missing the tests use the copy axe-playwright-python bundles, and say which ran
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package-lock.json
	if command -v npm >/dev/null; then npm ci --prefix tests/e2e --no-audit --no-fund --silent && touch $(AXE); fi

install: $(STAMP) $(MO) $(AXE)

migrate: install
	$(PY) manage.py migrate --noinput

run: migrate
	$(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl+C to stop)"
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -q

# Everything but the slow tests (browser, PDFs read back, subprocesses, thousands of cases)
test-fast: install
	$(PY) -m pytest -q -m "not slow"

# ruff's lint and format check (pyproject.toml) and the layer contracts (import-linter,
# pyproject.toml). `make format` rewrites the tree as the check wants it.
lint: install
	$(VENV)/bin/ruff check workup tests
	$(VENV)/bin/ruff format --check workup tests
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format workup tests
	$(VENV)/bin/ruff check --fix workup tests

# The integration suite: the machine's PostgreSQL, a Redis broker and Celery workers that the
# suite starts itself (tests/services/conftest.py).
SERVICES_ENV := WORKUP_TEST_SERVICES=1 \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/workup \
	CELERY_BROKER_URL=redis://127.0.0.1:6390/0 \
	CELERY_VISIBILITY_TIMEOUT=5 \
	DOCUMENT_ROOT=$(CURDIR)/var/test-services/documents

test-services: install
	$(SERVICES_ENV) $(PY) -m pytest tests/services -q

contract: install
	$(PY) ../shared/contract/check.py --cases ../shared/contract/examples -- $(PY) manage.py recommend
	$(PY) ../shared/contract/check.py --cases ../shared/contract/examples-v2 -- $(PY) manage.py recommend

# Production figures use the machine's PostgreSQL (database workup_bench) and Redis (db 1).
BENCH_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/workup_bench \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/1 CACHE_URL=redis://127.0.0.1:6379/2

bench: install
	$(PY) manage.py bench
	createdb -h 127.0.0.1 -U postgres workup_bench 2>/dev/null || true
	$(BENCH_ENV) $(PY) manage.py bench_production

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache tests/e2e/node_modules
