# Every target creates .venv when it is missing, so a fresh clone needs nothing else.
VENV ?= .venv
PY := $(VENV)/bin/python
JSGJ := $(VENV)/bin/jsgj
DEMO_DB ?= demo/jsgj-demo.db
DEMO_ASOF ?= 2025-06-30

.PHONY: install test lint typecheck pytest validate demo bench stress schema clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

typecheck: install
	$(VENV)/bin/mypy

pytest: install
	$(VENV)/bin/pytest

test: lint typecheck pytest

validate: install
	$(JSGJ) validate

schema: install
	$(JSGJ) schema --output data/schema

demo: install
	$(JSGJ) validate
	$(JSGJ) measures list

bench: install
	$(PY) benchmarks/run.py

stress: install
	$(VENV)/bin/pytest -m stress -p no:cacheprovider

clean:
	rm -rf demo build dist .pytest_cache .mypy_cache .ruff_cache
