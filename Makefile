# The front door. A fresh clone needs only Python 3.11, make and (for the plotly.js bundle) npm:
#   make book   build the HTML book into _build/html (installs what it needs)
#   make pdf    the print edition, _build/html/osweek-book.pdf (after the book)
#   make test   build the book and the PDF, then run every test (data, book, browser, PDF)
#   make bench  measure build times and page weights, write bench.json
#   make lab    open the notebooks in JupyterLab with the project's kernel

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
UV     := uv==0.13.9
STAMP  := $(VENV)/.installed
JS     := node_modules/.installed
BUILD_FLAGS := -W -n --keep-going   # any warning, broken reference or cell error fails the build

.PHONY: help install validate book pdf test browser bench lab lock clean

help:
	@sed -n 's/^#   //p' Makefile

# Python environment: a venv with every package pinned in requirements.txt, plus a named kernel.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "$(UV)"
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -r requirements.txt  # .pyc now: imports stay fast even under PYTHONDONTWRITEBYTECODE
	$(BIN)/python -m ipykernel install --sys-prefix --name osweek --display-name "Python (osweek)" >/dev/null
	touch $@

# plotly.js, pinned in package-lock.json to the version inside plotly.py; served from the book's _static/.
$(JS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(JS)

validate: install
	$(BIN)/python -m osweek validate

# The book is rebuilt only when something it is made from changed. OUT is the build's --path-output
# (the book lands in $(OUT)/_build/html); the stamp is written only after a successful build, so a
# failed build is never taken for a finished one.
OUT         ?= .
BOOK_INPUTS := _config.yml _toc.yml favicon.svg $(wildcard book/* notebooks/*.ipynb data/* osweek/*.py osweek/*/*.py osweek/build/static/* osweek/build/templates/*.html osweek/build/templates/*/*)
BOOK        := $(OUT)/_build/.book-built
VALID       := $(OUT)/_build/.data-valid

$(VALID): $(STAMP) $(wildcard data/*) osweek/data.py $(wildcard osweek/validation/*.py osweek/ingest/*.py)
	$(BIN)/python -m osweek validate
	mkdir -p $(@D) && touch $@

# Notebooks run first in parallel into the execution cache (osweek.build.execute: forked processes that share the
# imports and the loaded data), while the data package is validated
# beside them; the build then reuses them. Invalid data stops the recipe before the book is built (no stamp, no site).
$(BOOK): $(STAMP) $(JS) $(BOOK_INPUTS)
	rm -f $@
	$(MAKE) --no-print-directory -s $(VALID) & validating=$$!; \
	$(BIN)/python -m osweek.build.execute $(OUT); \
	wait $$validating || { echo "make book: the data package is not valid (see above); the book was not built" >&2; exit 1; }
	$(BIN)/jupyter-book build . --path-output $(OUT) $(BUILD_FLAGS)
	touch $@

book: $(BOOK)

# Debian's Chromium for the browser tests (Playwright's own browser download does not work offline).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# The print edition: the whole book as one PDF, printed by Debian's Chromium from Sphinx's single-page build.
pdf: book browser
	$(BIN)/python -m osweek.build.pdf $(OUT)

test: book pdf browser
	$(BIN)/python -m pytest

bench: install browser
	$(BIN)/python -m osweek.build.bench

# JupyterLab from the venv: the repository as its root (data/ and book/ in reach), opened on notebooks/,
# with the osweek kernel as the default. As root (e.g. in a container) it adds --allow-root, without which
# JupyterLab refuses to start. It fetches no news and checks for no updates (no calls to other hosts). More options: make lab LAB_ARGS="--no-browser --port 8899"
LAB_ARGS ?=
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks \
	  --MultiKernelManager.default_kernel_name=osweek $(if $(filter 0,$(shell id -u)),--allow-root) \
	  --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate $(LAB_ARGS)

lock: $(STAMP)
	$(BIN)/uv pip compile requirements.in --python-version 3.11 --no-header -q -o requirements.lock.tmp
	{ echo "# Every package pinned; compiled from requirements.in by 'make lock'. Do not edit by hand."; echo "-e ."; cat requirements.lock.tmp; } > requirements.txt
	rm requirements.lock.tmp

clean:
	rm -rf _build
