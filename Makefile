# Two commands: `make assessment` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SA     := $(BIN)/sa

.PHONY: assessment test install demo ingest run lint format notebooks benchmark clean-reports help

help:
	@echo "make assessment  - install, create demo data if data/raw is empty, ingest, run and render"
	@echo "make test        - lint and run the whole test suite"
	@echo "make benchmark   - run the speed and memory benchmarks"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

assessment: $(STAMP)
	@if [ -z "$$(find data/raw -mindepth 1 -not -name README.md -not -name .gitkeep -print -quit)" ]; then \
		echo "data/raw holds no data: writing the built-in demo data"; \
		$(SA) demo; \
	fi
	$(SA) ingest
	$(SA) run

demo: $(STAMP)
	$(SA) demo

ingest: $(STAMP)
	$(SA) ingest

run: $(STAMP)
	$(SA) run

# Pair each notebook with its source (notebooks/jupytext.toml): the newer of the two updates the other.
notebooks: $(STAMP)
	$(BIN)/jupytext --sync notebooks/src/[0-9][0-9]_*.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

benchmark: $(STAMP)
	$(BIN)/python benchmarks/ingest_national.py
	$(BIN)/python benchmarks/run_assessment.py
	$(BIN)/python benchmarks/boundaries_national.py
