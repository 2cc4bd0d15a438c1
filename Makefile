# TIPIMS: `make demo` runs the system with synthetic data; `make test` runs the whole test suite.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: demo test test-fast lint bench clean

$(BIN)/tipims: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(BIN)/tipims

demo: $(BIN)/tipims
	$(BIN)/tipims compiletranslations
	$(BIN)/tipims demo --port $(PORT)

test: $(BIN)/tipims
	$(BIN)/tipims compiletranslations
	$(BIN)/python -m pytest -n 2

lint: $(BIN)/tipims
	$(BIN)/ruff check .

bench: $(BIN)/tipims
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/pages.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
