#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The Woo bench (part of `make bench`): a request over an archive of BENCH_WOO_MESSAGES generated messages (default
# 100,000, scripts/gen-mbox.py, all in the mayor's mailbox), whose scope (one topic phrase in three and a half years) covers about
# 2 % of them (about 2,000): the time and peak RSS of
#   1. woo register      (hold, full-text search through the decision core, verzameling with thread headers)
#   2. woo suggestions   (every document read, recognisers, suggestions stored, access log per document)
#   3. woo review/redact (all suggestions accepted, documents with redactions deels openbaar, the rest openbaar)
#   4. woo produce       (a PDF per mail with its redactions burned in, attachments, inventarislijst, manifest)
# Ingest and the full-text index are built first and not timed here (bench.sh times them).
# Usage: scripts/bench-woo.sh [BIN]   (default .build/release/sluitsteen); BENCH_OUT as bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-$PWD/.build/release/sluitsteen}
OUT=${BENCH_OUT:-$PWD/bench-out}
N=${BENCH_WOO_MESSAGES:-100000}
mkdir -p "$OUT"
results="$OUT/results-woo.txt"
: > "$results"
note() { echo "$*" | tee -a "$results"; }
rss() { awk '/Maximum resident set size/ {printf "%.0f", $6/1024}' "$1"; }
secs() { awk '/Elapsed \(wall clock\)/ {n=split($8,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }
timed() { local name=$1; shift; /usr/bin/time -v "$@" > "$OUT/woo-$name.out" 2> "$OUT/woo-$name.time"; }
report() {
  local name=$1 what=$2
  note "$(printf '%-18s %8.2f s  peak RSS %5s MB  %s' "$name" "$(secs "$OUT/woo-$name.time")" "$(rss "$OUT/woo-$name.time")" "$what")"
}

MBOX="$OUT/bench-$N.mbox"
[ -s "$MBOX" ] || python3 scripts/gen-mbox.py "$MBOX" --messages "$N" --seed 1
WS="$OUT/ws-woo"
rm -rf "$WS" "$OUT/woo-productie" "$OUT/woo-productie.zip"
export SLUITSTEEN_HOME="$WS"
export SLUITSTEEN_NOW=2026-03-02T09:00:00Z
"$BIN" init --demo > /dev/null
REG="$OUT/woo-registers"
mkdir -p "$REG"
printf 'person_id,name,employed_from,employed_to\nP0001,Annemarie Groeneveld-Bos,2015-01-01,\nP0010,Dora de Wit,2015-01-01,\n' > "$REG/people.csv"
printf 'person_id,role,valid_from,valid_to\nP0001,burgemeester,2015-01-01,\nP0010,woo-coordinator,2015-01-01,\n' > "$REG/roles.csv"
printf 'address,kind,person_id\nburgemeester@krimpenerwaard.example,personal,P0001\n' > "$REG/mailboxes.csv"
"$BIN" register import "$REG/people.csv" "$REG/roles.csv" "$REG/mailboxes.csv" > /dev/null
"$BIN" ingest --quiet --json --mailbox burgemeester@krimpenerwaard.example "$MBOX" > "$OUT/woo-ingest.json"
"$BIN" index --quiet --json > /dev/null
FOUND=$(python3 -c "import json;print(json.load(open('$OUT/woo-ingest.json'))['found'])")

ZAAK=Z-2026-0101
BY=(--by P0010)
timed register "$BIN" woo register "$ZAAK" --received 2026-02-16 --title "Warmtenet Schoonhoven" --from 2022-07-01 \
  --to 2025-12-31 --persons P0001 --terms "warmtenet Schoonhoven" --json "${BY[@]}"
read -r COPIES ATTS THREADS DUPS < <(python3 -c "
import json; o = json.load(open('$OUT/woo-register.out'))
print(o['copies'], o['attachments'], o['threads'], o['duplicates'])")
timed suggestions "$BIN" woo suggestions "$ZAAK" --json "${BY[@]}"
read -r SCANNED SUGG < <(python3 -c "
import json; lines = [json.loads(l) for l in open('$OUT/woo-suggestions.out')]
print(lines[-1]['scanned'], lines[-1]['newSuggestions'])")
# The review: everything openbaar first, then every document with a suggestion deels openbaar, every suggestion accepted.
LAST=$(python3 -c "
import json; ids = [json.loads(l).get('id') for l in open('$OUT/woo-suggestions.out')]
print(max([i for i in ids if i] or [0]))")
DOCS=$(python3 -c "
import json; docs = sorted({json.loads(l)['document'] for l in open('$OUT/woo-suggestions.out') if 'document' in json.loads(l)})
print(' '.join(docs))")
start=$(date +%s.%N)
"$BIN" woo review "$ZAAK" --all-open --assessment openbaar "${BY[@]}" > /dev/null
# shellcheck disable=SC2086
[ -z "$DOCS" ] || "$BIN" woo review "$ZAAK" $DOCS --assessment deels --note "Persoonsgegevens gelakt." "${BY[@]}" > /dev/null
[ "$LAST" = 0 ] || "$BIN" woo redact "$ZAAK" --accept "1-$LAST" "${BY[@]}" > /dev/null
T_REVIEW=$(python3 -c "import time; print(round(time.time() - $start, 2))")
timed produce "$BIN" woo produce "$ZAAK" --out "$OUT/woo-productie" --zip --json "${BY[@]}"
read -r FILES MANUAL ROWS < <(python3 -c "
import json; o = json.load(open('$OUT/woo-produce.out'))
print(len(o['files']), len(o['manual']), o['inventoryRows'])")
BYTES=$(du -sb "$OUT/woo-productie" | cut -f1)

note "== Woo request over $FOUND messages (gen-mbox.py --messages $N --seed 1; scope: 'warmtenet Schoonhoven', 2022-07-01 to 2025-12-31)"
report register "verzameling: $COPIES copies, $ATTS attachments, $THREADS threads, $DUPS duplicates"
report suggestions "$SCANNED documents read, $SUGG suggestions stored"
note "$(printf '%-18s %8.2f s  (review --all-open, review of the documents with suggestions, redact --accept 1-%s)' review+redact "$T_REVIEW" "$LAST")"
report produce "$FILES files, $MANUAL for manual handling, inventarislijst $ROWS rows, $((BYTES / 1000000)) MB"
rm -rf "$WS"
