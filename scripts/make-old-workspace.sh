#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Remakes Tests/SluitsteenCLITests/Fixtures/old-workspace-4b32a3b.tar.gz: a demo workspace made by the last version
# with the one-file store (commit 4b32a3b: `store/ab/<sha256>`, one file per message), for StoreMigrateCLITests, which
# migrates it with today's binary. Run from the repository root:
#
#   scripts/make-old-workspace.sh [OLD_CHECKOUT]
#
# OLD_CHECKOUT (default /tmp/sluitsteen-old-4b32a3b) is a checkout of 4b32a3b; when it is absent it is made as a git
# worktree, and its `sluitsteen` is built there (debug; a cold build takes several minutes). Its Fixtures/ are the input.
# The MDTO export runs only when the MDTO XSD is found (../shared/schemas/mdto/, or $MDTO_XSD). Remove the worktree
# afterwards with `git worktree remove --force OLD_CHECKOUT`.
#
# What the workspace holds: the registers; mail from an mbox, a Maildir and a folder of .eml files; a batch taken into
# a wrong mailbox and withdrawn; the full-text index; a hotspot, a Woo hold and a Woo request with suggestions; two
# opt-outs; three chat conversations (one stripped and handed over: its export file left the store); an executed
# destruction list and an opt-out purge (removed files, tombstones); an MDTO export, confirmed as transferred.
set -euo pipefail
COMMIT=4b32a3b
REPO=$(cd "$(dirname "$0")/.." && pwd)
OLD=${1:-/tmp/sluitsteen-old-$COMMIT}
OUT="$REPO/Tests/SluitsteenCLITests/Fixtures/old-workspace-$COMMIT.tar.gz"

if [ ! -d "$OLD" ]; then git -C "$REPO" worktree add --detach "$OLD" "$COMMIT"; fi
[ "$(git -C "$OLD" rev-parse --short=7 HEAD)" = "$COMMIT" ] || { echo "$OLD is not a checkout of $COMMIT" >&2; exit 1; }
[ -x "$OLD/.build/debug/sluitsteen" ] || (cd "$OLD" && swift build --product sluitsteen)
BIN="$OLD/.build/debug/sluitsteen"
F="$OLD/Fixtures"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export SLUITSTEEN_HOME="$WORK/archief"
at() { export SLUITSTEEN_NOW="$1"; }
run() { echo "+ sluitsteen $*" >&2; "$BIN" "$@" >/dev/null; }

at 2026-12-01T10:00:00Z
run init --demo "$SLUITSTEEN_HOME" --by "DIV Krimpenerwaard"
run register import --by P0010 "$F/registers/people.csv" "$F/registers/roles.csv" "$F/registers/mailboxes.csv" \
    "$F/registers/approvers.csv"
run ingest --quiet --by P0010 --mailbox burgemeester@krimpenerwaard.example "$F/mailboxes/burgemeester.mbox"
run ingest --quiet --by P0010 --mailbox j.devries@krimpenerwaard.example "$F/mailboxes/beleidsmedewerker"
run ingest --quiet --by P0010 --mailbox info@krimpenerwaard.example "$F/mailboxes/info"
run ingest --quiet --by P0010 --new-mailbox --mailbox oud-archief@krimpenerwaard.example "$F/mailboxes/burgemeester.mbox"
run ingest undo 4 --by P0010 --reason "verkeerde mailbox"
run index
run hotspot add --by P0010 --name "N210 Brug Krimpen" --status designated --from 2024-01-01 --to 2025-12-31 \
    --terms "N210,Brug Krimpen" --decision "SIO 2024-11"
run hotspot add --by P0010 --name Dijkdoorbraak --status designated --terms dijk --decision B-2024-7
run hold add --by P0008 --woo Z-2024-0815 --received 2024-05-21 --zaak Z-2024-0815
run optout mark --by P0003 --mailbox j.devries@krimpenerwaard.example \
    --message-id '<pv-2025-03-teamuitje@krimpenerwaard.example>' --ground informal
run optout mark --copy 12 --ground private --by P0003
run woo register Z-2026-0142 --received 2026-11-30 --persons P0003 --terms raadsvoorstel --by P0008
run woo suggestions Z-2026-0142 --by P0008
run chat ingest --hotspot Dijkdoorbraak --by P0010 "$F/chat/WhatsApp Chat met Dijkteam.txt" "$F/chat/WhatsApp Chat - Dijkteam.zip"
run chat strip --conversation 2 --message 6 3 --by P0010
run chat handover --conversation 2 --by P0010
run chat ingest --woo Z-2026-0142 --by P0010 "$F/chat/sms-backup.xml"

at 2033-06-01T09:00:00Z
run destroy propose --by P0010
run destroy approve VL-2033-001 --role div --by P0010
at 2033-06-02T09:00:00Z
run destroy approve VL-2033-001 --role archivist --by P0011
at 2033-06-10T09:00:00Z
run destroy execute VL-2033-001 --by P0010
run optout purge --by P0010

XSD=${MDTO_XSD:-$REPO/../shared/schemas/mdto/MDTO-XML1.0.1.xsd}
if [ -f "$XSD" ]; then
    XSD=$(realpath "$XSD")
    at 2036-01-05T09:00:00Z
    echo "+ sluitsteen export --by P0011 --as-of 2036-01-01 --out …" >&2
    PACKAGE=$("$BIN" export --quiet --by P0011 --as-of 2036-01-01 --schema "$XSD" --out "$WORK/overdracht" |
        sed -n 's/^Package \([^ ]*\) written to.*/\1/p')
    run transfer confirm "$PACKAGE" --by P0011
else
    echo "make-old-workspace: no MDTO XSD at $XSD: the workspace has no export" >&2
fi
run audit verify
run store verify

# One catalog file, no write-ahead log beside it; names sorted, the old commit's time and no owner in the archive.
sqlite3 "$SLUITSTEEN_HOME/catalog.sqlite" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
rm -rf "$SLUITSTEEN_HOME/tmp"
mkdir -p "$(dirname "$OUT")"
tar -C "$WORK" --sort=name --mtime="$(git -C "$OLD" log -1 --format=%cI)" --owner=0 --group=0 --numeric-owner -cf - archief | gzip -9n > "$OUT"
echo "wrote $OUT ($(stat -c %s "$OUT") bytes)"
