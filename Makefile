# The two commands in the README are the contract: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
LOCK := requirements/lock.txt
# pytest-xdist workers for `make test` (auto: one per CPU); TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto

.PHONY: run test install install-dev lint typecheck format migrate demo lock clean benchmarks catalogues messages ewp-demo

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Accord needs Python 3.11, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3

$(VENV)/.runtime-installed: $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/pip install --quiet -c $(LOCK) -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $@

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

# E-mailed links and the EWP manifest name the port the demo is served on (PORT=8101 make run).
run demo: export ACCORD_BASE_URL ?= http://127.0.0.1:$(PORT)

run: demo catalogues
	@echo "Accord is starting at http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Two Accord nodes on loopback ports (EWP_DEMO_PORTS) that trust each other through a local registry
# catalogue, each serving one institution; it prints what to click. See README, "A local EWP network".
EWP_DEMO_PORTS ?= 8201 8202
ewp-demo: install catalogues
	$(BIN)/python manage.py ewp_demo --ports $(EWP_DEMO_PORTS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# What is checked, and how strictly, is configured under [tool.mypy] in pyproject.toml.
typecheck: install-dev
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install-dev lint typecheck catalogues
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS)

# The .mo files are compiled from the committed .po files with polib (pure Python), only those whose .po
# changed, so a fresh clone needs no GNU gettext to run or test. See docs/development.md, "Translations".
catalogues: install
	$(BIN)/python manage.py compile_catalogues

# Re-extract every language's strings from code and templates (needs GNU gettext: xgettext, msgmerge),
# compile, and print how many entries each catalogue still lacks.
messages: install-dev
	$(BIN)/python manage.py extract_messages

benchmarks: install-dev
	$(BIN)/python benchmarks/allocation.py
	$(BIN)/python benchmarks/ewp.py
	$(BIN)/python benchmarks/surveys.py
	$(BIN)/python benchmarks/funding.py
	$(BIN)/python benchmarks/virtual_exchange.py
	@if echo "$$DATABASE_URL" | grep -q '^postgres'; then $(BIN)/python benchmarks/dashboard.py; \
	else echo "benchmarks/dashboard.py needs DATABASE_URL=postgres://... (skipped)"; fi

# Regenerate the lock after changing pyproject.toml: the constraints every install uses.
lock: $(VENV)/.dev-installed
	$(BIN)/pip freeze --exclude-editable | sort > $(LOCK)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
