#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Builds the labelled set from the annotated texts.

annotated/NAME.txt marks every sensitive item as [[kind|text]] or [[kind.group|text]] (group: staff or other, for
names). This writes texts/NAME.txt (the plain text, UTF-8) and labels.json: one object per item with file, start,
end (Unicode scalar offsets, end exclusive, as Python str indexes count), kind, text and, for names, group.

Run it after editing an annotated text: python3 make_labels.py
"""
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
KINDS = {"bsn", "iban", "phone", "email", "address", "plate", "kvk", "birthdate", "name"}
MARK = re.compile(r"\[\[([a-z]+)(?:\.([a-z]+))?\|(.*?)\]\]", re.S)


def convert(source: str, name: str):
    plain, labels, pos = [], [], 0
    length = 0
    for m in MARK.finditer(source):
        before = source[pos:m.start()]
        if "[[" in before or "]]" in before:
            sys.exit(f"{name}: unbalanced markup before offset {m.start()}")
        plain.append(before)
        length += len(before)
        kind, group, text = m.group(1), m.group(2), m.group(3)
        if kind not in KINDS:
            sys.exit(f"{name}: unknown kind {kind!r}")
        label = {"file": name, "start": length, "end": length + len(text), "kind": kind, "text": text}
        if group:
            label["group"] = group
        labels.append(label)
        plain.append(text)
        length += len(text)
        pos = m.end()
    rest = source[pos:]
    if "[[" in rest or "]]" in rest:
        sys.exit(f"{name}: unbalanced markup at the end")
    plain.append(rest)
    return "".join(plain), labels


def main():
    out_dir = HERE / "texts"
    out_dir.mkdir(exist_ok=True)
    for old in out_dir.glob("*.txt"):
        old.unlink()
    all_labels = []
    for path in sorted((HERE / "annotated").glob("*.txt")):
        text, labels = convert(path.read_text(encoding="utf-8"), path.name)
        (out_dir / path.name).write_text(text, encoding="utf-8")
        all_labels += labels
    (HERE / "labels.json").write_text(json.dumps(all_labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(list(out_dir.glob('*.txt')))} texts, {len(all_labels)} labels")


if __name__ == "__main__":
    main()
