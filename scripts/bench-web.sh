#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The web service under load (make bench; alone: bash scripts/bench-web.sh): search and the message view on an archive
# of 100,000 messages, measured with wrk from loopback at 50 concurrent connections: requests/s, p50 and p99 latency,
# and the service's resident memory (now and peak). Signed in as the Woo-coördinator (who may search every mailbox)
# through the test OpenID provider: Tests/Browser/session_cookie.py does the code flow once, wrk sends its cookie.
#
# Needs: the release build (make release), wrk (Debian: apt-get install wrk), sqlite3, and the test virtualenv
# .venv-tests (make deps) for the provider. The archive is generated once in bench-out/web-archief (reused after).
# BENCH_WEB_MESSAGES (default 100000), BENCH_WEB_SECONDS (default 20) and BENCH_WEB_CONNECTIONS (default 50) change it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.build/release/sluitsteen
OUT=${BENCH_OUT:-$ROOT/bench-out}
N=${BENCH_WEB_MESSAGES:-100000}
SECONDS_EACH=${BENCH_WEB_SECONDS:-20}
CONNECTIONS=${BENCH_WEB_CONNECTIONS:-50}
PY=$ROOT/.venv-tests/bin/python
missing=""
command -v wrk > /dev/null || missing="$missing wrk (apt-get install wrk)"
command -v sqlite3 > /dev/null || missing="$missing sqlite3 (apt-get install sqlite3)"
[ -x "$BIN" ] || missing="$missing $BIN (make release)"
[ -x "$PY" ] || missing="$missing .venv-tests (make deps)"
if [ -n "$missing" ]; then echo "bench-web: missing:$missing" >&2; exit 1; fi
mkdir -p "$OUT"
results="$OUT/results-web.txt"
: > "$results"
note() { echo "$*" | tee -a "$results"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 1200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# --- the archive: N generated messages in the burgemeester's (registered) mailbox, the registers, index, a hotspot
# and a Woo hold, as in the demo ---------------------------------------------------------------------------------
export SLUITSTEEN_NOW=2026-12-01T10:00:00Z
WS="$OUT/web-archief-$N"
if [ ! -f "$WS/.bench-complete" ]; then
  rm -rf "$WS"
  MBOX="$OUT/bench-$N.mbox"
  [ -s "$MBOX" ] || python3 scripts/gen-mbox.py "$MBOX" --messages "$N" --seed 1
  "$BIN" init --demo "$WS" --by "bench" > /dev/null
  R=Fixtures/registers
  "$BIN" register import --home "$WS" --by P0010 "$R/people.csv" "$R/roles.csv" "$R/mailboxes.csv" "$R/approvers.csv" "$R/teams.csv" > /dev/null
  "$BIN" ingest --home "$WS" --quiet --by P0010 --mailbox burgemeester@krimpenerwaard.example "$MBOX" > /dev/null
  "$BIN" index --home "$WS" --quiet > /dev/null
  "$BIN" hotspot add --home "$WS" --by P0010 --name "N210 Brug Krimpen" --status designated --from 2024-01-01 --to 2025-12-31 \
    --terms "N210,Brug Krimpen" --decision "SIO 2024-11" > /dev/null
  "$BIN" hold add --home "$WS" --by P0008 --woo Z-2024-0815 --received 2024-05-21 --zaak Z-2024-0815 > /dev/null
  touch "$WS/.bench-complete"
fi
read -r FIRST LAST COPIES <<< "$(sqlite3 -separator ' ' "$WS/catalog.sqlite" 'SELECT MIN(id), MAX(id), COUNT(*) FROM copy')"

# --- the provider and the service --------------------------------------------------------------------------------
PPORT=$(free_port); SPORT=$(free_port)
CONF="$OUT/serve-bench.toml"
sed -e "s#http://127.0.0.1:8080#http://127.0.0.1:$SPORT#" -e "s#http://127.0.0.1:9400#http://127.0.0.1:$PPORT#" \
    -e "s#\"serve-demo.secret\"#\"$ROOT/Fixtures/serve-demo.secret\"#" Fixtures/serve-demo.toml > "$CONF"
"$PY" Tests/Browser/oidc_provider.py --port "$PPORT" --users Tests/Browser/demo-users.json --client-id sluitsteen-demo \
  --client-secret-file Fixtures/serve-demo.secret --redirect-uri "http://127.0.0.1:$SPORT/auth/callback" > "$OUT/provider.log" 2>&1 &
PROVIDER=$!
"$BIN" serve --home "$WS" --listen "127.0.0.1:$SPORT" --config "$CONF" > "$OUT/serve.log" 2> "$OUT/serve-events.log" &
SERVICE=$!
trap 'kill $SERVICE $PROVIDER 2> /dev/null; wait $SERVICE $PROVIDER 2> /dev/null || true' EXIT
wait_port "$PPORT" || { echo "bench-web: the provider did not start (see $OUT/provider.log)" >&2; exit 1; }
wait_port "$SPORT" || { echo "bench-web: the service did not start (see $OUT/serve.log)" >&2; exit 1; }
COOKIE=$("$PY" Tests/Browser/session_cookie.py --service "http://127.0.0.1:$SPORT" --user mirjam)
rss() { awk -v k="$1" '$1 == k":" {printf "%.0f MB", $2/1024}' "/proc/$SERVICE/status"; }
note "== web service: $COPIES message copies (ids $FIRST..$LAST), wrk -t2 -c$CONNECTIONS -d${SECONDS_EACH}s from loopback, signed in as the Woo-coördinator"
note "   RSS after start and sign-in: $(rss VmRSS); load average of the machine before: $(cut -d' ' -f1-3 /proc/loadavg)"

# One wrk run: requests/s, p50, p99 (from --latency), non-2xx answers.
bench() {
  local name=$1 script=$2 path=$3
  local log="$OUT/wrk-$name.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency --timeout 10s -H "Cookie: $COOKIE" ${script:+-s "$script"} \
    "http://127.0.0.1:$SPORT$path" > "$log"
  python3 - "$name" "$log" <<'PY' | tee -a "$results"
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1)
p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = re.search(r"Socket errors: (.*)", text)
print(f"{name:34s} {float(rps):9.1f} req/s   p50 {p50:>9s}   p99 {p99:>9s}"
      + (f"   NON-2xx: {bad.group(1)}" if bad else "") + (f"   socket errors: {errors.group(1)}" if errors else ""))
PY
}
# Each request of the message view opens another message (deterministic: math.random with a fixed seed per thread).
LUA="$OUT/wrk-messages.lua"
cat > "$LUA" <<LUA
local n = 0
setup = function(thread) n = n + 1; thread:set("seed", n) end
init = function() math.randomseed(seed) end
request = function() return wrk.format("GET", "/berichten/" .. math.random($FIRST, $LAST)) end
LUA
bench "search: words (q=brug)" "" "/zoeken?q=brug"
bench "search: words + period + sender" "" "/zoeken?q=gemeente&van=2020-01-01&tot=2023-12-31&afzender=krimpenerwaard"
bench "search: everything, page 20" "" "/zoeken?q=&pagina=20"
bench "message view (random of $COPIES)" "$LUA" "/berichten/$FIRST"
note "   RSS after the runs: $(rss VmRSS), peak $(rss VmHWM)"
echo "Figures saved in $results"
