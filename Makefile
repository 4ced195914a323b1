# Two commands on a fresh machine: `make run` serves the app, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run test lint check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed  ## serve the app on http://127.0.0.1:$(PORT)
	$(BIN)/flask --app campaign run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-test  ## lint, type-check and run every test
	$(BIN)/ruff check campaign tests
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check campaign tests
	$(BIN)/mypy

check: $(VENV)/.installed  ## check contacts.yaml and letters/
	$(BIN)/campaign check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
