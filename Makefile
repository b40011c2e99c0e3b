# arkivlucka: `make demo` runs the main job on the bundled sample, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out
# Official METS/PREMIS schemas, used by the demo's package step when present (never copied here).
REFERENCE ?= ../shared/reference/schemas
SCHEMAS_OPT := $(if $(wildcard $(REFERENCE)/mets.xsd),--schemas $(REFERENCE))

.PHONY: demo test lint typecheck pytest bench clean cli-docs sample-xlsx

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/arkivlucka plan check samples/digframe/dokumenthanteringsplan.csv
	$(BIN)/arkivlucka describe samples/digframe/incident.yaml -o $(OUT)/digframe --by kommunarkivarie \
		--plan samples/digframe/dokumenthanteringsplan.csv
	$(BIN)/arkivlucka validate $(OUT)/digframe/*/*.xml
	cp samples/digframe/arkivforteckning.xml $(OUT)/arkivforteckning-kommunstyrelsen.xml
	$(BIN)/arkivlucka inventory merge $(OUT)/digframe/kommunstyrelsen/arkivforteckning.xml \
		$(OUT)/arkivforteckning-kommunstyrelsen.xml
	$(BIN)/arkivlucka inventory export $(OUT)/arkivforteckning-kommunstyrelsen.xml --format ead --force \
		-o $(OUT)/arkivforteckning-kommunstyrelsen-ead.xml
	$(BIN)/arkivlucka package samples/digframe/incident.yaml --entries $(OUT)/digframe \
		--form samples/digframe/form.txt --anonymise --force $(SCHEMAS_OPT) -o $(OUT)/digframe-sip.zip
	$(BIN)/arkivlucka verify $(OUT)/digframe-sip.zip $(SCHEMAS_OPT)

pytest: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: pytest lint typecheck

# Every benchmark in pairs; the table goes to benchmarks/RESULTS.md (BENCH_ARGS=--quick: short).
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python benchmarks/benchlib.py header > benchmarks/RESULTS.md.tmp
	for b in benchmarks/bench_*.py; do \
		BENCH_RESULTS=benchmarks/RESULTS.md.tmp $(BIN)/python $$b $(BENCH_ARGS) || exit 1; done
	mv benchmarks/RESULTS.md.tmp benchmarks/RESULTS.md

# Regenerate the .xlsx twins of the sample tables (reproducible bytes).
sample-xlsx: $(STAMP)
	$(BIN)/python samples/make_xlsx.py samples/digframe/dokumenthanteringsplan.csv

clean:
	rm -rf $(VENV) $(OUT) build dist .pytest_cache .mypy_cache .ruff_cache

cli-docs: $(STAMP)
	$(BIN)/python tests/clidocs.py
