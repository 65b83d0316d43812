#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The main job end to end on Fixtures/: a fresh workspace, ingest of three municipal mailboxes (mbox, Maildir,
# EML), the registers, a plan, the destruction chain and the MDTO export of the key-person mail, verified.
set -euo pipefail
BIN=${1:-.build/debug/sluitsteen}
HOME_DIR=${2:-demo-archief}
F=Fixtures
export SLUITSTEEN_HOME="$HOME_DIR"
export SLUITSTEEN_NOW=2026-12-01T10:00:00Z
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "sluitsteen $*"; "$BIN" "$@"; }

rm -rf "$HOME_DIR"
run init "$HOME_DIR" --by "DIV Krimpenerwaard"
run ingest --quiet --by "DIV" --mailbox burgemeester@krimpenerwaard.example "$F/mailboxes/burgemeester.mbox"
run ingest --quiet --by "DIV" --mailbox j.devries@krimpenerwaard.example "$F/mailboxes/beleidsmedewerker"
run ingest --quiet --by "DIV" --mailbox info@krimpenerwaard.example "$F/mailboxes/info"
run ingest --quiet --by "DIV" --mailbox burgemeester@krimpenerwaard.example "$F/mailboxes/burgemeester.mbox"
run register import --by "DIV" "$F/registers/people.csv" "$F/registers/roles.csv" "$F/registers/mailboxes.csv"
run hotspot add --by "DIV" --name "N210 Brug Krimpen" --status designated --from 2024-01-01 --to 2025-12-31 --terms "N210,Brug Krimpen" --decision "SIO 2024-11"
run hold add --by "Woo-coördinator" --woo Z-2024-0815 --received 2024-05-21 --zaak Z-2024-0815
run plan --report "$HOME_DIR/plan.html"
run explain --mailbox j.devries@krimpenerwaard.example --message-id "$("$BIN" messages --mailbox j.devries@krimpenerwaard.example --json | python3 -c 'import sys,json; print([json.loads(l)["messageId"] for l in sys.stdin if "Projecten" in json.loads(l)["folder"]][0])')"
if [ -x scripts/demo-chain.sh ]; then bash scripts/demo-chain.sh "$BIN" "$HOME_DIR"; fi
say "done: the workspace is in $HOME_DIR (plan report: $HOME_DIR/plan.html)"
