#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Generates a large synthetic, valid MDTO transfer package of the Sluitsteen shape, for benchmarks.

Usage: scripts/gen-package.py OUT_DIR [--messages N] [--size BYTES] [--dossiers D]

Layout: pakbon.xml; one Serie folder; D Dossier folders; per message a folder with <name>.eml,
<name>.eml.bestand.mdto.xml and <name>.mdto.xml. The pakbon follows Schemas/README.md (package hash).
Deterministic: the same arguments give the same bytes (no clock is read).
"""
import argparse
import hashlib
import os
import sys

HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n<MDTO xmlns="https://www.nationaalarchief.nl/mdto" '
          'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="https://www.nationaalarchief.nl/mdto '
          'https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd">\n')
DOEL = ("EDEPOT-ARCH-42", "Streekarchief e-depot")


def ref(element, naam, kenmerk, bron="Sluitsteen"):
    return (f"\t\t<{element}><verwijzingNaam>{naam}</verwijzingNaam><verwijzingIdentificatie>"
            f"<identificatieKenmerk>{kenmerk}</identificatieKenmerk><identificatieBron>{bron}</identificatieBron>"
            f"</verwijzingIdentificatie></{element}>\n")


def begrip(element, label, lijst, code=None):
    c = f"<begripCode>{code}</begripCode>" if code else ""
    return (f"\t\t<{element}><begripLabel>{label}</begripLabel>{c}<begripBegrippenlijst><verwijzingNaam>{lijst}"
            f"</verwijzingNaam></begripBegrippenlijst></{element}>\n")


def informatieobject(kenmerk, naam, niveau, parent=None, children=(), representaties=()):
    x = HEADER + "\t<informatieobject>\n"
    x += (f"\t\t<identificatie><identificatieKenmerk>{kenmerk}</identificatieKenmerk>"
          f"<identificatieBron>Sluitsteen</identificatieBron></identificatie>\n")
    x += f"\t\t<naam>{naam}</naam>\n"
    x += begrip("aggregatieniveau", niveau, "Begrippenlijst Aggregatieniveaus MDTO")
    x += begrip("waardering", "Blijvend te bewaren", "Begrippenlijst Waarderingen MDTO", "B")
    if parent:
        x += ref("isOnderdeelVan", *parent)
    for c in children:
        x += ref("bevatOnderdeel", *c)
    for r in representaties:
        x += ref("heeftRepresentatie", *r)
    x += "\t\t<archiefvormer><verwijzingNaam>Gemeente Krimpenerwaard</verwijzingNaam></archiefvormer>\n"
    x += ("\t\t<beperkingGebruik><beperkingGebruikType><begripLabel>Geen beperking</begripLabel><begripBegrippenlijst>"
          "<verwijzingNaam>Begrippenlijst BeperkingGebruikTypeLijst MDTO</verwijzingNaam></begripBegrippenlijst>"
          "</beperkingGebruikType></beperkingGebruik>\n")
    return x + "\t</informatieobject>\n</MDTO>\n"


def bestand(kenmerk, naam, data, of):
    x = HEADER + "\t<bestand>\n"
    x += (f"\t\t<identificatie><identificatieKenmerk>{kenmerk}</identificatieKenmerk>"
          f"<identificatieBron>Sluitsteen</identificatieBron></identificatie>\n")
    x += f"\t\t<naam>{naam}</naam>\n\t\t<omvang>{len(data)}</omvang>\n"
    x += begrip("bestandsformaat", "Internet Message Format", "PRONOM-register", "fmt/950")
    x += ("\t\t<checksum><checksumAlgoritme><begripLabel>SHA-256</begripLabel><begripBegrippenlijst><verwijzingNaam>"
          "Begrippenlijst ChecksumAlgoritme MDTO</verwijzingNaam></begripBegrippenlijst></checksumAlgoritme>"
          f"<checksumWaarde>{hashlib.sha256(data).hexdigest()}</checksumWaarde>"
          "<checksumDatum>2025-06-01T12:00:00Z</checksumDatum></checksum>\n")
    x += ref("isRepresentatieVan", *of)
    return x + "\t</bestand>\n</MDTO>\n"


def eml(i, size):
    head = (f"From: Medewerker {i % 97} <m{i % 97}@krimpenerwaard.nl>\r\nTo: raad@krimpenerwaard.nl\r\n"
            f"Subject: Bericht {i}\r\nDate: Mon, 3 Mar 2025 10:00:00 +0100\r\nMessage-ID: <{i}@krimpenerwaard.nl>\r\n\r\n")
    body_line = f"Regel van bericht {i}: Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n"
    body = (body_line * (max(size - len(head), 0) // len(body_line) + 1))[: max(size - len(head), 0)]
    return (head + body).encode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--size", type=int, default=4000, help="bytes per .eml (default 4000)")
    ap.add_argument("--dossiers", type=int, default=0, help="mailboxes (default: messages/1000, at least 1)")
    a = ap.parse_args()
    if os.path.exists(a.out):
        sys.exit(f"gen-package: {a.out} exists; choose a new folder")
    dossiers = a.dossiers or max(1, a.messages // 1000)
    files = {}  # rel path -> sha256 hex

    def put(rel, data):
        path = os.path.join(a.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        files[rel] = hashlib.sha256(data).hexdigest()

    serie = "serie-sleutelfunctionarissen"
    serie_ref = ("Mail van sleutelfunctionarissen", "S-1")
    dossier_refs = [(f"Mailbox {d}", f"D-{d}") for d in range(1, dossiers + 1)]
    put(f"{serie}/{serie}.mdto.xml", informatieobject(
        "S-1", serie_ref[0], "Serie", parent=("E-depot", DOEL[0], DOEL[1]), children=dossier_refs).encode())
    per = [[] for _ in range(dossiers)]
    for i in range(1, a.messages + 1):
        per[(i - 1) % dossiers].append(i)
    inhoud, total = 0, 0
    for d, msgs in enumerate(per, start=1):
        dname = f"dossier-{d:04d}"
        children = [(f"Bericht {i}", f"A-{i}") for i in msgs]
        put(f"{serie}/{dname}/{dname}.mdto.xml", informatieobject(
            f"D-{d}", f"Mailbox {d}", "Dossier", parent=serie_ref, children=children).encode())
        for i in msgs:
            name = f"bericht-{i:06d}"
            folder = f"{serie}/{dname}/{name}"
            data = eml(i, a.size)
            put(f"{folder}/{name}.eml", data)
            inhoud += 1
            total += len(data)
            put(f"{folder}/{name}.eml.bestand.mdto.xml",
                bestand(f"F-{i}", f"{name}.eml", data, (f"Bericht {i}", f"A-{i}")).encode())
            put(f"{folder}/{name}.mdto.xml", informatieobject(
                f"A-{i}", f"Bericht {i}", "Archiefstuk", parent=(f"Mailbox {d}", f"D-{d}"),
                representaties=[(f"{name}.eml", f"F-{i}")]).encode())
    text = "".join(f"{files[r]}  {r}\n" for r in sorted(files, key=lambda s: s.encode()))
    objects = 1 + dossiers + a.messages
    pakbon = f"""<?xml version="1.0" encoding="UTF-8"?>
