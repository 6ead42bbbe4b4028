# Two commands on a fresh machine: `make run` and `make test`. Each creates the virtualenv and
# installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint install install-test clean conformance benchmark

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/kgservice serve --host 127.0.0.1 --port 8000

test: install-test
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check kgservice tests
	$(BIN)/mypy

conformance: install-test
	$(BIN)/python -m conformance.self_check --report docs/conformance-report.md

benchmark: install-test
	$(BIN)/pip install --quiet rdflib-endpoint
	$(BIN)/python -m benchmarks.run --out docs/benchmarks.md

clean:
	rm -rf $(VENV) build dist *.egg-info
