# The two commands of the README: `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test lint format messages bench bench-import serve loadtest check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "This project needs Python 3.11 or newer, but '$(PYTHON)' is:" \
			"$$($(PYTHON) --version 2>&1 || echo 'not found')."; \
		echo "Install Python 3.11+ or run: make PYTHON=/path/to/python3.11 ..."; \
		exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

## run: set up, migrate, load the demo data, make sure an admin exists, and serve on PORT,
## with a worker for the background jobs (imports) in the background, stopped on exit.
# The server, the worker and the commands before them share one cache in files (CACHE_DIR).
run: export CACHE_DIR ?= $(abspath $(VENV))/cache
run: check-python $(VENV)/.installed
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py ensure_admin
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py db_worker --no-reload --interval 1 & \
		worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The browser tests' checkers (axe-core, the Nu HTML Checker), pinned in package-lock.json.
# Without npm they are left out and those tests are skipped (CI requires them).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --ignore-scripts && touch $@; \
		else echo "npm not found: the accessibility and HTML checks will be skipped."; fi

## test: set up with the test dependencies and run the whole suite, spread over the
## machine's cores (at most TEST_WORKERS processes, each with a test database of its own).
TEST_WORKERS ?= 4
test: check-python $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python -m pytest -n auto --maxprocesses $(TEST_WORKERS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the Azerbaijani and Arabic catalogues from the code, then compile them
## (needs GNU gettext; the compiled .mo files are committed so that users do not).
messages: $(VENV)/.installed-test
	DEBUG=1 $(BIN)/python manage.py makemessages -l az -l ar --no-obsolete \
		--ignore=.venv --ignore=tests --ignore=staticfiles
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

## bench: build synthetic registers (SIZES, default 10000,500000) on SQLite and PostgreSQL
## and time the public pages; prints a table and writes bench/results.md.
SIZES ?= 10000,500000
DATABASES ?= sqlite,postgresql
bench: $(VENV)/.installed-test
	$(BIN)/python bench/register_bench.py --sizes $(SIZES) --databases $(DATABASES)

## serve: the production stack on this machine: gunicorn and WhiteNoise with debug mode off,
## a worker process for the background jobs (stopped with gunicorn),
## on PostgreSQL (database "heritage" at 127.0.0.1:5432, created if missing) and Redis
## (127.0.0.1:6379), on http://HOST:PORT. Plain HTTP on the loopback interface, so the
## redirect to HTTPS is off; e-mails (password resets) are printed here instead of sent.
SERVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/heritage
SERVE_REDIS_URL ?= redis://127.0.0.1:6379/0
SERVE_ENV = DEBUG=0 SECRET_KEY="$$(cat $(VENV)/serve-secret-key)" \
	DATABASE_URL="$(SERVE_DATABASE_URL)" REDIS_URL="$(SERVE_REDIS_URL)" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SECURE_SSL_REDIRECT=0 \
	CONN_MAX_AGE="$${CONN_MAX_AGE:-60}" \
	EMAIL_BACKEND="$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"
serve: check-python $(VENV)/.installed
	@test -s $(VENV)/serve-secret-key || $(BIN)/python -c \
		'import secrets; print(secrets.token_urlsafe(50))' > $(VENV)/serve-secret-key
	$(BIN)/python bench/create_database.py "$(SERVE_DATABASE_URL)"
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py load_demo
	$(SERVE_ENV) $(BIN)/python manage.py ensure_admin
	$(SERVE_ENV) $(BIN)/python manage.py db_worker --no-reload --interval 1 & \
		worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		$(SERVE_ENV) $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) \
		--workers "$${WEB_CONCURRENCY:-3}" --access-logfile -

## bench-import: preview and confirm a sites file of IMPORT_ROWS rows through the import
## job's steps, on IMPORT_DATABASES, in new databases; prints seconds and peak memory.
IMPORT_ROWS ?= 1000,100000
IMPORT_DATABASES ?= sqlite,postgresql
bench-import: $(VENV)/.installed-test
	$(BIN)/python bench/import_bench.py --rows $(IMPORT_ROWS) --databases $(IMPORT_DATABASES)

## loadtest: gunicorn on 127.0.0.1 against PostgreSQL, driven by wrk (apt-get install wrk)
## for LOADTEST_SECONDS per scenario; prints requests/s, p50/p99 latency and errors.
## LOADTEST_ARGS passes more options, e.g. "--proxy --sites 500000" (see bench/loadtest.py).
LOADTEST_SECONDS ?= 20
LOADTEST_ARGS ?=
loadtest: check-python $(VENV)/.installed
	$(BIN)/python bench/loadtest.py --duration $(LOADTEST_SECONDS) $(LOADTEST_ARGS)
