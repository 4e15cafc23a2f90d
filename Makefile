# One task runner. `make check` is what must stay green.
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install check lint types test bench extract clean

install:
	python3 -m venv $(VENV)
	$(BIN)/pip install -e '.[dev]'

check: lint types test

lint:
	$(BIN)/ruff check .

types:
	$(BIN)/mypy extract briefs

test:
	$(BIN)/pytest -q

bench:
	$(BIN)/python bench/bench_pdf.py
	$(BIN)/python bench/bench_extract.py

extract:
	$(BIN)/brief extract
	$(BIN)/brief facts --summary

clean:
	rm -rf .cache out build *.egg-info .pytest_cache .mypy_cache .ruff_cache
