# 教工之家 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/jiaogong
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test install install-dev lint check-migrations test-sqlite test-postgres test-browser bench clean

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: set everything up on SQLite (var/), load the demo once, print logins, serve :8000
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	@echo "打开 http://$(HOST):$(PORT)/ 登录"
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

## make worker: run the background tasks (the daily reminders) queued in the database; cron enqueues
## them every morning with `manage.py enqueue_daily_reminders`
worker: install
	$(PY) manage.py db_worker --queue-name default --no-reload

## make test: lint, migrations check, the suite on SQLite and PostgreSQL, the browser tests
test: install-dev lint check-migrations test-sqlite test-postgres test-browser
	@echo "make test: all stages passed"

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-migrations:
	JIAOGONG_VAR_DIR=$$(mktemp -d) $(PY) manage.py makemigrations --check --dry-run

test-sqlite:
	$(VENV)/bin/pytest -m "not browser" -n 2 -q

# PostgreSQL is the multi-school database: always run in CI; on a laptop without a server it says so.
test-postgres:
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -m "not browser" -n 2 -q; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL at $(PG_URL) does not answer (required in CI)"; exit 1; \
	else echo "!! PostgreSQL at $(PG_URL) does not answer: the PostgreSQL run was NOT done"; fi

test-browser:
	@test -x /usr/bin/chromium || { echo "Chromium is missing: apt-get install chromium fonts-noto-cjk"; exit 1; }
	$(VENV)/bin/pytest -m browser -q

## make bench: 200 schools x 120 members on SQLite and PostgreSQL; prints p50/p95
bench: install-dev
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var
