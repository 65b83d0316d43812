#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The lint step of `make test` (also `make lint`):
#  1. swift-format's rules (.swift-format: the defaults, minus the few the house deliberately writes otherwise — one
#     line `case a, b`, `let a = 0, b = 0`, `/* x */` after a byte value, a custom `forEach` that is not a Sequence's,
#     imports grouped by layer rather than alphabetically). Only rule findings fail; swift-format's layout findings
#     (indentation, line breaks) are not enforced: the code's layout predates the tool and `swift format` would rewrite
#     every file.
#  2. No line of Swift source longer than LINE_LIMIT characters.
set -euo pipefail
cd "$(dirname "$0")/.."
LINE_LIMIT=${LINE_LIMIT:-150}
status=0

if command -v swift >/dev/null && swift format --version >/dev/null 2>&1; then
  layout='\[(Indentation|AddLines|RemoveLine|LineLength|Spacing|TrailingComma|TrailingWhitespace)\]'
  findings=$(swift format lint --configuration .swift-format --recursive Sources Tests Package.swift 2>&1 \
    | grep -E 'warning: \[|error: ' | grep -Ev "$layout" || true)
  if [ -n "$findings" ]; then
    echo "lint: swift-format rule findings (see .swift-format):"
    echo "$findings"
    status=1
  fi
else
  echo "lint: swift-format not found (it ships with Swift 6); rule check skipped."
fi

long=$(find Sources Tests -name '*.swift' -print0 | xargs -0 awk -v n="$LINE_LIMIT" 'length($0) > n { printf "%s:%d: %d characters\n", FILENAME, FNR, length($0) }')
if [ -n "$long" ]; then
  echo "lint: lines longer than $LINE_LIMIT characters:"
  echo "$long"
  status=1
fi

[ $status -eq 0 ] && echo "lint: swift-format rules clean; no Swift line over $LINE_LIMIT characters."
exit $status
