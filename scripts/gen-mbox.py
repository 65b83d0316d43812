#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Deterministic generator of a large, realistic municipal mbox for the Sluitsteen benchmarks.

    gen-mbox.py OUT.mbox --messages 100000 [--seed 1] [--mailboxes N]
    gen-mbox.py OUTDIR --split --messages 250000 --mailboxes 500 --copies 4 [--min-kb 1 --max-kb 3]

Same arguments, same bytes (Python 3.9+, any platform). Streams: memory stays small whatever --messages is.

Messages (2-20 KB by default, about 6 KB on average, so 100,000 messages are about 600 MB):
  ~55 % text/plain (UTF-8 8bit or quoted-printable, ISO-8859-1 quoted-printable, US-ASCII),
  ~25 % multipart/alternative (text + HTML), ~20 % multipart/mixed with 1-2 small base64 attachments
  (some with RFC 2231 or RFC 2047 encoded non-ASCII file names), ~30 % RFC 2047 subjects (B and Q, UTF-8,
  ISO-8859-1, Windows-1252), dates 2015-01-01..2025-12-31 in +0100/+0200/+0000/-0500, Dutch-ish text,
  ~3 % with a ">From " body line and ~0.5 % with ">>From " (mboxrd quoting; never an unquoted "From " line),
  ~0.2 % without Message-ID, ~0.1 % without Date (Received header only), some hotspot terms (Stikstof,
  N210, Brug Krimpen) and Woo zaak numbers (Z-2024-0815 style) in subjects and bodies.
  Every message ends in exactly one LF; messages are separated by one blank line; the file ends in LF LF.

