# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Installs come from the lock files only: exact versions, checked against their hashes.
PIP_LOCKED := $(BIN)/python -m pip install --quiet --require-hashes --no-deps

HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker lock test install install-dev lint messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(PIP_LOCKED) -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/python
	$(PIP_LOCKED) -r requirements-dev.lock
	@touch $(VENV)/.installed $@

# After changing the dependencies in pyproject.toml: write both lock files again
# (newest versions allowed there, with hashes). Commit them; make, CI and the image
# install exactly these.
LOCK := PIP_CONSTRAINT= $(BIN)/python -m piptools compile --quiet --generate-hashes --strip-extras \
	--allow-unsafe --no-emit-index-url --no-emit-find-links
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "pip-tools==7.6.2"
	$(LOCK) -o requirements.lock pyproject.toml
	$(LOCK) --extra dev -o requirements-dev.lock pyproject.toml

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Set up and serve the app on SQLite with demo data and printed demo logins.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	@# The background worker (mail, reports, reminders) runs beside the server and
	@# stops with it: Ctrl-C reaches both, and the trap ends the worker on any exit.
	@DEBUG=1 $(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The background worker alone (production runs one or more beside gunicorn).
worker: install
	$(BIN)/python manage.py run_worker

# Set up and run lint, types (mypy), the migration check and the whole test suite.
test: install-dev
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	DEBUG=1 $(BIN)/python -m mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format .

messages: install-dev
	$(BIN)/python manage.py makemessages -l nl -l en --ignore=.venv
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Ceilings first: the others divide by them, read back within the same run (SMS_BENCH_RUN).
bench: install-dev
	@export SMS_BENCH_RUN=$$(date +%s); \
	for script in bench/ceilings.py $(filter-out bench/ceilings.py,$(sort $(wildcard bench/[a-z]*.py))); do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles test-artifacts
