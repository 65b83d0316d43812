#!/bin/sh
# SPDX-License-Identifier: EUPL-1.2
# Benchmark: `sluitsteen export` of ~100,000 messages against `cp -r` of the same message files plus
# `sha256sum` of the copies (issue 4: goal at least half that throughput; memory independent of message count).
#
# Usage: scripts/bench-export.sh [WORKSPACE [POLICY.toml]]
#   Without arguments, generates (once, under $BENCH_DIR, default bench-out/export) a workspace of
#   $MESSAGES (default 100000) messages over $MAILBOXES (default 20) mailboxes with scripts/gen-mbox.py and
#   scripts/gen-archive-csv.py, and a policy in which staff and functional mail are B too, so that nearly all
#   of it is exported (the leavers' mail stays V). With WORKSPACE, exports from that workspace instead.
#   Needs a release build (swift build -c release) and Schemas/MDTO-XML1.0.1.xsd (make schemas).
#   Prints MB/s and peak RSS (/usr/bin/time -v) for both. The page cache is warmed before each run.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.build/release/sluitsteen}
[ -x "$BIN" ] || { echo "bench-export: $BIN missing; run: swift build -c release" >&2; exit 1; }
[ -f "$ROOT/Schemas/MDTO-XML1.0.1.xsd" ] || { echo "bench-export: Schemas/MDTO-XML1.0.1.xsd missing; run: make schemas" >&2; exit 1; }
export SLUITSTEEN_SCHEMAS="$ROOT/Schemas"
N=${MESSAGES:-100000}
M=${MAILBOXES:-20}
DIR=${BENCH_DIR:-$ROOT/bench-out/export}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

if [ $# -ge 1 ]; then
    WS=$(cd "$1" && pwd)
    POLICY=${2:-}
else
    WS="$DIR/ws-$N"
    POLICY="$DIR/policy-all-b.toml"
    sed -e '/^\[rules.staff\]/,/^\[/ s/^waardering = "V"/waardering = "B"/' \
        -e '/^\[rules.functional\]/,/^\[/ s/^waardering = "V"/waardering = "B"/' \
        "$ROOT/Sources/SluitsteenPolicy/Resources/krimpenerwaard.toml" >"$POLICY"
    if [ ! -f "$WS/.bench-ready" ]; then
        rm -rf "$WS" "$DIR/mbox-$N" "$DIR/reg-$M"
        echo "Generating $N messages over $M mailboxes..."
        python3 "$ROOT/scripts/gen-mbox.py" "$DIR/mbox-$N" --split --messages "$N" --mailboxes "$M" --copies 1 --quiet
        python3 "$ROOT/scripts/gen-archive-csv.py" "$DIR/reg-$M" --mailboxes "$M" 2>/dev/null
        "$BIN" init --demo "$WS" >/dev/null
        # The registers first, so that ingest does not note twenty times that a mailbox is not registered yet.
        "$BIN" register import --home "$WS" "$DIR/reg-$M/people.csv" "$DIR/reg-$M/roles.csv" "$DIR/reg-$M/mailboxes.csv" >/dev/null
        for f in "$DIR/mbox-$N"/*.mbox; do
            "$BIN" ingest --home "$WS" --quiet --new-mailbox --mailbox "$(basename "$f" .mbox)" "$f" >/dev/null
        done
        touch "$WS/.bench-ready"
    fi
fi

WORK=$(mktemp -d "$DIR/run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

# Peak RSS (KiB) and elapsed seconds of a command, from GNU time -v.
measure() {
    /usr/bin/time -v -o "$WORK/time" "$@" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; return 1; }
    RSS=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$WORK/time")
    ELAPSED=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time" \
        | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
}

cat "$WS"/store/*/* >/dev/null 2>&1 || true
set -- export --home "$WS" --out "$WORK/pkg" --as-of 2040-01-01 --quiet --json
[ -n "$POLICY" ] && set -- "$@" --policy "$POLICY"
measure "$BIN" "$@"
E_TIME=$ELAPSED E_RSS=$RSS
COPIES=$(sed -n 's/.*"copies":\([0-9]*\).*/\1/p' "$WORK/out")
MESSAGES_OUT=$(sed -n 's/.*"messages":\([0-9]*\).*/\1/p' "$WORK/out")
BYTES=$(sed -n 's/.*"contentBytes":\([0-9]*\).*/\1/p' "$WORK/out")
FILES=$(find "$WORK/pkg" -type f | wc -l)

# Baseline: the message files themselves (the workspace's content store: the exported messages' stored
# bytes, plus any not exported) copied with cp -r, then every copy hashed with sha256sum.
rm -rf "$WORK/pkg"
S_BYTES=$(find "$WS/store" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
cat "$WS"/store/*/* >/dev/null 2>&1 || true
measure sh -c "cp -r '$WS/store' '$WORK/copy' && find '$WORK/copy' -type f -exec sha256sum {} + >/dev/null"
B_TIME=$ELAPSED B_RSS=$RSS

awk -v b="$BYTES" -v sb="$S_BYTES" -v et="$E_TIME" -v bt="$B_TIME" -v er="$E_RSS" -v br="$B_RSS" -v c="$COPIES" -v m="$MESSAGES_OUT" -v f="$FILES" 'BEGIN {
    mb = b / 1e6
    printf "Exported %d copies (%d messages, %.1f MB of .eml) into %d files; %d cores\n", c, m, mb, f, 2
    printf "sluitsteen export:        %7.2f s  %7.1f MB/s  peak RSS %d KiB\n", et, mb / et, er
    printf "cp -r + sha256sum:        %7.2f s  %7.1f MB/s  peak RSS %d KiB  (%.1f MB of stored messages)\n", bt, sb / 1e6 / bt, br, sb / 1e6
    printf "ratio (export / baseline throughput): %.2f (goal >= 0.5)\n", (mb / et) / (sb / 1e6 / bt)
}'
