# Every target sets up what it needs itself: a fresh machine needs only python3.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: test demo bench lint typecheck docs clean


$(STAMP): setup.cfg setup.py pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(VENV)/bin/ruff check swf tests benchmarks
	$(PY) -m mypy
	$(PY) -m pytest -q

demo: $(STAMP)
	$(PY) -m swf demo

bench: $(STAMP)
	$(PY) -m benchmarks

typecheck: $(STAMP)
	$(PY) -m mypy

lint: $(STAMP)
	$(VENV)/bin/ruff check swf tests benchmarks
	$(VENV)/bin/ruff format --check swf tests benchmarks

docs: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[docs]'
	$(PY) -m sphinx -W -b html docs docs/_build/html

clean:
	rm -rf $(VENV) build dist *.egg-info docs/_build
