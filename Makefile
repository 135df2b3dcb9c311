# The project's commands. Every target is idempotent and works on a fresh clone.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k periods"`.
PYTEST_ARGS ?=
# The suite runs on every core (pytest-xdist), each test file on one worker: a module's demo
# data and PDFs are made once for its tests (see tests/conftest.py). PYTEST_WORKERS=0 runs it
# in one process.
PYTEST_WORKERS ?= auto

# Front-end and Python sources whose change means static files must be collected again.
STATIC_SOURCES := $(shell find bettercare schemes metrics finance reports templates -path '*/static/*' -type f 2>/dev/null)

.PHONY: install system-packages demo serve worker scheduler test lint bench check-deploy clean

install: system-packages $(VENV)/.installed node_modules/.installed staticfiles/.collected

system-packages:
	@scripts/system-packages.sh

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make install: npm is missing (Debian: apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

staticfiles/.collected: $(VENV)/.installed node_modules/.installed $(STATIC_SOURCES)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@touch $@

# The demo runs with production settings except HTTPS (it is served on loopback over plain HTTP),
# through the same gunicorn as `make serve`. Without REDIS_URL its background jobs (pack builds,
# chart drawing) run in threads of the web processes, so it needs no Redis.
demo: install
	DEBUG=false HTTPS=false $(PY) manage.py migrate --noinput
	DEBUG=false HTTPS=false $(PY) manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (log in as analyst / bettercare-demo)"
	DEBUG=false HTTPS=false ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} PORT=$(PORT) \
		$(MAKE) --no-print-directory serve

# The production server: gunicorn with WhiteNoise, configured from the environment (BIND,
# WEB_CONCURRENCY, GUNICORN_THREADS...: see bettercare/gunicorn.conf.py). With HTTPS on (the
# default) it first refuses settings that `check --deploy` warns about.
serve: install
	@if [ "$${HTTPS:-true}" != "false" ]; then \
		$(PY) manage.py check --deploy --fail-level WARNING; fi
	exec $(VENV)/bin/gunicorn -c bettercare/gunicorn.conf.py

# A worker for the background jobs, on the Redis that REDIS_URL names; start as many as needed,
# on any machine that has the code, Chromium and the same environment.
worker: install
	@test -n "$${REDIS_URL:-}" || { echo "make worker: set REDIS_URL (e.g. redis://127.0.0.1:6379/0)"; exit 1; }
	exec $(PY) manage.py rqworker

# RQ's scheduler for the recurring jobs the apps declare (one for the whole installation).
scheduler: install
	@test -n "$${REDIS_URL:-}" || { echo "make scheduler: set REDIS_URL"; exit 1; }
	exec $(PY) manage.py rqcron bettercare.cron

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

test: install lint
	$(PY) -m pytest --numprocesses $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

bench: install
	@for bench in tests/benchmarks/bench_*.py; do \
		echo "== $$bench"; $(PY) $$bench; \
	done

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
