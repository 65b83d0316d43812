#!/bin/sh
# SPDX-License-Identifier: EUPL-1.2
# Benchmark: `sluitsteen verify PACKAGE` against the shell baseline the issue names:
# `xmllint --noout --schema` on every sidecar plus `sha256sum -c` on every file.
# Usage: scripts/bench-verify.sh PACKAGE_FOLDER
#   Needs a release build (swift build -c release) and Schemas/MDTO-XML1.0.1.xsd (make schemas).
#   XMLLINT_SAMPLE=N runs the one-process-per-file xmllint baseline on N files only and extrapolates
#   (for 100k-message packages, where it takes hours); 0 (default) runs it on all of them.
# To make a synthetic package first: scripts/gen-package.py /tmp/pkg --messages 10000
set -eu

PKG=${1:?usage: scripts/bench-verify.sh PACKAGE_FOLDER}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.build/release/sluitsteen}
XSD="$ROOT/Schemas/MDTO-XML1.0.1.xsd"
SAMPLE=${XMLLINT_SAMPLE:-0}
[ -x "$BIN" ] || { echo "bench-verify: $BIN missing; run: swift build -c release" >&2; exit 1; }
[ -f "$XSD" ] || { echo "bench-verify: $XSD missing; run: make schemas" >&2; exit 1; }
[ -d "$PKG" ] || { echo "bench-verify: $PKG is not a folder" >&2; exit 1; }
PKG=$(cd "$PKG" && pwd)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

# Measures a command: prints "<seconds> <peak RSS in KiB> <user s> <system s>"; the command's output goes to
# $WORK/out.
measure() {
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" >"$WORK/out" 2>&1 || true
    tail -n 1 "$WORK/time"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

cd "$PKG"
find . -type f -name '*.mdto.xml' | sed 's|^\./||' | LC_ALL=C sort >"$WORK/sidecars"
find . -type f | sed 's|^\./||' | LC_ALL=C sort >"$WORK/files"
SIDECARS=$(wc -l <"$WORK/sidecars")
FILES=$(wc -l <"$WORK/files")
BYTES=$(du -sb . | cut -f1)
# A manifest for sha256sum -c (built beforehand, not timed), and a warm page cache for everyone.
tr '\n' '\0' <"$WORK/files" | xargs -0 sha256sum >"$WORK/manifest"
tr '\n' '\0' <"$WORK/files" | xargs -0 cat >/dev/null

echo "Package: $PKG — $FILES files, $SIDECARS MDTO sidecars, $BYTES bytes; $(nproc) cores"
echo "Load average before: $(load) (other processes share the cores: compare user+system time too)"

set -- $(measure "$BIN" verify "$PKG")
V_TIME=$1 V_RSS=$2
V_RESULT=$(grep -c "GOEDGEKEURD" "$WORK/out" || true)
echo "sluitsteen verify:                      ${V_TIME} s (user $3 s, system $4 s), peak RSS ${V_RSS} KiB (passed: $V_RESULT)"

set -- $(measure sh -c "cd '$PKG' && sha256sum -c --quiet '$WORK/manifest'")
S_TIME=$1
echo "sha256sum -c (all files):               ${S_TIME} s (user $3 s, system $4 s), peak RSS ${2} KiB"

set -- $(measure sh -c "cd '$PKG' && tr '\n' '\0' <'$WORK/sidecars' | xargs -0 -n 500 xmllint --noout --schema '$XSD' 2>&1 | grep -vc ' validates$'")
B_TIME=$1
echo "xmllint, 500 files per process:         ${B_TIME} s (user $3 s, system $4 s), peak RSS ${2} KiB"

if [ "$SAMPLE" -gt 0 ] && [ "$SAMPLE" -lt "$SIDECARS" ]; then
    head -n "$SAMPLE" "$WORK/sidecars" >"$WORK/sample"
    N=$SAMPLE
else
    cp "$WORK/sidecars" "$WORK/sample"
    N=$SIDECARS
fi
set -- $(measure sh -c "cd '$PKG' && tr '\n' '\0' <'$WORK/sample' | xargs -0 -n 1 xmllint --noout --schema '$XSD' 2>/dev/null")
P_TIME=$(echo "$1 $N $SIDECARS" | awk '{ printf "%.2f", $1 * $3 / $2 }')
echo "xmllint, one process per sidecar:       ${P_TIME} s$( [ "$N" -lt "$SIDECARS" ] && echo " (extrapolated from $N files: $1 s)")"

echo "Load average after: $(load)"
awk -v v="$V_TIME" -v s="$S_TIME" -v b="$B_TIME" -v p="$P_TIME" 'BEGIN {
    if (v <= 0) v = 0.01
    printf "Baseline (xmllint per sidecar + sha256sum -c): %.2f s  => verify is %.1fx faster\n", p + s, (p + s) / v
    printf "Baseline (xmllint batched + sha256sum -c):     %.2f s  => verify is %.1fx faster\n", b + s, (b + s) / v
}'
