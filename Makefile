# 教工之家 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/jiaogong
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test system-deps lock install install-dev lint check-migrations test-sqlite test-postgres test-browser bench clean

# Installs come from the lock files (every package pinned with its hashes; tools/lock.sh makes them),
# then the project itself without dependencies.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --require-hashes -r requirements.lock
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(VENV)/bin/pip install -q --require-hashes -r requirements-dev.lock
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: the real server on SQLite (var/): gunicorn with DEBUG off, static files by whitenoise,
## the task worker and the scheduler (daily reminders), all under `manage.py serve`; Ctrl-C stops all.
## HOST=0.0.0.0 serves the school network (prints the LAN address and a QR code for phones).
## First start: the demo (logins printed) or, with DEMO=0, the first admin with a one-time password.
DEMO ?= 1
run: install
	@mkdir -p var
	$(PY) manage.py serve --host $(HOST) --port $(PORT) $(if $(filter 0,$(DEMO)),--no-demo,)

## make worker: only the task worker (a county runs it as its own service: deploy/systemd)
worker: install
	$(PY) manage.py db_worker --queue-name '*' --no-reload

## make test: the Debian packages and PostgreSQL (tools/system-deps.sh), lint, migrations check, the
## suite on SQLite and PostgreSQL, the browser tests
test: system-deps install-dev lint check-migrations test-sqlite test-postgres test-browser
	@echo "make test: all stages passed"

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-migrations:
	JIAOGONG_VAR_DIR=$$(mktemp -d) $(PY) manage.py makemigrations --check --dry-run

test-sqlite:
	$(VENV)/bin/pytest -m "not browser" -n 2 -q

# PostgreSQL is the multi-school database: system-deps made sure it answers.
test-postgres:
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -m "not browser" -n 2 -q

system-deps:
	tools/system-deps.sh

test-browser:
	$(VENV)/bin/pytest -m browser -q

## make bench: 200 schools x 120 members on SQLite and PostgreSQL; prints p50/p95
bench: install-dev
	$(PY) bench/run.py

## make lock: regenerate requirements.lock and requirements-dev.lock after changing pyproject.toml
lock: install-dev
	tools/lock.sh

clean:
	rm -rf $(VENV) var
