# Two commands: `make run` serves the app, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port 8501

test: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || echo "NOTE: the browser tests need Debian's Chromium and are skipped without it. Install it with: sudo apt-get install chromium"
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]" || echo "NOTE: pyworkforce (the Erlang C peer) could not be installed; its comparison is skipped"
	$(BIN)/python -m bench.bench_queueing
	$(BIN)/python -m bench.bench_simulate
	$(BIN)/python -m bench.bench_uploads
	$(BIN)/python -m bench.bench_exports

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
