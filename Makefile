# The two entry points: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup chromium run test lint types unit bench clean messages

setup: $(STAMP) chromium

# The browser tests drive Debian's Chromium through Playwright (never `playwright install`).
chromium:
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get install -y -q chromium >/dev/null 2>&1 \
		|| (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null) \
		|| echo "make: apt-get could not install chromium: the browser tests will be skipped"; \
	else \
		echo "make: no Chromium at /usr/bin/chromium and not root: the browser tests will be" \
			"skipped (install it: sudo apt-get install chromium)"; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v < (3, 13) else "Cassa needs Python 3.11 or 3.12 (durable-rules does not import on 3.13); set PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Extract the messages from the code and merge them into every language's catalog
# (cassa/i18n/locale/<language>/LC_MESSAGES/cassa.po); lists what is left to translate.
messages: setup
	$(BIN)/python -m cassa.i18n update

run: setup
	$(BIN)/cassa till

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

test: lint types unit

bench: setup
	$(BIN)/python benchmarks/approve_throughput.py
	$(BIN)/python benchmarks/add_line.py
	$(BIN)/python benchmarks/till_scan.py
	$(BIN)/python benchmarks/rules_matching.py
	$(BIN)/python benchmarks/pricing.py
	$(BIN)/python benchmarks/login.py
	$(BIN)/python benchmarks/devices.py
	$(BIN)/python benchmarks/close_day.py
	$(BIN)/python benchmarks/store_summary.py
	$(BIN)/python benchmarks/returns.py
	$(BIN)/python benchmarks/catalog.py
	$(BIN)/python benchmarks/tills_parallel.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
