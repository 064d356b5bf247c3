# spacekg: `make demo` (install, build the shipped record, showcase queries, exports in out/)
# and `make test`. Everything the tests need is installed from here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= ./spacekg-store
RECORD := data/records/us-japan-space-partnership.txt
STAMP  := $(VENV)/.installed

.PHONY: install demo test java chromium yasgui clean bench-smoke compiled bench-extraction

install: $(STAMP) java chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# HermiT (owlready2's reasoner) needs a Java runtime; install one from Debian when missing.
java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing a Java runtime for HermiT"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "warning: no java on PATH; the HermiT reasoner tests will be skipped" >&2; fi; }

# The browser test of 'spacekg serve' drives Debian's Chromium headless (Playwright, with
# executable_path; never 'playwright install', which downloads a browser build).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Chromium for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "warning: no chromium on PATH; the browser test of 'spacekg serve' will be skipped" >&2; fi; }

# Refresh the vendored query editor (spacekg/serve/static) from the npm registry; see LICENSE-yasgui.txt.
YASGUI_VERSION := 4.6.2
yasgui:
	rm -rf build/yasgui && mkdir -p build/yasgui
	cd build/yasgui && npm pack --silent @zazuko/yasgui@$(YASGUI_VERSION) && tar xzf zazuko-yasgui-$(YASGUI_VERSION).tgz
	cp build/yasgui/package/build/yasgui.min.js build/yasgui/package/build/yasgui.min.css spacekg/serve/static/
	sha256sum build/yasgui/zazuko-yasgui-$(YASGUI_VERSION).tgz spacekg/serve/static/yasgui.min.*

demo: install
	rm -rf $(STORE) out
	mkdir -p out
	$(BIN)/spacekg build $(RECORD) --store $(STORE)
	$(BIN)/spacekg stats --store $(STORE)
	$(BIN)/spacekg query heads --store $(STORE)
	$(BIN)/spacekg query budgets --store $(STORE)
	$(BIN)/spacekg query assertions-about --param entity=MOD --store $(STORE)
	$(BIN)/spacekg query negated --store $(STORE)
	$(BIN)/spacekg explain "Takaichi" org:headOf Japan --store $(STORE)
	$(BIN)/spacekg query entities-by-class --store $(STORE) --format csv > out/entities.csv
	$(BIN)/spacekg export --format trig -o out/spacekg.trig --store $(STORE)
	$(BIN)/spacekg export --format nquads -o out/spacekg.nq --store $(STORE)
	$(BIN)/spacekg export --format jsonld -o out/spacekg.jsonld --store $(STORE)
	$(BIN)/spacekg export --format turtle -o out/spacekg.ttl --store $(STORE)
	$(BIN)/spacekg export --format gexf --projection entities -o out/entities.gexf --store $(STORE)
	$(BIN)/spacekg export --format gexf --projection comention -o out/comention.gexf --store $(STORE)
	$(BIN)/spacekg export --format graphml --projection entities -o out/entities.graphml --store $(STORE)
	$(BIN)/spacekg plot --projection entities -o out/graph-entities.png --store $(STORE)
	@echo "exports written to out/: $$(ls out | tr '\n' ' ')"

test: install
	$(BIN)/python -m pytest

# A quick benchmark (10k assertions, about a minute); the full run is benchmarks/run.py --sizes 10k,100k,1M
bench-smoke: install
	$(BIN)/python benchmarks/run.py --sizes 10k --smoke --out benchmarks/results/smoke.json

# The extraction compiled by mypyc (see setup.py): the same output, faster; needs a C compiler.
# Its own environment, installed as a user installs it (a compiled build cannot be editable).
COMPILED := .venv-compiled
compiled: $(COMPILED)/.installed

$(COMPILED)/.installed: pyproject.toml setup.py $(wildcard spacekg/*.py spacekg/*/*.py spacekg/*/*/*.py)
	test -x $(COMPILED)/bin/python || $(PYTHON) -m venv $(COMPILED)
	$(COMPILED)/bin/python -m pip install --quiet --upgrade pip
	SPACEKG_COMPILE=1 $(COMPILED)/bin/python -m pip install --quiet .
	touch $@

# Extraction alone, assertions per CPU-second, the plain and the compiled build one after the other
bench-extraction: install compiled
	$(BIN)/python benchmarks/extraction.py
	$(COMPILED)/bin/python benchmarks/extraction.py

clean:
	rm -rf $(VENV) $(COMPILED) $(STORE) out .pytest_cache
