# Two commands on a fresh machine: `make run` serves the app, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run serve test quick lint check messages bench load lighthouse clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed  ## serve the app for development on http://127.0.0.1:$(PORT)
	@echo "Serving the campaign on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	@CAMPAIGN_ENV=development $(BIN)/flask --app campaign run --host 127.0.0.1 --port $(PORT)

serve: $(VENV)/.installed  ## serve for production with gunicorn (needs CAMPAIGN_SECRET_KEY)
	@test -n "$$CAMPAIGN_SECRET_KEY" || { echo "set CAMPAIGN_SECRET_KEY first: see README.md, Deploy"; exit 1; }
	$(BIN)/gunicorn -c gunicorn.conf.py 'campaign:create_app()'

test: $(VENV)/.installed-test  ## lint, type-check and run every test (what CI runs)
	$(BIN)/ruff check campaign tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

quick: $(VENV)/.installed-test  ## every test but those that start Chromium, gunicorn or nginx
	$(BIN)/pytest -q -m "not browser and not server"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check campaign tests bench scripts
	$(BIN)/mypy

check: $(VENV)/.installed  ## check contacts.yaml and letters/
	$(BIN)/campaign check

messages: $(VENV)/.installed  ## extract the interface's words, and bring every catalog up to date
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k _at_most:1,2 --add-location=file --sort-output \
	  --project=campaign --version=1 -o campaign/translations/messages.pot .
	$(BIN)/pybabel update -i campaign/translations/messages.pot -d campaign/translations \
	  --ignore-obsolete --no-fuzzy-matching

bench: $(VENV)/.installed-test  ## the load benchmark: campaign (alone, and behind nginx) vs a hello app
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { apt-get update -qq && \
	  apt-get install -y -qq nginx >/dev/null && { nginx -s stop 2>/dev/null || true; }; }
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-$$(scripts/postgres 2>/dev/null || true)} \
	  $(BIN)/python bench/run.py

load: ## 200 connections for 30 seconds: every target must answer without an error
	BENCH_CONNECTIONS=200 BENCH_SECONDS=30 $(MAKE) bench

LIGHTHOUSE_VERSION := 12.8.2
.lighthouse/node_modules/.bin/lighthouse:
	npm install --prefix .lighthouse --no-audit --no-fund --silent lighthouse@$(LIGHTHOUSE_VERSION)

lighthouse: $(VENV)/.installed-test .lighthouse/node_modules/.bin/lighthouse  ## Lighthouse's scores on a phone (not in make test)
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { apt-get update -qq && \
	  apt-get install -y -qq nginx >/dev/null && { nginx -s stop 2>/dev/null || true; }; }
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python bench/lighthouse.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .lighthouse
