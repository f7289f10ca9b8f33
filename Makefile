# Regional Tourism Atlas — set-up, demo, tests.
#   make demo   install what is missing, start PostGIS, load the demo data, serve :8000
#               (with the background worker that runs imports)
#   make test   the same set-up (no demo data), then the whole test suite (but the screenshots)
#   make test-fast   the same, without the browser tests, on the test database of the last run
#   make screenshots   the pictures in docs/*.png, taken in Chromium with the demo data
#   make help   the guides served at /help/, built by MkDocs from docs/ (part of setup)
#   make lint   ruff, then the type checker (mypy)
#   make fuzz   the fuzz tests at length (random examples, many more of them)
#   make bench   the benchmarks (make bench-load: the load run alone)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-fast fuzz screenshots setup system-deps venv assets messages help secret-key db db-start db-stop migrate demo-data serve lint bench bench-load clean

demo: setup demo-data serve

# Every test but the screenshots (pyproject.toml's addopts deselect those).
# One test process per core (pytest-xdist), each with its own test database; a test
# module runs whole in one process, so its module-scoped data is made once.
PARALLEL ?= -n auto --dist loadfile

test: setup
	$(PY) -m pytest $(PARALLEL) $(PYTEST_ARGS)

# The inner loop: no browser. The test database is kept from one run to the next
# (--reuse-db), and made anew when the migrations have changed since (tests/conftest.py).
test-fast: setup
	$(PY) -m pytest $(PARALLEL) -m "not browser" --reuse-db $(PYTEST_ARGS)

screenshots: setup
	rm -rf test-results/screenshots
	$(PY) -m pytest -m screenshots $(PYTEST_ARGS)
	cp test-results/screenshots/*.png docs/
	$(MAKE) help

setup: system-deps venv assets messages help secret-key db migrate

system-deps:
	@scripts/system-deps.sh

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

assets: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Interface translations: the .po files are the source (edited by people, in git);
# the .mo files Django reads are compiled from them here by Debian's gettext (msgfmt).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
messages: $(MO_FILES)
locale/%.mo: locale/%.po
	msgfmt --check-format -o $@ $<

# The guides (/help/): MkDocs builds docs/ (mkdocs.yml) into var/help, again only when a
# page, a picture or the configuration has changed.
help: var/help/index.html
var/help/index.html: mkdocs.yml $(shell find docs -name '*.md' -o -name '*.png' -o -name '*.py') $(VENV)/.installed
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --quiet --clean
	touch $@

# The checkout's own secret key (config/settings.py reads it unless ATLAS_SECRET_KEY is set).
secret-key: var/secret-key
var/secret-key:
	mkdir -p var && umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# DATABASE_URL, when set, replaces the project-local cluster.
db:
	@if [ -z "$$DATABASE_URL" ]; then $(PY) -m geo.pgcluster start; fi

db-start: db

db-stop:
	@$(PY) -m geo.pgcluster stop

migrate:
	$(PY) manage.py migrate --noinput -v0

demo-data:
	$(PY) manage.py load_demo

# The dev server and, beside it, the background worker that runs the imports (Procrastinate,
# docs/deployment.md); Ctrl-C stops both.
serve:
	@echo "Serving the Regional Tourism Atlas at http://$(HOST):$(PORT)/ with its import worker (Ctrl-C to stop)"
	$(PY) manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# mypy's Django plugin imports the settings, which read the secret key.
lint: venv secret-key
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# The fuzz tests at length: new examples every run, many more of them (the suite runs a
# fixed few hundred). FUZZ_EXAMPLES is per run of the URL fuzzer, FUZZ_PER_OPERATION per
# operation of each OpenAPI document.
FUZZ_EXAMPLES ?= 20000
FUZZ_PER_OPERATION ?= 300
fuzz: setup
	ATLAS_FUZZ_RANDOM=1 ATLAS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	ATLAS_FUZZ_EXAMPLES_PER_OPERATION=$(FUZZ_PER_OPERATION) \
	$(PY) -m pytest tests/test_fuzz.py tests/layers/test_api_fuzz.py $(PYTEST_ARGS)

# Benchmarks print ratios to baselines measured in the same run; they assert nothing.
# BENCH names some of them (make bench BENCH="tiles load"); bench-load is the load run
# alone: gunicorn as deployed under wrk, 32 connections for 60 s (docs/benchmarks.md).
BENCH ?=
bench: setup
	$(PY) -m tests.bench $(BENCH)

bench-load: setup
	$(PY) -m tests.bench load

clean:
	rm -rf $(VENV) node_modules var/static var/help $(MO_FILES)
