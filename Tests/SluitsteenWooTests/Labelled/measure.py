#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Measures `sluitsteen woo suggest --json` on the labelled set, from the outside: precision and recall per kind.

    python3 measure.py [--binary PATH] [--only PREFIX ...]

A suggestion counts when start, end and kind equal a label's. The settings come from settings.json.
"""
import argparse
import collections
import json
import pathlib
import subprocess

HERE = pathlib.Path(__file__).resolve().parent
KINDS = ["bsn", "iban", "phone", "email", "address", "plate", "kvk", "birthdate", "name"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(HERE.parents[2] / ".build/debug/sluitsteen"))
    parser.add_argument("--only", nargs="*", default=[], help="only texts whose name starts with one of these")
    args = parser.parse_args()
    settings = json.loads((HERE / "settings.json").read_text(encoding="utf-8"))
    options = ["--own-domain", ",".join(settings["ownDomains"])]
    for name in settings["staff"]:
        options += ["--staff", name]
    for name in settings["keyPersons"]:
        options += ["--key-person", name]
    if not settings["redactStaffNames"]:
        options.append("--no-staff-names")
    labels = collections.defaultdict(set)
    for label in json.loads((HERE / "labels.json").read_text(encoding="utf-8")):
        labels[label["file"]].add((label["start"], label["end"], label["kind"]))
    counts = {kind: collections.Counter() for kind in KINDS}
    texts = 0
    for path in sorted((HERE / "texts").glob("*.txt")):
        if args.only and not any(path.name.startswith(p) for p in args.only):
            continue
        texts += 1
        out = subprocess.run([args.binary, "woo", "suggest", "--json", str(path)] + options,
                             check=True, capture_output=True, text=True).stdout
        found = {(s["start"], s["end"], s["kind"]) for s in map(json.loads, out.splitlines())}
        text = path.read_text(encoding="utf-8")
        for s in map(json.loads, out.splitlines()):
            assert text[s["start"]:s["end"]] == s["text"], (path.name, s)
        for start, end, kind in found:
            counts[kind]["suggested"] += 1
            counts[kind]["exact"] += (start, end, kind) in labels[path.name]
        for start, end, kind in labels[path.name]:
            counts[kind]["labelled"] += 1
    print(f"{texts} texts")
    print("kind       labels  suggested  exact  precision  recall")
    for kind in KINDS:
        c = counts[kind]
        p = c["exact"] / c["suggested"] if c["suggested"] else 1.0
        r = c["exact"] / c["labelled"] if c["labelled"] else 1.0
        print(f"{kind:<10} {c['labelled']:6d}  {c['suggested']:9d}  {c['exact']:5d}     {p:6.1%}  {r:6.1%}")


if __name__ == "__main__":
    main()
