# IP Radar — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test check bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.11+ not found (set PYTHON=...)"; exit 1; }
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python >= 3.11 needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: install  ## install, then run the whole pipeline offline on the bundled snapshots
	$(BIN)/ipradar demo --workdir demo-work

test: install  ## install, then run the test suite
	$(BIN)/pytest

check: install  ## lint and type-check the package
	$(BIN)/ruff check ipradar tests bench scripts
	$(BIN)/mypy

bench: install  ## benchmarks; figures go to bench/results/
	$(BIN)/python -m bench

clean:
	rm -rf demo-work .pytest_cache .mypy_cache .ruff_cache
