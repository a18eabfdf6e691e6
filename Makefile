# The two commands of the README: `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test lint format messages bench check-python

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

## run: set up, migrate, load the demo data, make sure an admin exists, and serve on PORT.
run: check-python $(VENV)/.installed
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py ensure_admin
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: set up with the test dependencies and run the whole suite.
test: check-python $(VENV)/.installed-test
	$(BIN)/python -m pytest

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
