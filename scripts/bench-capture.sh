#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Capture benchmark: N generated messages (scripts/gen-mbox.py, default 50,000) appended by IMAP into a local Dovecot
# (started here on a free loopback port, in a temporary folder, stopped at the end), then
#   1. sluitsteen capture (the one-off form) into a fresh workspace,
#   2. sluitsteen ingest of the same mbox (the archive's own work without IMAP), and
#   3. Python's imaplib: UID FETCH of BODY.PEEK[] over the same folder in chunks of 500, hashing each message,
# each timed with /usr/bin/time -v: messages/s, MB/s (of message bytes), peak RSS.
# BENCH_CAPTURE_MESSAGES sets N; BIN the sluitsteen executable (default: the release build); BENCH_OUT the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/.build/release/sluitsteen}
OUT=${BENCH_OUT:-$PWD/bench-out}
N=${BENCH_CAPTURE_MESSAGES:-50000}
[ -x "$BIN" ] || { echo "bench-capture: $BIN is not built (make release)"; exit 1; }
[ -x /usr/sbin/dovecot ] || { echo "bench-capture: dovecot is not installed (make deps installs dovecot-imapd)"; exit 1; }
mkdir -p "$OUT"
results="$OUT/capture-results.txt"
: > "$results"
note() { echo "$*" | tee -a "$results"; }
rss() { awk '/Maximum resident set size/ {printf "%.0f", $6/1024}' "$1"; }
secs() { awk '/Elapsed \(wall clock\)/ {n=split($8,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }

MBOX="$OUT/bench-capture-$N.mbox"
[ -s "$MBOX" ] || python3 scripts/gen-mbox.py "$MBOX" --messages "$N" --seed 2

# --- Dovecot -----------------------------------------------------------------------------------------------
D=$(mktemp -d /tmp/sluitsteen-bench-dovecot.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PASSWORD="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
if [ "$(id -u)" = 0 ]; then U=nobody; G=nogroup; UID_=65534; GID_=65534; RUN=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else U=$(id -un); G=$(id -gn); UID_=$(id -u); GID_=$(id -g); RUN=(); fi
mkdir -p "$D/run" "$D/state" "$D/mail"
echo "bench:{PLAIN}$PASSWORD:$UID_:$GID_::$D/mail/bench::" > "$D/passwd"
cat > "$D/dovecot.conf" <<CONF
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
default_internal_user = $U
default_internal_group = $G
default_login_user = $U
mail_location = maildir:~/Maildir
mail_fsync = never
passdb {
  driver = passwd-file
  args = scheme=PLAIN $D/passwd
}
userdb {
  driver = passwd-file
  args = $D/passwd
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$D"
"${RUN[@]}" /usr/sbin/dovecot -F -c "$D/dovecot.conf" > "$D/start.out" 2>&1 &
DPID=$!
WS=$(mktemp -d /tmp/sluitsteen-bench-capture.XXXXXX)
cleanup() { kill "$DPID" 2>/dev/null || true; wait "$DPID" 2>/dev/null || true; rm -rf "$D" "$WS"; }
trap cleanup EXIT
python3 - "$PORT" <<'PY'
import socket, sys, time
deadline = time.time() + 15
while True:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close(); break
    except OSError:
        if time.time() > deadline: sys.exit("bench-capture: dovecot does not listen")
        time.sleep(0.05)
PY

# --- fill it by APPEND ---------------------------------------------------------------------------------------
START=$(date +%s.%N)
# MULTIAPPEND (RFC 3502) of 200 messages per command, with LITERAL+ (RFC 7888): one APPEND per message made
# Dovecot rewrite its maildir uidlist every time (quadratic: 50,000 took ten minutes); imaplib waits for a
# continuation per message.
BYTES=$(python3 - "$PORT" "$PASSWORD" "$MBOX" <<'PY'
import mailbox, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
f = s.makefile("rb")
def send(b): s.sendall(b)
def wait(tag):
    while True:
        line = f.readline()
        if not line: sys.exit("connection closed")
        if line.startswith(tag + b" "):
            if not line.startswith(tag + b" OK"): sys.exit("failed: %r" % line)
            return
f.readline()
send(b"L LOGIN bench " + sys.argv[2].encode() + b"\r\n"); wait(b"L")
box = mailbox.mbox(sys.argv[3])
total, n, group = 0, 0, []
def append(group):
    global n
    n += 1
    tag = b"A%d" % n
    send(tag + b" APPEND INBOX" + b"".join(b" {%d+}\r\n" % len(d) + d for d in group) + b"\r\n")
    wait(tag)
for key in box.iterkeys():
    data = box.get_bytes(key).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    group.append(data)
    total += len(data)
    if len(group) == 200:
        append(group)
        group = []
if group: append(group)
send(b"Z LOGOUT\r\n")
print(total)
PY
)
MB=$(python3 -c "print(round($BYTES/1e6,1))")
note "== bench-capture: $N messages, $MB MB appended to Dovecot $(/usr/sbin/dovecot --version | cut -d' ' -f1) in $(python3 -c "print(round($(date +%s.%N)-$START,1))") s"

# --- 1. sluitsteen capture -----------------------------------------------------------------------------------------
export SLUITSTEEN_HOME="$WS/archief" SLUITSTEEN_NOW=2026-12-01T10:00:00Z
"$BIN" init --demo > /dev/null
R=Fixtures/registers
"$BIN" register import $R/people.csv $R/roles.csv $R/mailboxes.csv $R/approvers.csv > /dev/null
echo "$PASSWORD" > "$WS/password"
/usr/bin/time -v -o "$OUT/capture.time" "$BIN" capture --server 127.0.0.1 --port "$PORT" --tls none --user bench \
  --password-file "$WS/password" --mailbox burgemeester@krimpenerwaard.example --json > "$OUT/capture.json"
FETCHED=$(python3 -c "import json; print(json.load(open('$OUT/capture.json'))['mailboxes'][0]['fetched'])")
T=$(secs "$OUT/capture.time")
note "== sluitsteen capture: $FETCHED messages in $T s = $(python3 -c "print(round($FETCHED/$T))") msg/s, $(python3 -c "print(round($MB/$T,1))") MB/s, peak RSS $(rss "$OUT/capture.time") MB, CPU $(awk '/Percent of CPU/ {print $7}' "$OUT/capture.time")"
[ "$FETCHED" = "$N" ] || note "   (expected $N)"

# --- the same mail from the mbox file (sluitsteen ingest): the archive's own work, without IMAP ---------------------
export SLUITSTEEN_HOME="$WS/archief-ingest"
"$BIN" init --demo > /dev/null
"$BIN" register import $R/people.csv $R/roles.csv $R/mailboxes.csv $R/approvers.csv > /dev/null
/usr/bin/time -v -o "$OUT/capture-ingest.time" "$BIN" ingest --quiet --json --mailbox burgemeester@krimpenerwaard.example "$MBOX" > /dev/null
T3=$(secs "$OUT/capture-ingest.time")
note "== sluitsteen ingest of the same messages from the mbox: $N in $T3 s = $(python3 -c "print(round($N/$T3))") msg/s, peak RSS $(rss "$OUT/capture-ingest.time") MB"

# --- 2. Python imaplib ---------------------------------------------------------------------------------------------
cat > "$WS/fetch.py" <<'PY'
import imaplib, hashlib, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1])); m.login("bench", sys.argv[2])
m.select("INBOX", readonly=True)
typ, data = m.uid("SEARCH", None, "ALL")
uids = data[0].split()
count = 0
for i in range(0, len(uids), 500):
    typ, data = m.uid("FETCH", b"%s:%s" % (uids[i], uids[min(i + 499, len(uids) - 1)]), "(BODY.PEEK[])")
    for item in data:
        if isinstance(item, tuple):
            hashlib.sha256(item[1]).hexdigest(); count += 1
m.logout(); print(count)
PY
/usr/bin/time -v -o "$OUT/imaplib.time" python3 "$WS/fetch.py" "$PORT" "$PASSWORD" > "$OUT/imaplib.count"
PC=$(cat "$OUT/imaplib.count"); T2=$(secs "$OUT/imaplib.time")
note "== python imaplib UID FETCH BODY.PEEK[] (500 per command, SHA-256 each): $PC messages in $T2 s = $(python3 -c "print(round($PC/$T2))") msg/s, $(python3 -c "print(round($MB/$T2,1))") MB/s, peak RSS $(rss "$OUT/imaplib.time") MB"
note "   (sluitsteen capture also parses, appends the bytes to pack files, lists them in the catalog and commits in batches)"
echo "Figures saved in $results"
