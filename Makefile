# Two commands for everyone: `make` builds every output, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: all build check test clean prerequisites

all: build

prerequisites:
	@NEED_JAVA=$(NEED_JAVA) ./scripts/prerequisites.sh

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

build: NEED_JAVA := 0
build: prerequisites $(STAMP)
	$(PY) build.py

check: $(STAMP)
	$(PY) build.py check

test: NEED_JAVA := 1
test: prerequisites $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf output
