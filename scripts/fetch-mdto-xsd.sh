#!/bin/sh
# SPDX-License-Identifier: EUPL-1.2
# Places the official MDTO 1.0.1 XSD at Schemas/MDTO-XML1.0.1.xsd (git-ignored; never committed).
# Sources, in order: $MDTO_XSD; ../shared/schemas/mdto/MDTO-XML1.0.1.xsd (relative to the repository root);
# a download from the Nationaal Archief. Only the file with the published SHA-256 is accepted. Idempotent.
set -eu

EXPECTED=048d745a17f479995f14c938d342b2f13382072d0fdf1f1b28113126df715648
URL=https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET="$ROOT/Schemas/MDTO-XML1.0.1.xsd"

sha() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$TARGET" ] && [ "$(sha "$TARGET")" = "$EXPECTED" ]; then
    echo "Schemas/MDTO-XML1.0.1.xsd is present and correct."
    exit 0
fi

mkdir -p "$ROOT/Schemas"
TMP=$(mktemp "$ROOT/Schemas/.mdto-xsd.XXXXXX")
trap 'rm -f "$TMP"' EXIT INT TERM

try_file() {
    [ -n "$1" ] && [ -f "$1" ] || return 1
    if [ "$(sha "$1")" != "$EXPECTED" ]; then
        echo "fetch-mdto-xsd: $1 is not the official MDTO 1.0.1 XSD (SHA-256 $(sha "$1")); skipped." >&2
        return 1
    fi
    cp "$1" "$TMP"
}

if try_file "${MDTO_XSD:-}"; then
    SOURCE="\$MDTO_XSD ($MDTO_XSD)"
elif try_file "$ROOT/../shared/schemas/mdto/MDTO-XML1.0.1.xsd"; then
    SOURCE="../shared/schemas/mdto/MDTO-XML1.0.1.xsd"
elif command -v curl >/dev/null 2>&1 \
    && curl -fsSL --connect-timeout 5 --max-time 30 -o "$TMP" "$URL" 2>/dev/null \
    && [ "$(sha "$TMP")" = "$EXPECTED" ]; then
    SOURCE="$URL"
else
    cat >&2 <<MSG
fetch-mdto-xsd: could not obtain the MDTO 1.0.1 XSD with SHA-256 $EXPECTED.
Tried: \$MDTO_XSD (${MDTO_XSD:-not set}), ../shared/schemas/mdto/MDTO-XML1.0.1.xsd, and $URL.
Download the file from the Nationaal Archief on a machine with network access and run:
    MDTO_XSD=/path/to/MDTO-XML1.0.1.xsd make schemas
MSG
    exit 1
fi

mv "$TMP" "$TARGET"
trap - EXIT INT TERM
chmod 0644 "$TARGET"
echo "Placed Schemas/MDTO-XML1.0.1.xsd from $SOURCE (SHA-256 verified)."
