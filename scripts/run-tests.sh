#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# make test: runs the suite and ends with one line that counts the skipped tests and names why, so that a green run
# that skipped half the suite (no ../shared, no MDTO XSD, no browser) cannot pass for a full one.
#
# The suite runs with TMPDIR set to a fresh folder. Every test removes the temporary folders and files it makes
# (Tests/SluitsteenTestSupport/TemporaryDirectory.swift: a folder that removes itself, kept by the test or its
# fixture); whatever is left in that folder after the run is a leak: it is listed (count and size) and fails the run.
# The folder is removed afterwards in any case. Set KEEP_TEST_TMPDIR=1 to keep it for a look.
set -uo pipefail
outer=${TMPDIR:-/tmp}
log=$(mktemp "$outer/sluitsteen-test-log.XXXXXX")
# (A short name: Dovecot's unix sockets live a few levels down in it, and a socket path has at most 107 bytes.)
scratch=$(mktemp -d "$outer/sluitsteen-t.XXXXXX")
# Others may pass through it (mode 0755, as /tmp lets them): the capture tests, run as root, start Dovecot as nobody,
# which must reach its folder inside.
chmod 755 "$scratch"
cleanup() {
  rm -f "$log"
  if [ "${KEEP_TEST_TMPDIR:-}" = 1 ]; then echo "make test: kept TMPDIR $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
TMPDIR=$scratch swift test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# Swift Testing prints a skipped test as: ➜ Test NAME skipped: "REASON" (and a skipped suite once more as ➜ Suite …).
skipped=$(grep -c '^➜ Test .* skipped' "$log" || true)
summary=$(grep -E '^. Test run with [0-9]+ tests?' "$log" | tail -1 | sed -E 's/^. //')
echo
echo "make test: ${summary:-no test run summary found}"
if [ "$skipped" -gt 0 ]; then
  echo "make test: $skipped test(s) SKIPPED, by reason:"
  grep '^➜ Test .* skipped' "$log" | sed -E 's/^.*skipped: "?([^"]*)"?$/\1/' | sort | uniq -c | sort -rn | sed 's/^/  /'
else
  echo "make test: 0 tests skipped."
fi

# What is left in the run's TMPDIR. Not ours, so not counted (by name):
#  - TemporaryDirectory.XXXXXX: SwiftPM's own scratch folders (with a .keep-directory file), made by `swift test`
#    itself around the test process;
#  - _*.lock: SwiftPM's lock files, named after the path they lock with / as _ (_root_.swiftpm.lock,
#    _work_sluitsteen_.build.lock, …).
# Anything else (sluitsteen-* above all: the tests' own folders and files) is a leak of the tests.
mapfile -t left < <(find "$scratch" -mindepth 1 -maxdepth 1 ! -name 'TemporaryDirectory.*' ! -name '_*.lock' -printf '%f\n' | sort)
if [ "${#left[@]}" -gt 0 ]; then
  size=$(cd "$scratch" && du -csh -- "${left[@]}" 2>/dev/null | tail -1 | cut -f1)
  echo "make test: the tests LEFT ${#left[@]} temporary item(s), $size, in TMPDIR (each test must remove what it makes:"
  echo "  TemporaryDirectory in Tests/SluitsteenTestSupport, kept by the test or its fixture, or a defer):"
  printf '  %s\n' "${left[@]:0:20}"
  [ "${#left[@]}" -gt 20 ] && echo "  … and $(( ${#left[@]} - 20 )) more"
  [ "$status" -eq 0 ] && status=1
else
  echo "make test: the tests left nothing in TMPDIR."
fi
exit "$status"
