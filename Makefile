# The two set-up commands of the README: `make run` and `make test`.
# Each creates .venv when missing and installs what it needs.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app matchmaker
PORT ?= 5000

.PHONY: run test lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) dev-server --port $(PORT)

test: $(VENV)/.installed-dev
	@echo "== ruff =="
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@echo "== mypy =="
	$(BIN)/mypy matchmaker
	$(BIN)/python scripts/ensure_chromium.py
	$(BIN)/python scripts/ensure_redis.py
	@echo "== tests on SQLite =="
	$(BIN)/python -m pytest
	@echo "== tests on PostgreSQL =="
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
