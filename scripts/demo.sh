#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# make demo: the main job end to end on Fixtures/, in a fresh workspace (default ./demo-archief):
# ingest of three municipal mailboxes (mbox, Maildir, EML), the registers, a hotspot and a Woo hold, the plan,
# an explanation, the destruction chain with its verklaring, the opt-out purge, the MDTO export of the
# key-person mail and its verification, and the audit trail check.
# The workspace is a demo/test archive (`init --demo`): only such an archive honours a replayed clock, and every
# document it writes says it is a demo. The clock is replayed with SLUITSTEEN_NOW so the run is the same every time,
# and moved forward to the years in which the fixtures' mail is due; destruction always works on that "now".
set -euo pipefail
BIN=${1:-.build/debug/sluitsteen}
HOME_DIR=${2:-demo-archief}
F=Fixtures
export SLUITSTEEN_HOME="$HOME_DIR"
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "sluitsteen $*"; "$BIN" "$@"; }
at() { export SLUITSTEEN_NOW="$1"; printf '\n\033[2m# time is now %s\033[0m\n' "$1"; }

rm -rf "$HOME_DIR"
at 2026-12-01T10:00:00Z
run init --demo "$HOME_DIR" --by "DIV Krimpenerwaard"
say "# The registers first: ingest refuses a mailbox the register does not know (a typo would never be destroyed)"
run register import --by P0010 "$F/registers/people.csv" "$F/registers/roles.csv" "$F/registers/mailboxes.csv" "$F/registers/approvers.csv"
run ingest --quiet --by P0010 --mailbox burgemeester@krimpenerwaard.example "$F/mailboxes/burgemeester.mbox"
run ingest --quiet --by P0010 --mailbox j.devries@krimpenerwaard.example "$F/mailboxes/beleidsmedewerker"
run ingest --quiet --by P0010 --mailbox info@krimpenerwaard.example "$F/mailboxes/info"
say "(the same export again adds nothing)"
run ingest --quiet --by P0010 --mailbox burgemeester@krimpenerwaard.example "$F/mailboxes/burgemeester.mbox"
say "(a typo in the mailbox is refused)"
"$BIN" ingest --quiet --by P0010 --mailbox burgemeestr@krimpenerwaard.example "$F/mailboxes/burgemeester.mbox" || true
say "(the full-text index for hotspot and Woo terms is built after capture)"
run index
run hotspot add --by P0010 --name "N210 Brug Krimpen" --status designated --from 2024-01-01 --to 2025-12-31 --terms "N210,Brug Krimpen" --decision "SIO 2024-11"
run hotspot publish --out "$HOME_DIR/hotspots.html"
run hold add --by "Woo-coördinator" --woo Z-2024-0815 --received 2024-05-21 --zaak Z-2024-0815
run plan --as-of 2033-06-01 --report "$HOME_DIR/plan.html"
ID=$("$BIN" messages --mailbox j.devries@krimpenerwaard.example --json | python3 -c 'import sys,json
rows=[json.loads(l) for l in sys.stdin]
print([r["messageId"] for r in rows if r["folder"]=="Projecten/Brug"][0])')
run explain --as-of 2033-06-01 --mailbox j.devries@krimpenerwaard.example --message-id "$ID"

say "# A look ahead is a forecast; destruction itself never acts on a future date"
"$BIN" destroy propose --as-of 2033-06-01 --by P0010 || true
say "# The destruction chain: propose, approve (DIV, then the archivist), bedenktijd, execute"
at 2033-06-01T09:00:00Z
run destroy propose --by P0010
LIST=$("$BIN" destroy list --json 2>/dev/null | python3 -c 'import sys,json
ids=[json.loads(l)["listId"] for l in sys.stdin if l.strip()]
print(ids[-1] if ids else "")' || true)
[ -n "$LIST" ] || LIST=VL-2033-001
run destroy approve "$LIST" --role div --by P0010
at 2033-06-02T09:00:00Z
say "(only a person registered as archivist in approvers.csv approves as archivist; each role by another person)"
"$BIN" destroy approve "$LIST" --role archivist --by P0010 || true
run destroy approve "$LIST" --role archivist --by P0011
say "(executing before the bedenktijd is over is refused)"
"$BIN" destroy execute "$LIST" --by P0010 || true
at 2033-06-10T09:00:00Z
run destroy execute "$LIST" --by P0010
run optout purge --by P0010

say "# Transfer of the permanent mail (key persons and the designated hotspot) to the e-depot"
at 2036-01-05T09:00:00Z
rm -rf "$HOME_DIR/overdracht"
if [ -f Schemas/MDTO-XML1.0.1.xsd ] || [ -f "${SLUITSTEEN_SCHEMAS:-/nonexistent}/MDTO-XML1.0.1.xsd" ]; then
  run export --quiet --by P0011 --as-of 2036-01-01 --out "$HOME_DIR/overdracht"
  run verify "$HOME_DIR/overdracht" --report "$HOME_DIR/verificatie.html"
  PACKAGE_DONE="verificatie.html, "
else
  cat <<SKIPPED

SKIPPED: the MDTO export and its verification. They need the official MDTO 1.0.1 XSD of the Nationaal Archief, which
is not in this repository and could not be found (../shared/schemas/mdto/) or downloaded. To add it: download
https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd and run
  MDTO_XSD=/path/to/MDTO-XML1.0.1.xsd make schemas
(the file is accepted only with its published SHA-256), then run make demo again.
SKIPPED
  PACKAGE_DONE=""
fi
run plan --as-of 2036-01-01
run audit verify
say "done: workspace $HOME_DIR — plan.html, hotspots.html, ${PACKAGE_DONE}and documents/ (vernietigingslijst, verklaring)"
cat <<SERVE

The web service on this demo archive (README, "The web service"), with the local test OpenID provider; two terminals:
  .venv-tests/bin/python Tests/Browser/oidc_provider.py --port 9400 --users Tests/Browser/demo-users.json \\
      --client-id sluitsteen-demo --client-secret-file Fixtures/serve-demo.secret --redirect-uri http://127.0.0.1:8080/auth/callback
  SLUITSTEEN_NOW=2036-01-06T09:00:00Z $BIN serve --home $HOME_DIR --listen 127.0.0.1:8080 --config Fixtures/serve-demo.toml
Then open http://127.0.0.1:8080 and sign in as johan (medewerker), ellen (teammanager), mirjam (Woo-coördinator),
fatima (gemachtigde), dora (DIV), arie (archivaris), pieter (auditor) or hendrik (beheerder). (make deps makes .venv-tests.)
SERVE
