# The README's two commands:
#   make book   build the book into _build/html (creates .venv first if it is missing)
#   make test   run every test: lint, library tests, strict nbval on every notebook, the strict
#               book build and the real-browser check of the built pages
# Both work on a fresh machine with only Python 3.11 and the package registries.

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BOOK_FLAGS := -W --keep-going
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.PHONY: book test env lint unit notebooks browser-deps clean freeze bench

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@# Build matplotlib's font cache now, so that no notebook prints a first-run message.
	$(BIN)/python -c "import matplotlib.pyplot"
	@touch $(STAMP)

env: $(STAMP)

# The build's jupyter-cache is filled first from the notebooks' saved outputs (which `make
# test` proves equal a fresh run); a notebook not saved from a run of all its cells is
# executed, two at a time. `make book EXECUTE=1` executes every notebook instead.
book: env
	$(BIN)/python scripts/prefill_execution_cache.py $(if $(EXECUTE),--execute)
	$(BIN)/jupyter-book build . $(BOOK_FLAGS)
	@echo "The book is in _build/html/index.html"

lint: env
	$(BIN)/ruff check chinchilla_lib tests benchmarks scripts notebooks book/_ext conftest.py

browser-deps:
	@bash scripts/ensure_chromium.sh

# One pytest run: library tests, doctests, nbval on every notebook, the strict book build and
# the browser check (tests/book). Its last line is the whole count.
test: env lint browser-deps
	$(BIN)/python -m pytest tests notebooks chinchilla_lib \
	    --doctest-modules --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
	    --nbval-current-env -p no:cacheprovider

notebooks: env
	$(BIN)/python scripts/execute_notebooks.py

bench: env
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_explorers.py
	$(BIN)/python benchmarks/bench_fitting.py
	$(BIN)/python benchmarks/bench_approach3.py
	$(BIN)/python benchmarks/bench_fit_cli.py
	$(BIN)/python benchmarks/bench_bnsl.py
	$(BIN)/python benchmarks/bench_design.py
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/bench_trainer.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python -m benchmarks.bench_frames_latency

freeze: env
	@{ head -3 requirements.txt; $(BIN)/python -m pip freeze --exclude-editable; } > requirements.new && mv requirements.new requirements.txt

clean:
	rm -rf _build .pytest_cache .hypothesis
