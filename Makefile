# The two commands a user needs: `make demo` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test serve setup browser pdflibs lint clean bench cli-listing

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium for the browser tests; never a downloaded browser build.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

# Liberation Sans, the font the documents name first, and HarfBuzz's subsetter, with which
# WeasyPrint cuts each PDF's fonts down. Without them it falls back to DejaVu Sans (wider, 6,253
# glyphs) cut down by fontTools: half a second more a PDF. The PDFs hold the same words either
# way, so a machine that cannot install them carries on.
PDF_PACKAGES := fonts-liberation libharfbuzz-subset0
pdflibs:
	@{ fc-list "Liberation Sans" | grep -q . && ldconfig -p | grep -q libharfbuzz-subset.so.0; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; fi; } \
	  || echo "$(PDF_PACKAGES) not installed: PDFs will take longer"

# The demo: build the demo database and documents, then serve the site on http://127.0.0.1:8000
# (another port: make demo PORT=8001).
PORT ?= 8000

demo: $(STAMP) pdflibs
	$(BIN)/oversight demo
	$(BIN)/oversight serve --demo --port $(PORT)

serve: $(STAMP)
	$(BIN)/oversight serve --demo --port $(PORT)

# One pytest-xdist worker per core (JOBS=1 for one process); see tests/conftest.py for how the
# shared database states are kept together on a worker.
JOBS ?= auto
test: $(STAMP) browser pdflibs
	$(BIN)/pytest -n $(JOBS) --dist loadgroup $(PYTEST_ARGS)

# The same checks as .pre-commit-config.yaml: ruff's rules and format, mypy over the whole package
# (with the django-stubs plugin), and the layers import-linter holds.
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src/oversight
	cd src && ../$(BIN)/lint-imports --config ../pyproject.toml

# The command listing `oversight --help` prints without starting Django, remade from the commands
# (tests/test_cli.py says when it is out of date).
cli-listing: $(STAMP)
	$(BIN)/python -c "from oversight.cli import write_listing; write_listing()"
	$(BIN)/ruff format src/oversight/cli_listing.py

# Every benchmark at a scale that finishes in a few minutes on a 2-core machine, each writing its
# figures (goal, figure, same-run baseline, ratio) as JSON into $(BENCH_OUT), then the table.
# PostgreSQL for the import and web benchmarks: BENCH_DATABASE_URL=postgres://…/an_empty_db.
# Full scale: see "Benchmarks" in the README. A missed goal does not stop the others.
BENCH_OUT ?= var/bench
BENCH_DB := $(if $(BENCH_DATABASE_URL),DATABASE_URL=$(BENCH_DATABASE_URL),)
bench: $(STAMP) pdflibs
	mkdir -p $(BENCH_OUT)
	-$(BIN)/python benchmarks/bench_cli.py --json $(BENCH_OUT)/cli.json
	-$(BIN)/python benchmarks/bench_statistics.py --json $(BENCH_OUT)/statistics.json
	-$(BIN)/python benchmarks/bench_spine.py --json $(BENCH_OUT)/spine.json
	-$(BIN)/python benchmarks/bench_scrutiny.py --json $(BENCH_OUT)/scrutiny.json
	-$(BIN)/python benchmarks/bench_registers.py --grants 2000 --json $(BENCH_OUT)/registers.json
	-$(BIN)/python benchmarks/bench_backup.py --json $(BENCH_OUT)/backup.json
	-$(BIN)/python benchmarks/page_work.py --json $(BENCH_OUT)/page_work.json
	-$(BENCH_DB) $(BIN)/python benchmarks/bench_web.py --requests 5 --json $(BENCH_OUT)/web.json
	-$(BIN)/python benchmarks/bench_opendata.py --forces 8 --months 6 --json $(BENCH_OUT)/opendata.json
	$(BIN)/python benchmarks/summary.py $(BENCH_OUT)/*.json

clean:
	rm -rf $(VENV) var demo-output
