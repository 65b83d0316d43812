#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# make test: runs the suite and ends with one line that counts the skipped tests and names why, so that a green run
# that skipped half the suite (no ../shared, no MDTO XSD, no browser) cannot pass for a full one.
set -uo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift test --skip-build "$@" 2>&1 | tee "$log"
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
exit "$status"
