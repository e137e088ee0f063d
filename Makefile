# Two commands do all set-up on a fresh machine:
#   make run   - creates .venv, installs, prints the Netherlands' position in the 2026 solidarity cycle
#   make test  - creates .venv, installs with test extras, runs the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz clean postgres

$(STAMP): pyproject.toml src/asylumengine/__init__.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/asylum overview

# The browser tests drive Debian's Chromium through Playwright (no browser download): install it
# from Debian's packages when it is missing (as root, or with sudo where available).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; fi

# The run store is also tested on a real PostgreSQL server (Debian's binaries, started by the test).
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; fi; fi

test: $(STAMP) $(CHROMIUM) postgres
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build src/*.egg-info

# Randomised property search, outside CI: many more examples, a new seed each run.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz FUZZ_FACTOR=$${FUZZ_FACTOR:-30} $(BIN)/python -m pytest -k "properties or time" -p no:cacheprovider
