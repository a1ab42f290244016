# The README's two commands: `make demo` and `make test`. Everything the project needs
# is installed from here; nothing installed by hand is assumed.
PY ?= python3.11
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
HOST ?= 127.0.0.1
PORT ?= 8000
MANAGERS ?= 400
SEED ?= 1

.PHONY: install install-dev runtime-deps demo demo-reset test test-deps lint bench bench-deps messages clean

# uv lives in its own venv so that `uv sync` (which prunes the project venv) never
# removes it, and so that no pip ever writes to the system Python (PEP 668).
$(UV):
	$(PY) -m venv $(TOOLS) || { rm -rf $(TOOLS); apt-get update -qq && apt-get install -y -qq python3-venv && $(PY) -m venv $(TOOLS); }
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# The demo installs what runs the product; `make test` adds the dev group (pytest,
# Playwright, ruff, mypy, ...). Each stamp says which set .venv holds now: `uv sync`
# removes what the other set added.
$(VENV)/.runtime: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --no-dev --python $(PY)
	@rm -f $(VENV)/.dev
	@touch $@

$(VENV)/.dev: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PY)
	@rm -f $(VENV)/.runtime
	@touch $@

install: $(VENV)/.runtime runtime-deps

install-dev: $(VENV)/.dev runtime-deps

# The diagnosis report's PDF: WeasyPrint loads Pango (and HarfBuzz's subsetter for the fonts
# it embeds) from the system; Noto Sans CJK sets its Chinese and the charts'. Checked first,
# so a machine that has them runs no apt-get.
REPORT_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
runtime-deps:
	@missing=; for lib in $(REPORT_LIBS); do ldconfig -p | grep -q "$$lib" || missing=1; done; \
	if [ -n "$$missing" ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 \
	    libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fontconfig >/dev/null; \
	fi

# Collect static files and serve the demo with its Huey consumer. Ctrl-C reaches the web
# server (the terminal's foreground group) and this shell, whose trap then stops the consumer:
# the consumer runs in a session of its own (setsid), so the trap's TERM is the one signal it
# gets, at whatever moment. A background command starts with SIGINT ignored, and Python only
# handles a signal once huey has set its handlers, 30-40 s into a loaded machine's start: an
# INT sent before then was lost and `wait` hung. TERM ends a consumer still starting at once
# (its default action) and a started one gracefully (--graceful-signal TERM: running tasks
# get --shutdown-timeout seconds, then it stops; a job cut short is requeued by the sweep).
# The trap must not signal its own group: `kill 0` from a TERM trap re-enters the trap until
# the shell overflows its stack, make's "Segmentation fault". A canned recipe rather than a
# sub-make, whose interruption make would report.
define serve_demo
	$(BIN)/casspath collectstatic --no-input --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops the web server and the Huey consumer)"
	@huey=; trap 'test -n "$$huey" && kill -TERM $$huey 2>/dev/null && wait $$huey 2>/dev/null; exit 0' INT TERM; \
	  setsid $(BIN)/casspath run_huey --workers 2 --delay 0.1 --max-delay 1 \
	    --graceful-signal TERM --shutdown-timeout 10 & huey=$$!; \
	  $(BIN)/casspath runserver --noreload $(HOST):$(PORT); \
	  kill -TERM $$huey 2>/dev/null; wait $$huey 2>/dev/null
endef

# The demo serves plain HTTP on the loopback: cookies cannot require HTTPS there.
# Another MANAGERS or SEED than the database holds replaces that demo (`--replace` empties the
# database first); the same ones leave it, and whatever was done with it, as they are.
demo: export SECURE_COOKIES := 0
demo: install
	@echo "Preparing the database (migrations)..."
	$(BIN)/casspath migrate --no-input --verbosity 0
	$(BIN)/casspath demo --managers $(MANAGERS) --seed $(SEED) --replace
	$(serve_demo)

# The demo built again from scratch, even of the same MANAGERS and SEED.
demo-reset: export SECURE_COOKIES := 0
demo-reset: install
	@echo "Preparing the database (migrations)..."
	$(BIN)/casspath migrate --no-input --verbosity 0
	$(BIN)/casspath demo --managers $(MANAGERS) --seed $(SEED) --reset
	$(serve_demo)

# Debian's Chromium drives the browser tests (Playwright cannot download its own here);
# Noto CJK renders Chinese in screenshots and PDFs.
test-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# The suite runs on every core (pytest-xdist, each worker on its own test database);
# TEST_WORKERS=0 runs it in this one process. Work stealing keeps a core from idling behind
# the few long tests (demo builds, killed consumers).
TEST_WORKERS ?= auto
test: install-dev test-deps
	$(BIN)/ruff check casspath benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check casspath benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

# Every benchmark (benchmarks/*.py) on SQLite, then on PostgreSQL (BENCH_DATABASE_URL names
# the server and a scratch database the benchmarks drop and create; the page benchmark uses
# <name>_pages), then one summary table; the figures are appended to docs/benchmarks.md. A
# missed target is a figure like any other: the exit status is non-zero only when a benchmark
# crashed. BENCH_SIZES (managers in the demo) and BENCH_DURATION (seconds of load a page)
# make a quick run: `make bench BENCH_SIZES=5000 BENCH_DURATION=5`; BENCH_ARGS takes
# benchmarks/_run.py's options (--only pages, --no-record).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/casspath_bench
BENCH_SIZES ?= 5000,100000
BENCH_ARGS ?=
bench: export BENCH_DURATION ?= 10
bench: install-dev bench-deps
	$(BIN)/python benchmarks/_run.py --database sqlite --database $(BENCH_DATABASE_URL) \
	  --sizes $(BENCH_SIZES) $(BENCH_ARGS)

# wrk loads the pages (a C load generator: a Python one would take the cores it measures).
bench-deps:
	@command -v wrk >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

# Needs gettext (msgfmt); the compiled catalogues are committed so that users do not.
# Run from the root so that templates/ is scanned too; the catalogue lands in
# casspath/locale (LOCALE_PATHS) because there is no ./locale.
messages: install-dev
	$(BIN)/casspath makemessages -l zh_Hans --no-obsolete --ignore '.venv/*' --ignore '.tools/*' \
	  --ignore '*/tests/*' --ignore 'benchmarks/*' --ignore 'staticfiles/*'
	$(BIN)/casspath compilemessages -l zh_Hans --ignore '.venv/*' --ignore '.tools/*'

# What the demo wrote (the database, Huey's queue, uploads, login files, collected static
# files) and the environments.
clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .hypothesis var staticfiles benchmarks/out
