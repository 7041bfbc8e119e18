# Factdesk: `make run` to try it, `make test` to check it. Everything else is optional.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Local runs default to debug mode so no SECRET_KEY is needed; production sets its own.
export DEBUG ?= true

.PHONY: run test lint format bench migrate messages clean venv worker backup restore

# The venv is rebuilt only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: install it, or run 'make PYTHON=python3 ...'"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput

run: migrate
	@# The links it prints point where this run serves (unless FACTDESK_SITE_URL says otherwise).
	FACTDESK_SITE_URL="$${FACTDESK_SITE_URL:-http://$(HOST):$(PORT)}" $(PY) manage.py load_demo
	@# Without a worker running, the demo's claims are embedded here so "checked before?"
	@# matches across languages at once (a second run finds nothing left to do).
	$(PY) manage.py embed_claims
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Benchmarks print figures; they are never part of `make test`.
bench: venv
	$(PY) bench/run_all.py

# The background worker: webhook deliveries, link checks, archiving. It also recovers, at start
# and every minute, tasks and webhook deliveries that a killed worker left unfinished.
worker: migrate
	$(PY) manage.py worker

# Backups (PostgreSQL): pg_dump to backups/, and pg_restore of a chosen file (asks first).
backup: venv
	$(PY) manage.py db_backup $(if $(FILE),--output $(FILE))

restore: venv
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/factdesk-....dump"; exit 1; }
	$(PY) manage.py db_restore $(FILE)

# Translations: compiled .mo files are committed, so running needs no gettext tools;
# this target (which does) refreshes them after strings change.
messages: venv
	$(PY) manage.py makemessages -l it --ignore=.venv --ignore=bench --ignore=tests --ignore=test-artifacts --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
