# netsmith: `make run` serves on 127.0.0.1:8000 with the embedded defaults (SQLite and
# files under ./var); `make test` runs every test on SQLite and on PostgreSQL.

# The build cache lives outside the clone so later clones and CI runs reuse it.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/netsmith/target
CARGO ?= cargo
NEXTEST := $(shell $(CARGO) nextest --version >/dev/null 2>&1 && echo yes)
ifeq ($(NEXTEST),yes)
TEST_RUN = $(CARGO) nextest run --no-fail-fast
else
TEST_RUN = $(CARGO) test --no-fail-fast
endif

.PHONY: run build test stenv locustenv bench-soak test-sqlite test-postgres test-console test-console-unit test-console-browser screenshots web pyenv lint fmt bench bench-console bench-engine clean-var

# The web console (web/): built with npm into web/dist, which the server embeds at
# compile time. Rebuilt only when its sources or lockfile change (web/.stamp); without
# npm the server is built with a page that says how to build the console.
NPM_CACHE ?= $(HOME)/.cache/netsmith/npm
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts \
	web/tsconfig.json web/package.json web/scripts/gzip-dist.mjs
HAVE_NPM := $(shell command -v npm >/dev/null 2>&1 && echo yes)

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund --cache $(NPM_CACHE)

web/.stamp: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build
	touch web/.stamp

ifeq ($(HAVE_NPM),yes)
web: web/.stamp
else
web:
	@echo "npm not found: the server is built without its console (see README, Console)"
endif

# The Python that runs the generated training scripts in the codegen tests. The folder is
# named after the requirements' hash, so a changed pin gets a new environment and an
# unchanged one is reused across clones (hence no file prerequisite: a fresh clone's
# newer mtime must not force a reinstall).
PYTHON3 ?= python3
PYENV := $(HOME)/.cache/netsmith/py-$(shell sha256sum python/requirements.txt | cut -c1-16)
export NETSMITH_TEST_PYTHON := $(PYENV)/bin/python
# The Python with schemathesis that checks the served OpenAPI document (same scheme).
STENV := $(HOME)/.cache/netsmith/st-$(shell sha256sum python/schemathesis.txt | cut -c1-16)
export NETSMITH_TEST_SCHEMATHESIS := $(STENV)/bin/python
# Locust, the load generator of bench/soak.sh (same scheme; the script names the same
# folder from the same hash).
LOCUSTENV := $(HOME)/.cache/netsmith/locust-$(shell sha256sum bench/locust.txt | cut -c1-16)

run: web
	$(CARGO) run --release -p netsmith -- serve

build: web
	$(CARGO) build --release -p netsmith

# Both backends; the PostgreSQL run repeats only the HTTP tests (the unit tests do not
# touch a database). Each test creates and drops its own PostgreSQL database.
test: test-sqlite test-postgres test-console

test-sqlite: pyenv stenv web
	NETSMITH_TEST_BACKEND=sqlite $(TEST_RUN) --workspace
	$(CARGO) test --doc --workspace

test-postgres: pyenv stenv web
	NETSMITH_TEST_BACKEND=postgres $(TEST_RUN) -p netsmith --test it

# The console's unit tests (vitest), then the browser tests: headless Chromium (Debian's
# chromium package, driven by playwright-core) against the release server.
test-console: test-console-unit test-console-browser

test-console-unit: web/node_modules/.package-lock.json
	cd web && npx vitest run

test-console-browser: build
	cd web && node e2e/run.mjs

# The same browser test, writing its screenshots over the committed ones in docs/console/.
screenshots: build
	cd web && NETSMITH_SCREENSHOTS=$(CURDIR)/docs/console node e2e/run.mjs

# $(call venv,<folder>,<requirements>): a Python venv with the pinned requirements,
# installed into a temporary folder and moved into place only once complete, so an
# interrupted install is never reused. Only bin/python is used afterwards (the pip
# scripts' shebangs still name the temporary folder).
define venv
	rm -rf $(1).tmp
	$(PYTHON3) -m venv $(1).tmp
	$(1).tmp/bin/python -m pip install --quiet --disable-pip-version-check -r $(2)
	touch $(1).tmp/.complete
	rm -rf $(1)
	mv $(1).tmp $(1)
endef

pyenv: $(PYENV)/.complete

$(PYENV)/.complete:
	$(call venv,$(PYENV),python/requirements.txt)

stenv: $(STENV)/.complete

$(STENV)/.complete:
	$(call venv,$(STENV),python/schemathesis.txt)

locustenv: $(LOCUSTENV)/.complete

$(LOCUSTENV)/.complete:
	$(call venv,$(LOCUSTENV),bench/locust.txt)

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

bench: build
	node bench/console.mjs
	bash bench/accounts.sh
	bash bench/data.sh
	bash bench/preprocess.sh
	bash bench/training.sh
	bash bench/engine_speed.sh
	bash bench/executors.sh
	bash bench/engines.sh
	bash bench/soak.sh

bench-console: build
	node bench/console.mjs

# The soak of issue #15 alone: 64 connections of mixed traffic while a run trains.
# The built-in engine against the generated PyTorch script on the benchmark networks.
bench-engine: build
	bash bench/engine_speed.sh

bench-soak: build
	bash bench/soak.sh

clean-var:
	rm -rf var
