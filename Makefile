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

.PHONY: install system-packages demo test lint bench check-deploy clean

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

# The demo runs with production settings except HTTPS (it is served on loopback over plain HTTP).
demo: install
	DEBUG=false HTTPS=false $(PY) manage.py migrate --noinput
	DEBUG=false HTTPS=false $(PY) manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (log in as analyst / bettercare-demo)"
	DEBUG=false HTTPS=false ALLOWED_HOSTS=127.0.0.1,localhost $(PY) manage.py runserver 127.0.0.1:$(PORT)

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
