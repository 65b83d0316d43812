#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Independent oracle for byte-exact ingest: what a mailbox export holds, per message, by Python's stdlib.

Usage:
    mbox-oracle.py PATH [--format mbox|maildir|eml]

PATH is an mbox file, a Maildir (cur/new/tmp, with Maildir++ subfolders) or a directory tree of .eml files
(the kind is detected the way Sluitsteen detects it; --format overrides). Prints one JSON object per message,
one per line, sorted keys, UTF-8:

    mbox:    {"index": 0, "sha256": "...", "size": 937}
             index = key order of mailbox.mbox(PATH); bytes = mailbox.mbox(PATH).get_bytes(key), i.e. the bytes
             after the "From " separator line up to (not including) the blank line before the next separator.
             No ">From " unquoting.
    maildir: {"path": "cur/1683...:2,S", "sha256": "...", "size": 937}
    eml:     {"path": "2024/januari/x.eml", "sha256": "...", "size": 763}
             path = relative to PATH, "/" separated, sorted by its UTF-8 bytes; bytes = the whole file.

Maildir files are the regular files in cur/ and new/ of PATH and of every Maildir++ folder ".NAME" directly
under PATH (tmp/ is never read; names starting with "." are skipped as the Maildir convention says). Their
number is cross-checked against Python's mailbox.Maildir, which must agree (exit 3 if not).
EML files are regular files whose name ends in ".eml" (any case), at any depth; hidden directories are skipped.

Exit status: 0 ok, 2 usage or unreadable path, 3 oracle disagreement.
"""
import argparse
import hashlib
import json
import mailbox
import os
import sys


def emit(record: dict) -> None:
    sys.stdout.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")


def digest(data: bytes) -> dict:
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def detect(path: str) -> str:
    if os.path.isfile(path):
        return "mbox"
    if os.path.isdir(os.path.join(path, "cur")) and os.path.isdir(os.path.join(path, "new")):
        return "maildir"
    return "eml"


def run_mbox(path: str) -> None:
    box = mailbox.mbox(path, create=False)
    try:
        for index, key in enumerate(sorted(box.keys())):
            emit({"index": index, **digest(box.get_bytes(key))})
    finally:
        box.close()


def maildir_files(root: str) -> list[str]:
    folders = [""] + sorted(
        name for name in os.listdir(root)
        if name.startswith(".") and name not in (".", "..") and os.path.isdir(os.path.join(root, name))
    )
    found = []
    for folder in folders:
        for sub in ("cur", "new"):
            rel_dir = f"{folder}/{sub}" if folder else sub
            abs_dir = os.path.join(root, rel_dir)
            if not os.path.isdir(abs_dir):
                continue
            for entry in os.listdir(abs_dir):
                if entry.startswith("."):
                    continue
                if os.path.isfile(os.path.join(abs_dir, entry)):
                    found.append(f"{rel_dir}/{entry}")
    return sorted(found, key=lambda p: p.encode("utf-8", "surrogateescape"))


def run_maildir(root: str) -> None:
    files = maildir_files(root)
    # Cross-check the count with Python's own Maildir reader (root + Maildir++ folders).
    box = mailbox.Maildir(root, factory=None, create=False)
    expected = len(box) + sum(len(box.get_folder(name)) for name in box.list_folders())
    if expected != len(files):
        sys.stderr.write(f"mbox-oracle: mailbox.Maildir counts {expected} messages, the file walk {len(files)}\n")
        sys.exit(3)
    for rel in files:
        with open(os.path.join(root, rel), "rb") as f:
            emit({"path": rel, **digest(f.read())})


def run_eml(root: str) -> None:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.lower().endswith(".eml"):
                found.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    for rel in sorted(found, key=lambda p: p.encode("utf-8", "surrogateescape")):
        with open(os.path.join(root, rel), "rb") as f:
            emit({"path": rel, **digest(f.read())})


def main() -> None:
    parser = argparse.ArgumentParser(description="Per-message size and SHA-256 of a mailbox export (oracle).")
    parser.add_argument("path")
    parser.add_argument("--format", choices=["mbox", "maildir", "eml"])
    args = parser.parse_args()
    if not os.path.exists(args.path):
        sys.stderr.write(f"mbox-oracle: no such file or directory: {args.path}\n")
        sys.exit(2)
    kind = args.format or detect(args.path)
    try:
        {"mbox": run_mbox, "maildir": run_maildir, "eml": run_eml}[kind](args.path)
    except OSError as error:
        sys.stderr.write(f"mbox-oracle: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
