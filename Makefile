# Two commands do all set-up on a fresh machine:
#   make run   - creates .venv, installs, prints the Netherlands' position in the 2026 solidarity cycle
#   make test  - creates .venv, installs with test extras, runs the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/asylum overview

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build src/*.egg-info

# Randomised property search, outside CI: many more examples, a new seed each run.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz FUZZ_FACTOR=$${FUZZ_FACTOR:-30} $(BIN)/python -m pytest -k "properties or time" -p no:cacheprovider
