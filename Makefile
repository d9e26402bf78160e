# Two commands on a fresh machine:  `make demo`  (digest of the bundled example portfolio)
#                                   `make test`  (the test suite; .ci/run calls exactly this)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench train clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/findings-miner digest examples/portfolio --projects examples/portfolio/manifest.csv \
		--taxonomy examples/taxonomy_counter_trafficking.yaml -o examples/output/digest.html
	@echo "open examples/output/digest.html"

# the digest's browser test needs Debian's chromium; install it when missing and allowed
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "chromium not installed: the browser test will be skipped"

test: $(STAMP) chromium
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks examples

bench: $(STAMP)
	$(PY) benchmarks/extract_speed.py
	$(PY) benchmarks/accuracy.py
	$(PY) benchmarks/classify_speed.py

train: $(STAMP)
	$(VENV)/bin/findings-miner train

clean:
	rm -rf $(VENV) build *.egg-info examples/output
