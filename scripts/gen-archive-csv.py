#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Deterministic registers (people.csv, roles.csv, mailboxes.csv) for a synthetic municipality.

    gen-archive-csv.py OUTDIR --mailboxes 500 [--seed 1] [--go-live 2025-01-01]

Writes the three files in the formats of `sluitsteen register import` (issue 3), LF line endings, header row:
    people.csv     person_id,name,employed_from,employed_to
    roles.csv      person_id,role,valid_from,valid_to
    mailboxes.csv  address,kind,person_id

The mailboxes are exactly those gen-mbox.py addresses with the same --mailboxes and --seed (both use
population() in gen-mbox.py): mailbox 0 is burgemeester@, ~5 % are functional (info@, vergunningen@, ...),
~4 % hold another key role of the default policy (wethouder, griffier, algemeen-directeur, ...), the rest are
staff (role beleidsmedewerker): ~10 % of them left before --go-live, ~5 % after it, ~2 % became wethouder.
--go-live only moves leavers' dates, never the addresses. A summary goes to stderr.

For the 1M-copy plan benchmark, for example:
    scripts/gen-archive-csv.py bench-out/reg --mailboxes 500
    scripts/gen-mbox.py bench-out/mbox --split --mailboxes 500 --copies 4 --messages 250000 --min-kb 1 --max-kb 3
    for f in bench-out/mbox/*.mbox; do sluitsteen ingest --quiet --mailbox "$(basename "$f" .mbox)" "$f"; done
    sluitsteen register import bench-out/reg/people.csv bench-out/reg/roles.csv bench-out/reg/mailboxes.csv
"""
import argparse
import collections
import csv
import datetime
import importlib.util
import os
import sys


def load_generator():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen-mbox.py")
    spec = importlib.util.spec_from_file_location("gen_mbox", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    p = argparse.ArgumentParser(description="Generate registers matching gen-mbox.py --mailboxes N.")
    p.add_argument("outdir")
    p.add_argument("--mailboxes", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--go-live", default=None, help="ISO date (default: gen-mbox.GO_LIVE, 2025-01-01)")
    a = p.parse_args()
    if a.mailboxes < 1:
        p.error("--mailboxes must be at least 1")
    gen = load_generator()
    go_live = a.go_live or gen.GO_LIVE
    try:
        datetime.date.fromisoformat(go_live)
    except ValueError:
        p.error(f"--go-live is not an ISO date: {go_live}")

    boxes = gen.population(a.mailboxes, a.seed, go_live)
    os.makedirs(a.outdir, exist_ok=True)

    def writer(name: str, header: list[str]):
        f = open(os.path.join(a.outdir, name), "w", newline="", encoding="utf-8")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        return f, w

    fp, people = writer("people.csv", ["person_id", "name", "employed_from", "employed_to"])
    fr, roles = writer("roles.csv", ["person_id", "role", "valid_from", "valid_to"])
    fm, mailboxes = writer("mailboxes.csv", ["address", "kind", "person_id"])
    stats = collections.Counter()
    with fp, fr, fm:
        for box in boxes:
            if box["kind"] == "functional":
                mailboxes.writerow([box["address"], "functional", ""])
                stats["functional"] += 1
                continue
            people.writerow([box["person_id"], box["name"], box["employed_from"], box["employed_to"]])
            for role, start, end in box["roles"]:
                roles.writerow([box["person_id"], role, start, end])
            mailboxes.writerow([box["address"], "personal", box["person_id"]])
            names = [r[0] for r in box["roles"]]
            if len(names) > 1:
                stats["staff→wethouder"] += 1
            elif names[0] != "beleidsmedewerker":
                stats["key:" + names[0]] += 1
            elif box["employed_to"] and box["employed_to"] < go_live:
                stats["staff, left before go-live"] += 1
            elif box["employed_to"]:
                stats["staff, left after go-live"] += 1
            else:
                stats["staff"] += 1
    sys.stderr.write(f"{len(boxes)} mailboxes: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())) + "\n")


if __name__ == "__main__":
    main()
