# The two commands of the README: `make run` and `make test`. Each works on a fresh machine
# with only Python 3.11: it creates .venv when missing and installs what it needs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint migrate clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	mkdir -p var
	$(BIN)/nghedan migrate
	$(BIN)/nghedan run

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -q

migrate: install
	$(BIN)/nghedan migrate

clean:
	rm -rf $(VENV) var/*.db var/*.db-* .pytest_cache .ruff_cache
