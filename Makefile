# Two commands for everyone: `make` builds every output, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Ace by DAISY, the EPUB accessibility checker of the tests: pinned by tools/ace/package-lock.json.
# Its browser is Debian's chromium (scripts/prerequisites.sh), so puppeteer downloads none.
ACE_DIR := tools/ace
ACE_STAMP := $(ACE_DIR)/node_modules/.installed
# Pagefind, the web edition's search index: pinned by tools/pagefind/package-lock.json, needed to build.
PAGEFIND_DIR := tools/pagefind
PAGEFIND_STAMP := $(PAGEFIND_DIR)/node_modules/.installed

.PHONY: all build check test clean prerequisites

all: build

prerequisites:
	@NEED_JAVA=$(NEED_JAVA) ./scripts/prerequisites.sh

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

$(ACE_STAMP): $(ACE_DIR)/package.json $(ACE_DIR)/package-lock.json
	@cd $(ACE_DIR) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null \
	  || { echo "Impossible d'installer Ace by DAISY (npm ci dans $(ACE_DIR)) : vérifiez l'accès au registre npm," >&2; \
	       echo "puis relancez la commande." >&2; exit 1; }
	@touch $(ACE_STAMP)

$(PAGEFIND_STAMP): $(PAGEFIND_DIR)/package.json $(PAGEFIND_DIR)/package-lock.json
	@cd $(PAGEFIND_DIR) && npm ci --no-audit --no-fund --loglevel=error >/dev/null \
	  || { echo "Impossible d'installer Pagefind (npm ci dans $(PAGEFIND_DIR)) : vérifiez l'accès au registre npm," >&2; \
	       echo "puis relancez la commande." >&2; exit 1; }
	@touch $(PAGEFIND_STAMP)

build: NEED_JAVA := 0
build: prerequisites $(STAMP) $(PAGEFIND_STAMP)
	$(PY) build.py

check: $(STAMP)
	$(PY) build.py check

test: NEED_JAVA := 1
test: prerequisites $(STAMP) $(ACE_STAMP) $(PAGEFIND_STAMP)
	$(PY) -m pytest

clean:
	rm -rf output .cache