<pakbon xmlns="https://sluitsteen.eu/ns/pakbon/1.0">
\t<identificatie>sluitsteen-bench-{a.messages}</identificatie>
\t<titel>Synthetisch benchmarkpakket</titel>
\t<doel><identificatieKenmerk>{DOEL[0]}</identificatieKenmerk><identificatieBron>{DOEL[1]}</identificatieBron></doel>
\t<pakketHash algoritme="SHA-256">{hashlib.sha256(text.encode()).hexdigest()}</pakketHash>
\t<aangemaaktOp>2025-06-01T12:00:00Z</aangemaaktOp>
\t<archiefvormer><naam>Gemeente Krimpenerwaard</naam></archiefvormer>
\t<contact><naam>Team Informatiebeheer</naam></contact>
\t<aantalInformatieobjecten>{objects}</aantalInformatieobjecten>
\t<aantalBestanden>{a.messages}</aantalBestanden>
\t<aantalBestandenInhoud>{inhoud}</aantalBestandenInhoud>
\t<totaleOmvang>{total}</totaleOmvang>
</pakbon>
"""
    with open(os.path.join(a.out, "pakbon.xml"), "w", encoding="utf-8") as f:
        f.write(pakbon)
    print(f"gen-package: {a.out}: {a.messages} messages, {dossiers} dossiers, {total} bytes of .eml")


if __name__ == "__main__":
    main()