Mailboxes (--mailboxes N): the addresses come from population(N, seed) below, which gen-archive-csv.py also
uses to write the registers, so the two always agree. Each message gets an owner mailbox (uniform); the
owner is the To address (80 %) or the From address (20 %, sent mail). With --split, OUT is a directory and
every message is written to OUTDIR/<address>.mbox for its owner and, with --copies C > 1, to further
internal mailboxes that are added to its Cc, so the same bytes appear in several mailboxes (on average C
mailbox copies per message). Ingest each file with `sluitsteen ingest --mailbox <address> <file>`.
Without --mailboxes the messages are addressed to burgemeester@krimpenerwaard.example.
"""
import argparse
import base64
import binascii
import datetime
import os
import random
import resource
import sys
import time

DOMAIN = "krimpenerwaard.example"
GO_LIVE = "2025-01-01"

# ---------------------------------------------------------------- population (shared with gen-archive-csv.py)
FIRST = ["Jan", "Johan", "Sanne", "Fatima", "Pieter", "Ellen", "Mirjam", "Arjen", "Kees", "Lotte", "Daan",
         "Emma", "Sem", "Julia", "Lucas", "Noor", "Bram", "Anouk", "Thijs", "Fleur", "Mohamed", "Yara", "Ruben",
         "Iris", "Joost", "Marieke", "Hendrik", "Geert", "Ingrid", "Wouter", "Esther", "Bas", "Nadia", "Koen",
         "Hanneke", "Stijn", "Sevda", "René", "Chloë", "Zoë", "Anaïs", "Jeroen", "Karin", "Martijn", "Priya"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
        "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kok", "Verhoef",
        "van der Linden", "Kuipers", "Vermeulen", "el Amrani", "Hoogendoorn", "Koster", "Verbeek", "Lammers",
        "van Dam", "Groeneveld", "Schouten", "Vink", "Yılmaz", "Öztürk", "Prins", "Blom", "Willemsen", "Huisman"]
FUNCTIONAL = ["info", "vergunningen", "belastingen", "woo", "griffie", "subsidies", "werkeninkomen", "inkoop",
              "communicatie", "burgerzaken", "klachten", "facturen", "jeugd", "wmo", "omgevingsdienst",
              "secretariaat", "evenementen", "handhaving", "personeelszaken", "servicedesk"]
KEY_ROLES = ["wethouder", "wethouder", "wethouder", "wethouder", "wethouder", "griffier", "algemeen-directeur",
             "plv-algemeen-directeur", "directielid", "directielid", "directielid", "concerncontroller", "ciso",
             "fg", "rekenkamerlid", "rekenkamerlid", "rekenkamerlid"]


def _ascii_local(name: str) -> str:
    table = str.maketrans("éëèêïíöóüúçıÖäàâ", "eeeeiioouuciOaaa")
    return "".join(ch for ch in name.translate(table).lower() if ch.isalnum())


def _day(rng: random.Random, first: str, last: str) -> str:
    return _from_ordinal(rng.randint(_ordinal(first), _ordinal(last)))


def _ordinal(iso: str) -> int:
    return datetime.date.fromisoformat(iso).toordinal()


def _from_ordinal(n: int) -> str:
    return datetime.date.fromordinal(n).isoformat()


def population(n: int, seed: int = 1, go_live: str = GO_LIVE) -> list[dict]:
    """The mailboxes of a synthetic municipality, deterministic in (n, seed).

    Each entry: address, kind ('personal'|'functional'), and for personal mailboxes person_id, name,
    employed_from, employed_to ('' while employed) and roles: a list of (role, valid_from, valid_to).
    Mix: mailbox 0 is the burgemeester; ~5 % functional (at least one: info@); ~4 % other key roles;
    the rest staff ('beleidsmedewerker'), of whom ~10 % left before go_live, ~5 % left after it, and ~2 %
    (at least one when n >= 20) were staff and then became wethouder.
    """
    rng = random.Random(f"population:{seed}:{n}")
    result: list[dict] = []
    used: set[str] = set()

    def unique(local: str) -> str:
        candidate, k = local, 1
        while candidate in used:
            k += 1
            candidate = f"{local}{k}"
        used.add(candidate)
        return f"{candidate}@{DOMAIN}"

    functional = max(1, round(n * 0.05)) if n >= 2 else 0
    key = round(n * 0.04) if n >= 3 else 0
    changers = max(1, round(n * 0.02)) if n >= 20 else 0
    pid = 0
    for i in range(n):
        if i == 0:
            kind = "key"
        elif i <= functional:
            kind = "functional"
        elif i <= functional + key:
            kind = "key"
        elif i <= functional + key + changers:
            kind = "changer"
        else:
            kind = "staff"
        if kind == "functional":
            j = i - 1
            local = FUNCTIONAL[j] if j < len(FUNCTIONAL) else f"functioneel{j + 1:04d}"
            result.append({"address": unique(local), "kind": "functional"})
            continue
        pid += 1
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}"
        employed_from = _day(rng, "2004-01-01", "2022-12-31")
        employed_to = ""
        if i == 0:
            role = "burgemeester"
            employed_from = "2015-01-01"
            roles = [(role, employed_from, "")]
            local = "burgemeester"
        elif kind == "key":
            role = KEY_ROLES[(i - functional - 1) % len(KEY_ROLES)]
            roles = [(role, employed_from, "")]
            local = f"{_ascii_local(first[0])}.{_ascii_local(last)}"
        elif kind == "changer":
            switch = _day(rng, max(employed_from, "2016-01-01"), "2024-06-30")
            if switch <= employed_from:
                switch = _from_ordinal(_ordinal(employed_from) + 30)
            roles = [("beleidsmedewerker", employed_from, _from_ordinal(_ordinal(switch) - 1)),
                     ("wethouder", switch, "")]
            local = f"{_ascii_local(first[0])}.{_ascii_local(last)}"
        else:
            r, u = rng.random(), rng.random()   # always two draws: addresses must not depend on go_live
            if r < 0.15:
                lo, hi = ((max(employed_from, "2015-06-01"), _from_ordinal(_ordinal(go_live) - 1)) if r < 0.10
                          else (max(employed_from, go_live), "2025-11-30"))
                employed_to = _from_ordinal(_ordinal(lo) + int(u * max(0, _ordinal(hi) - _ordinal(lo))))
            roles = [("beleidsmedewerker", employed_from, employed_to)]
            local = f"{_ascii_local(first[0])}.{_ascii_local(last)}"
        result.append({"address": unique(local), "kind": "personal", "person_id": f"P{pid:06d}", "name": name,
                       "employed_from": employed_from, "employed_to": employed_to, "roles": roles})
    return result


# ---------------------------------------------------------------- text material
WORDS = ("de het een en van in op te voor met dat is niet aan bij ook als om door over naar wij u uw onze "
         "gemeente college raad wethouder burgemeester inwoners besluit vergadering overleg voorstel agenda "
         "begroting subsidie vergunning aanvraag bezwaar zienswijze planning project uitvoering evaluatie "
         "financiële coördinatie één privé café reünie ideeën geïnformeerd beëindigd notitie memo brief "
         "raadsvoorstel commissie provincie waterschap dijk polder Lekkerkerk Schoonhoven Bergambacht Stolwijk "
         "Ouderkerk Krimpen Berkenwoude Ammerstol Haastrecht Vlist Gouderak Lek Hollandse IJssel verkeer "
         "veiligheid woningbouw jeugdzorg Wmo participatie Omgevingswet duurzaamheid energie warmtenet "
         "stikstof natuur weidevogels veenweide bodemdaling fietspad rotonde omleiding aannemer bestek "
         "aanbesteding planning termijn week maand vrijdag maandag dinsdag woensdag donderdag graag alvast "
         "dank bericht reactie vraag antwoord afspraak bijlage concept definitief versie akkoord "
         "toelichting bespreken voorbereiden informeren afstemmen controleren").split()
TOPICS = ["de N210 Brug Krimpen", "stikstof en de N210", "de Omgevingswet", "woningbouw in Lekkerkerk",
          "het warmtenet Schoonhoven", "de begroting 2024", "jeugdzorg en Wmo", "de kermis in Schoonhoven",
          "het fietspad langs de Lek", "bodemdaling in de veenweide", "Koningsdag", "de nieuwjaarsreceptie",
          "het dorpshuis Bergambacht", "de rotonde bij Stolwijk", "het raadsvoorstel duurzaamheid",
          "verkeersveiligheid Kerkweg", "de aanbesteding groenonderhoud", "het sportpark Ouderkerk",
          "de herinrichting Voorstraat", "weidevogelbeheer", "de dijkversterking Krimpenerwaard"]
SUBJECT_FORMS = ["Overleg over {t}", "Re: {t}", "RE: {t}", "Fwd: {t}", "Vraag over {t}", "Agenda: {t}",
                 "Concept notitie {t}", "Uitnodiging: bijeenkomst over {t}", "Reactie op {t}",
                 "Planning {t} – week {w}", "Woo-verzoek {z}: {t}", "Besluit {t} ({z})", "Verslag {t}",
                 "Bijlage bij {t}", "Ter info: {t} – €{e}"]
ATTACHMENTS = [("application/pdf", "Raadsvoorstel {t}.pdf"), ("application/pdf", "Notulen {d}.pdf"),
               ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Concept {t}.docx"),
               ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Begroting – financiën {y}.xlsx"),
               ("image/jpeg", "foto_{n}.jpg"), ("image/png", "kaart {t}.png"),
               ("application/pdf", "Coördinatie {t}.pdf"), ("text/calendar", "uitnodiging.ics")]
EXTERNAL = ["provincie.example", "waterschap.example", "mail.example", "provider.example", "vng.example",
            "aannemer-lek.example", "adviesbureau.example", "natuurbelang.example", "thuis.example"]


def build_line_pool(rng: random.Random, count: int) -> list[str]:
    lines = []
    for _ in range(count):
        words, length = [], 0
        target = rng.randint(40, 74)
        while length < target:
            w = rng.choice(WORDS)
            if rng.random() < 0.04:
                w = f"Z-{rng.randint(2015, 2025)}-{rng.randint(1, 1999):04d}"
            words.append(w)
            length += len(w) + 1
        line = " ".join(words)
        line = line[0].upper() + line[1:]
        if rng.random() < 0.15:
            line += "."
        lines.append(line)
    assert not any(line.startswith("From ") for line in lines)
    return lines


_Q_SAFE = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def encoded_word(text: str, charset: str, b: bool) -> str:
    """RFC 2047 encoded-words (B or Q), each at most 75 characters, folded, never splitting a character."""
    prefix = f"=?{charset}?{'B' if b else 'Q'}?"
    room = 75 - len(prefix) - 2
    words: list[str] = []
    chunk = b""
    q = ""
    for ch in text:
        raw = ch.encode(charset, "replace")
        if b:
            if 4 * ((len(chunk) + len(raw) + 2) // 3) > room:
                words.append(prefix + base64.b64encode(chunk).decode("ascii") + "?=")
                chunk = b""
            chunk += raw
        else:
            piece = "".join("_" if c == 0x20 else (chr(c) if c in _Q_SAFE else f"={c:02X}") for c in raw)
            if len(q) + len(piece) > room:
                words.append(prefix + q + "?=")
                q = ""
            q += piece
    words.append(prefix + (base64.b64encode(chunk).decode("ascii") if b else q) + "?=")
    return "\n ".join(words)


DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
START = 1420070400   # 2015-01-01T00:00:00Z
END = 1767225599     # 2025-12-31T23:59:59Z


def rfc5322_date(epoch: int, offset_minutes: int) -> str:
    t = time.gmtime(epoch + offset_minutes * 60)
    sign = "+" if offset_minutes >= 0 else "-"
    o = abs(offset_minutes)
    return (f"{DAYS[t.tm_wday]}, {t.tm_mday} {MONTHS[t.tm_mon - 1]} {t.tm_year} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {sign}{o // 60:02d}{o % 60:02d}")


def asctime(epoch: int) -> str:
    t = time.gmtime(epoch)
    return f"{DAYS[t.tm_wday]} {MONTHS[t.tm_mon - 1]} {t.tm_mday:2d} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {t.tm_year}"


class Generator:
    def __init__(self, seed: int, addresses: list[str], min_kb: float, max_kb: float, copies: float):
        self.rng = random.Random(seed)
        self.seed = seed
        self.addresses = addresses
        self.min_bytes = int(min_kb * 1024)
        self.max_bytes = int(max_kb * 1024)
        self.copies = copies
        self.lines = build_line_pool(self.rng, 6000)
        self.avg_line = sum(len(x) + 1 for x in self.lines) / len(self.lines)
        raw = self.rng.randbytes(57 * 60000)      # 60,000 base64 lines of 76 chars (+ LF)
        self.b64 = b"".join(base64.b64encode(raw[i:i + 57]) + b"\n" for i in range(0, len(raw), 57))
        self.b64_lines = len(raw) // 57

    def text_body(self, rng: random.Random, size: int, quoting: int) -> str:
        k = max(3, int(size / self.avg_line))
        chosen = rng.choices(self.lines, k=k)
        out = ["Beste collega,", ""]
        for i, line in enumerate(chosen):
            out.append(line)
            if i % 7 == 6:
                out.append("")
        if quoting:
            at = rng.randint(2, len(out))
            extra = [">From de notulen van het vorige overleg: " + rng.choice(self.lines)[:30]]
            if quoting == 2:
                extra.append(">>From het eerdere bericht: " + rng.choice(self.lines)[:30])
            out[at:at] = extra
        out += ["", "Met vriendelijke groet,", ""]
        return "\n".join(out) + "\n"

    def text_part(self, rng: random.Random, text: str) -> tuple[str, bytes]:
        r = rng.random()
        if r < 0.60:
            return "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n", text.encode("utf-8")
        if r < 0.85:
            return ("Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n",
                    binascii.b2a_qp(text.encode("utf-8")))
        if r < 0.95:
            return ("Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n",
                    binascii.b2a_qp(text.encode("iso-8859-1", "replace")))
        return ("Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n",
                text.encode("ascii", "replace"))

    def html_part(self, text: str) -> tuple[str, bytes]:
        paras = text.split("\n\n")
        html = "<html><head><meta charset=\"utf-8\"></head><body>\n" + "".join(
            "<p>" + p.replace("\n", "<br>\n") + "</p>\n" for p in paras) + "</body></html>\n"
        return ("Content-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n",
                binascii.b2a_qp(html.encode("utf-8")))

    def attachment(self, rng: random.Random, i: int, size: int, topic: str, year: int) -> bytes:
        ctype, pattern = rng.choice(ATTACHMENTS)
        name = pattern.format(t=topic.replace("de ", "").replace("het ", ""), d=f"{year}-{rng.randint(1, 12):02d}",
                              y=year, n=i % 1000)
        nlines = max(1, size // 77)
        start = rng.randint(0, self.b64_lines - nlines)
        data = self.b64[start * 77:(start + nlines) * 77]
        if name.isascii():
            disp = f'Content-Disposition: attachment; filename="{name}"\n'
            ct = f'Content-Type: {ctype}; name="{name}"\n'
        elif rng.random() < 0.5:
            from urllib.parse import quote
            disp = f"Content-Disposition: attachment;\n filename*=UTF-8''{quote(name, safe='')}\n"
            ct = f"Content-Type: {ctype}\n"
        else:
            ew = encoded_word(name, "UTF-8", True)
            disp = f'Content-Disposition: attachment;\n filename="{ew}"\n'
            ct = f'Content-Type: {ctype};\n name="{ew}"\n'
        return (ct + "Content-Transfer-Encoding: base64\n" + disp + "\n").encode("ascii") + data

    def message(self, i: int) -> tuple[list[int], bytes]:
        """Return (mailbox indices holding a copy, message with its mbox From_ line, without the separator)."""
        rng = random.Random(self.rng.getrandbits(64))
        size = int(self.min_bytes + (self.max_bytes - self.min_bytes) * rng.random() ** 3.5)
        epoch = rng.randint(START, END)
        month = time.gmtime(epoch).tm_mon
        offset = rng.choice([0, -300]) if rng.random() < 0.05 else (120 if 4 <= month <= 10 else 60)
        year = time.gmtime(epoch).tm_year
        topic = rng.choice(TOPICS)
        zaak = f"Z-{year}-{rng.randint(1, 1999):04d}"

        n = len(self.addresses)
        owner = rng.randrange(n)
        boxes = [owner]
        if self.copies > 1 and n > 1:
            extra = self.copies - 1
            want = int(extra) + (1 if rng.random() < extra - int(extra) else 0)
            while len(boxes) < min(n, 1 + want):
                b = rng.randrange(n)
                if b not in boxes:
                    boxes.append(b)
        external = f"{_ascii_local(rng.choice(FIRST))}.{_ascii_local(rng.choice(LAST))}@{rng.choice(EXTERNAL)}"
        sent = rng.random() < 0.20
        from_addr = self.addresses[owner] if sent else external
        to_addr = external if sent else self.addresses[owner]
        cc = [self.addresses[b] for b in boxes[1:]]

        subject = rng.choice(SUBJECT_FORMS).format(t=topic, w=rng.randint(1, 52), z=zaak,
                                                   e=f"{rng.randint(1, 99)}.{rng.randint(0, 999):03d}")
        r = rng.random()
        if r < 0.10:
            subject_h = encoded_word(subject, "UTF-8", True)
        elif r < 0.20:
            subject_h = encoded_word(subject, "UTF-8", False)
        elif r < 0.25:
            subject_h = encoded_word(subject, "ISO-8859-1", False)
        elif r < 0.30:
            subject_h = encoded_word(subject, "windows-1252", False)
        else:
            subject_h = subject  # 8-bit UTF-8 in ~half of these (en dash, euro sign): as real clients send it

        host = "mail01." + DOMAIN
        from_line = f"From {from_addr} {asctime(epoch + 7)}\n".encode("ascii")
        h = [f"Return-Path: <{from_addr}>",
             f"Received: from mx1.{DOMAIN} (mx1.{DOMAIN} [10.12.0.{1 + i % 250}])\n\tby {host} (Postfix) with "
             f"ESMTP id {i:010X}\n\tfor <{to_addr}>; {rfc5322_date(epoch + 7, offset)}",
             f"From: {from_addr}", f"To: {to_addr}"]
        if cc:
            h.append("Cc: " + ",\n ".join(cc))
        h.append(f"Subject: {subject_h}")
        if rng.random() >= 0.001:
            h.append(f"Date: {rfc5322_date(epoch, offset)}")
        if rng.random() >= 0.002:
            h.append(f"Message-ID: <{self.seed}.{i}.{rng.getrandbits(48):012x}@{from_addr.split('@')[1]}>")
        h.append("MIME-Version: 1.0")

        q = rng.random()
        quoting = 2 if q < 0.005 else (1 if q < 0.03 else 0)
        kind = rng.random()
        if kind < 0.55:
            text = self.text_body(rng, int((size - 700) / 1.05), quoting)
            ph, pb = self.text_part(rng, text)
            body = ("\n".join(h) + "\n" + ph + "\n").encode("utf-8") + pb
        else:
            boundary = f"=_sluitsteen_{i:08d}_{rng.getrandbits(32):08x}"
            att_total = 0
            if kind >= 0.80:
                att_total = int(size * rng.uniform(0.4, 0.8))
            with_alternative = kind < 0.80 or kind >= 0.95
            text = self.text_body(rng, int(max(400, size - att_total - 900) / (2.4 if with_alternative else 1.05)),
                                  quoting)
            parts: list[bytes] = []
            if with_alternative:
                inner = f"=_alt_{i:08d}"
                th, tb = self.text_part(rng, text)
                hh, hb = self.html_part(text)
                alt = (f"--{inner}\n{th}\n").encode("utf-8") + tb + (f"\n--{inner}\n{hh}\n").encode("ascii") + hb \
                    + f"\n--{inner}--\n".encode("ascii")
                if kind < 0.80:
                    h.append(f'Content-Type: multipart/alternative; boundary="{inner}"')
                    body = ("\n".join(h) + "\n\n").encode("utf-8") + alt
                    return boxes, self._finish(from_line + body)
                parts.append(f'Content-Type: multipart/alternative; boundary="{inner}"\n\n'.encode("ascii") + alt)
            else:
                th, tb = self.text_part(rng, text)
                parts.append((th + "\n").encode("ascii") + tb)
            count = 1 if rng.random() < 0.7 else 2
            for a in range(count):
                parts.append(self.attachment(rng, i, max(200, att_total // count), topic, year))
            h.append(f'Content-Type: multipart/mixed;\n boundary="{boundary}"')
            body = ("\n".join(h) + "\n\nDit is een bericht met meerdere delen in MIME-indeling.\n\n").encode("utf-8")
            for p in parts:
                body += f"--{boundary}\n".encode("ascii") + p + b"\n"
            body += f"--{boundary}--\n".encode("ascii")
        return boxes, self._finish(from_line + body)

    @staticmethod
    def _finish(body: bytes) -> bytes:
        return body.rstrip(b"\n") + b"\n"


def main() -> None:
    p = argparse.ArgumentParser(description="Generate a deterministic, realistic municipal mbox (benchmark data).")
    p.add_argument("out", help="output mbox file, or output directory with --split")
    p.add_argument("--messages", type=int, default=100000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--mailboxes", type=int, default=0, help="spread messages over N mailboxes of population(N)")
    p.add_argument("--split", action="store_true", help="write OUT/<address>.mbox per mailbox")
    p.add_argument("--copies", type=float, default=1.0, help="with --mailboxes: mean mailbox copies per message")
    p.add_argument("--min-kb", type=float, default=2.0)
    p.add_argument("--max-kb", type=float, default=20.0)
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args()
    if a.split and a.mailboxes < 1:
        p.error("--split needs --mailboxes N")
    if a.copies < 1 or (a.mailboxes and a.copies > a.mailboxes):
        p.error("--copies must be between 1 and --mailboxes")
    if not 0 < a.min_kb <= a.max_kb:
        p.error("need 0 < --min-kb <= --max-kb")

    addresses = ([m["address"] for m in population(a.mailboxes, a.seed)] if a.mailboxes
                 else [f"burgemeester@{DOMAIN}"])
    gen = Generator(a.seed, addresses, a.min_kb, a.max_kb, a.copies)
    started = time.monotonic()
    total_bytes = copies = 0

    if a.split:
        os.makedirs(a.out, exist_ok=True)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < len(addresses) + 64:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, len(addresses) + 64), hard))
        files = [open(os.path.join(a.out, f"{addr}.mbox"), "wb", buffering=1 << 16) for addr in addresses]
    else:
        files = [open(a.out, "wb", buffering=1 << 20)]
    try:
        for i in range(a.messages):
            boxes, message = gen.message(i)
            record = message + b"\n"
            for b in (boxes if a.split else [0]):
                files[b].write(record)
                total_bytes += len(record)
                copies += 1
            if not a.quiet and i and i % 10000 == 0:
                rate = total_bytes / (time.monotonic() - started) / 1e6
                sys.stderr.write(f"\r{i} messages, {total_bytes / 1e6:.0f} MB, {rate:.0f} MB/s")
    finally:
        for f in files:
            f.close()
    secs = time.monotonic() - started
    if not a.quiet:
        sys.stderr.write(f"\r{a.messages} messages, {copies} mailbox copies, {total_bytes / 1e6:.1f} MB "
                         f"in {secs:.1f} s ({total_bytes / 1e6 / max(secs, 1e-9):.0f} MB/s)\n")


if __name__ == "__main__":
    main()
