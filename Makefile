# SPDX-License-Identifier: EUPL-1.2
# Sluitsteen: two commands on a fresh Debian machine with Swift: `make demo` and `make test`.

SWIFT ?= swift
DEBIAN_PACKAGES := libgmime-3.0-dev libxml2-dev libxml2-utils libpst-dev pst-utils pkg-config sqlite3 libsqlite3-dev libssl-dev python3 \
  python3-venv chromium chromium-driver \
  libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils qpdf \
  libetpan-dev dovecot-imapd openssl
# (cairo, pango, DejaVu and poppler: the Woo PDFs; qpdf: their tests. libetpan: live capture over IMAP; dovecot-imapd and
# openssl: its tests start a Dovecot with a test CA. LibreOffice, for Office attachments, is left out:
# it is huge; without it those attachments are marked for manual handling.)
# The web service's tests: a real OpenID provider (Flask + Authlib) and Selenium, pinned, in a project-local virtualenv.
BENCH_PACKAGES := wrk
TEST_VENV := .venv-tests
TEST_REQUIREMENTS := Tests/Browser/requirements.txt
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
DEMO_HOME ?= demo-archief

.PHONY: deps schemas build release install uninstall demo lint test bench bench-web bench-deps clean

## deps: install the Debian packages Sluitsteen needs (only those missing), and the web service's test virtualenv
## (.venv-tests: the OpenID test provider and Selenium, pinned in Tests/Browser/requirements.txt; made anew when they change)
# Installs those of the Debian packages $(1) that are missing.
define install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	else echo "All Debian packages present."; fi
endef

deps:
	$(call install_missing,$(DEBIAN_PACKAGES))
	@if [ ! -x $(TEST_VENV)/bin/python ] || ! cmp -s $(TEST_REQUIREMENTS) $(TEST_VENV)/.requirements; then \
	  echo "Setting up $(TEST_VENV) (the web service's test provider and browser driver)"; \
	  rm -rf $(TEST_VENV) && /usr/bin/python3 -m venv $(TEST_VENV) && \
	  $(TEST_VENV)/bin/pip install -q --disable-pip-version-check -r $(TEST_REQUIREMENTS) && \
	  { $(TEST_VENV)/bin/python -m compileall -q $(TEST_VENV) >/dev/null 2>&1 || true; } && \
	  cp $(TEST_REQUIREMENTS) $(TEST_VENV)/.requirements; \
	else echo "Test virtualenv $(TEST_VENV) present."; fi

## schemas: place the official MDTO 1.0.1 XSD in Schemas/ (checked by SHA-256)
schemas:
	@bash scripts/fetch-mdto-xsd.sh

## build: debug build of the library, the CLI and the tests. The MDTO XSD is placed when it can be found; without
## it the build goes on (the tests that need it skip, and `export` and `verify` say where to get it).
build: deps
	@bash scripts/fetch-mdto-xsd.sh || echo "make: going on without the MDTO XSD (tests that need it will skip)."
	$(SWIFT) build --build-tests

## release: optimised build of the CLI (used by bench)
release: deps
	@bash scripts/fetch-mdto-xsd.sh || echo "make: going on without the MDTO XSD."
	$(SWIFT) build -c release --product sluitsteen

## install: the optimised `sluitsteen` in $(PREFIX)/bin (default /usr/local) and its schemas in
## $(PREFIX)/share/sluitsteen/Schemas (where the installed tool looks for them; the MDTO XSD only when `make schemas`
## could place it). `make uninstall` removes both.
PREFIX ?= /usr/local
install: release
	$(SUDO) install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sluitsteen/Schemas
	$(SUDO) install -m 0755 "$$($(SWIFT) build -c release --show-bin-path)/sluitsteen" $(DESTDIR)$(PREFIX)/bin/sluitsteen
	$(SUDO) install -m 0644 Schemas/*.xsd $(DESTDIR)$(PREFIX)/share/sluitsteen/Schemas/
	@echo "Installed $(DESTDIR)$(PREFIX)/bin/sluitsteen (try: sluitsteen --help)"

uninstall:
	$(SUDO) rm -f $(DESTDIR)$(PREFIX)/bin/sluitsteen
	$(SUDO) rm -rf $(DESTDIR)$(PREFIX)/share/sluitsteen

## demo: the main job end to end on Fixtures/ (ingest, registers, plan, destruction chain, export, verify).
## Without the MDTO XSD (no ../shared, no network) everything else still runs; the demo says what it skipped and how to
## add the XSD.
demo: build
	@bash scripts/demo.sh .build/debug/sluitsteen $(DEMO_HOME)

## test: all tests (tests that need ../shared skip cleanly without it); the last lines count the skipped tests and
## name why. The tests run with TMPDIR set to a fresh folder, and the run fails when they leave anything in it
## (scripts/run-tests.sh says what, with its size)
test: build lint
	@bash scripts/run-tests.sh

## lint: swift-format's rules (.swift-format) and no Swift line over 150 characters (scripts/lint.sh)
lint:
	@bash scripts/lint.sh

## bench: benchmarks with generated data, a table of the figures at the end (scripts/bench.sh: issue 17's goals in one
## run on the same files, ingest and tar export against dd conv=fdatasync, plan, export, verify; BENCH_* scale it down,
## BENCH_MILLION=1 adds a 1,000,000-message ingest, BENCH_BASELINE_BIN=OLD-BINARY its ingest + index); the web service
## under wrk (scripts/bench-web.sh: needs wrk, `apt-get install wrk`, which is the bench's own check, not make deps); the
## Woo request bench (scripts/bench-woo.sh: register, suggestions, production over 100,000 messages, ~2,000 in scope)
bench: release schemas bench-deps
	@bash scripts/bench.sh
	@bash scripts/bench-web.sh
	@bash scripts/bench-woo.sh

## bench-web: only the web service under load (search and message view on 100,000 messages, wrk at 50 connections)
bench-web: release bench-deps
	@bash scripts/bench-web.sh

## bench-deps: what only the benchmarks need (wrk, the web service's load generator)
bench-deps:
	$(call install_missing,$(BENCH_PACKAGES))

clean:
	rm -rf .build $(DEMO_HOME) bench-out $(TEST_VENV)
