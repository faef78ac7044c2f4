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

.PHONY: run build test test-sqlite test-postgres pyenv lint fmt bench clean-var

# The Python that runs the generated training scripts in the codegen tests. The folder is
# named after the requirements' hash, so a changed pin gets a new environment and an
# unchanged one is reused across clones (hence no file prerequisite: a fresh clone's
# newer mtime must not force a reinstall).
PYTHON3 ?= python3
PYENV := $(HOME)/.cache/netsmith/py-$(shell sha256sum python/requirements.txt | cut -c1-16)
export NETSMITH_TEST_PYTHON := $(PYENV)/bin/python

run:
	$(CARGO) run --release -p netsmith -- serve

build:
	$(CARGO) build --release -p netsmith

# Both backends; the PostgreSQL run repeats only the HTTP tests (the unit tests do not
# touch a database). Each test creates and drops its own PostgreSQL database.
test: test-sqlite test-postgres

test-sqlite: pyenv
	NETSMITH_TEST_BACKEND=sqlite $(TEST_RUN) --workspace
	$(CARGO) test --doc --workspace

test-postgres: pyenv
	NETSMITH_TEST_BACKEND=postgres $(TEST_RUN) -p netsmith --test it

pyenv: $(PYENV)/.complete

# Installed into a temporary folder and moved into place only once complete, so an
# interrupted install is never reused. Only bin/python is used afterwards (the pip
# scripts' shebangs still name the temporary folder).
$(PYENV)/.complete:
	rm -rf $(PYENV).tmp
	$(PYTHON3) -m venv $(PYENV).tmp
	$(PYENV).tmp/bin/python -m pip install --quiet --disable-pip-version-check \
		-r python/requirements.txt
	touch $(PYENV).tmp/.complete
	rm -rf $(PYENV)
	mv $(PYENV).tmp $(PYENV)

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

bench: build
	bash bench/accounts.sh
	bash bench/data.sh
	bash bench/preprocess.sh
	bash bench/training.sh

clean-var:
	rm -rf var
