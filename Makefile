# Two commands: `make run` serves the app, `make test` runs every test. Both first make .venv hold exactly
# what uv.lock says (uv itself comes pinned by hash from requirements-uv.txt). `make upgrade` re-resolves
# uv.lock within pyproject.toml's ranges: a deliberate change, to be tested and committed.
PYTHON ?= python3
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
STAMP := $(VENV)/.synced-stamp

# uv never downloads an interpreter: the venv uses $(PYTHON), and every command reads the lock as it is.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Every installed package is compiled to bytecode once, when installed, and the app's own modules before each run:
# where Python may not write bytecode itself (PYTHONDONTWRITEBYTECODE, a read-only checkout) every server start
# compiled them all from source again. Importing the Home page's modules took 4.2-6.3 s from source, 1.3-1.6 s
# compiled. What is installed stays exactly what uv.lock says.
export UV_COMPILE_BYTECODE := 1
COMPILE_APP := $(VENV)/bin/python -m compileall -q -j 0 app.py pages ui model view intake calibration exports store track

# glibc hands freed memory back to the system at once; a model run allocates and frees arrays of megabytes many
# times, and touching fresh pages again cost a tenth to a fifth of a run (bench/bench_simulate.py). Arrays up to
# 32 MB come from the heap, up to 64 MB of freed heap is kept for the next run, and every thread shares one heap
# (the response table's worker threads would each keep their own: 50 MB more at 10,000 draws). Only glibc reads these.
export MALLOC_MMAP_THRESHOLD_ := 33554432
export MALLOC_TRIM_THRESHOLD_ := 67108864
export MALLOC_ARENA_MAX := 1

.PHONY: run test bench upgrade lock-check freeze clean

$(UV): requirements-uv.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	$(PYTHON) -m venv --clear $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-uv.txt
	@touch $(UV)

$(STAMP): uv.lock pyproject.toml Makefile $(UV)
	$(UV) sync --locked --python $(PYTHON)
	@touch $(STAMP)

run: $(STAMP)
	@$(COMPILE_APP)
	$(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --server.port 8501

test: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || echo "NOTE: the browser tests need Debian's Chromium and are skipped without it. Install it with: sudo apt-get install chromium"
	@$(COMPILE_APP)
	$(VENV)/bin/python -m pytest

bench: $(STAMP)
	$(UV) sync --locked --inexact --group bench --python $(PYTHON)
	@$(COMPILE_APP)
	$(VENV)/bin/python -m bench.bench_queueing
	$(VENV)/bin/python -m bench.bench_simulate
	$(VENV)/bin/python -m bench.bench_uploads
	$(VENV)/bin/python -m bench.bench_large
	$(VENV)/bin/python -m bench.bench_exports
	$(VENV)/bin/python -m bench.bench_backtest
	$(VENV)/bin/python -m bench.bench_pages
	$(VENV)/bin/python -m bench.bench_sessions

upgrade: $(UV)
	$(UV) lock --upgrade
	@echo "uv.lock re-resolved: run make test, read git diff uv.lock, commit both if green."

# What is installed, one line a package (two clean installs print the same bytes).
freeze: $(STAMP)
	@$(UV) pip freeze --python $(VENV)/bin/python

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .hypothesis test-artifacts
