# mentorapp: two commands do everything on a fresh machine.
#   make run    set up, migrate, seed demo data, serve on http://127.0.0.1:8000
#   make test   set up (test packages, Chromium, axe-core), run every test
# And while working:
#   make check  ruff, catalogs complete, the tests that need no browser (< 1 min)
#   make bench  the benchmarks (see docs/performance.md)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test check bench bench-deps lint catalogs translations translations-update browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[test]'
	@touch $@

# Compiled catalogs (.mo) are built, never committed.
MO := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
translations: $(MO)
translations/%.mo: translations/%.po | $(VENV)/.installed
	$(BIN)/pybabel -q compile -i $< -o $@

translations-update: $(VENV)/.installed-test
	$(BIN)/python scripts/catalogs.py update

run: $(VENV)/.installed translations
	$(BIN)/mentorapp init-db
	$(BIN)/mentorapp seed-demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl-C stops the server and the alert sender)"
	@$(BIN)/mentorapp send-notifications & sender=$$!; \
	trap 'kill $$sender 2>/dev/null' EXIT INT TERM; \
	$(BIN)/mentorapp serve --host $(HOST) --port $(PORT)

# Debian's chromium for the browser tests (and the page-weight benchmark), installed when missing and we are root.
# axe-core (accessibility checks) and oidc-provider (the real OpenID provider the sign-in tests
# run against, with Node) come from the npm registry, pinned in package-lock.json.
browser-deps:
	@if ! [ -x /usr/lib/chromium/chromium ] && ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "WARNING: chromium is missing and cannot be installed here: browser tests will skip"; \
	  fi; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -d node_modules/oidc-provider ] || \
	   [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's npm for axe-core and oidc-provider (accessibility and sign-in tests)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  fi; \
	  if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	  else echo "WARNING: npm is missing and cannot be installed here: accessibility and single sign-on tests will skip"; fi; \
	fi

test: $(VENV)/.installed-test translations browser-deps
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check mentorapp tests $(wildcard bench) scripts hatch_build.py wsgi.py

catalogs: $(VENV)/.installed-test
	$(BIN)/python scripts/catalogs.py check

check: lint catalogs translations
	$(BIN)/pytest -q -n 2 -m "not browser and not slow" -p no:cacheprovider

# The peer (Kinto) gets its own virtualenv so that its pins cannot disturb ours; Debian's
# PostgreSQL (for Kinto) is installed when missing and we are root. BENCH_ARGS passes
# options through, e.g. make bench BENCH_ARGS=--quick.
KINTO_VENV ?= .venv-kinto
BENCH_ARGS ?=

$(KINTO_VENV)/.installed:
	$(PYTHON) -m venv $(KINTO_VENV)
	$(KINTO_VENV)/bin/python -m pip --disable-pip-version-check -q install --upgrade pip
	$(KINTO_VENV)/bin/python -m pip --disable-pip-version-check -q install 'kinto[postgresql]>=19' 'gunicorn>=23'
	@touch $@

bench-deps: $(VENV)/.installed-test translations browser-deps $(KINTO_VENV)/.installed
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's postgresql for the Kinto comparison"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else \
	    echo "WARNING: PostgreSQL is missing and cannot be installed here: the Kinto comparison will be skipped"; \
	  fi; \
	fi

bench: bench-deps
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(KINTO_VENV) node_modules build dist *.egg-info translations/*/LC_MESSAGES/*.mo
