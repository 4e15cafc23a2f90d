# One task runner. `make check` is what must stay green.
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: install check lint types test bench eval train-claims extract brief golden screenshots clean

install:
	python3 -m venv $(VENV)
	$(BIN)/pip install -e '.[dev]'

check: lint types test

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types:
	$(BIN)/mypy extract briefs

test:
	$(BIN)/pytest -q

bench:
	$(BIN)/python bench/bench_pdf.py
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_build.py
	$(BIN)/python bench/bench_linear.py
	$(BIN)/python bench/bench_hostile.py

eval:
	$(BIN)/python bench/eval.py
	$(BIN)/python bench/eval_mofcom.py
	$(BIN)/python bench/reading_order.py

# Retrain the claim classifier from tests/gold/claims/dev/ and the seed gold
# (extract/models/claims.cfg) and ship it to extract/models/claims/; then
# `make golden`, since the extractor version carries the model's hash.
train-claims:
	$(BIN)/python bench/train_claims.py

golden:
	$(BIN)/python tests/refresh_golden.py

# docs/*.png: the bundled briefs built by the built-in engine (needs /usr/bin/chromium).
screenshots:
	$(BIN)/python docs/screenshots.py

extract:
	$(BIN)/brief extract
	$(BIN)/brief facts --summary

brief:
	$(BIN)/brief build

clean:
	rm -rf .cache out build *.egg-info .pytest_cache .mypy_cache .ruff_cache
