// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Sluitsteen's version, as documents and `--version` name it.
public enum SluitsteenVersion {
    public static let current = "0.1.0"
}

/// The frame every Dutch document of Sluitsteen is printed in (plan report, vernietigingslijst, verklaringen,
/// hotspot page, verify report): who the document is from and by, when it was made, under which policy and with
/// which version of the tool, A4 pages numbered "1 van 3" when printed, the demo notice of a demo archive, and a
/// signature block that names the signatory's role. A document supplies only its own body.
public struct DocumentFrame: Sendable {
    /// A person named in a document: name (with person id when registered) and role, both in words.
    public struct Person: Sendable, Equatable {
        public var name: String
        /// The role in words (``DutchWords/role(_:)``), e.g. "DIV-medewerker".
        public var role: String
        public init(name: String, role: String) {
            self.name = name
            self.role = role
        }
    }

    /// The document's title, e.g. "Verklaring van vernietiging".
    public var title: String
    /// The municipality (archiefvormer) whose document this is.
    public var municipality: String
    /// The document's kenmerk (reference), e.g. the list id or package id.
    public var kenmerk: String
    /// The document's version (a document rewritten after a change gets a new one).
    public var version: String
    /// When the document was made; nil prints "niet vermeld" (a document rendered as a pure function of its data).
    public var madeAt: Date?
    public var madeBy: Person
    /// The policy's name and version; nil for a document made without a policy (a standalone verify report).
    public var policyName: String?
    public var policyVersion: String?
    public var toolVersion: String
    /// The notice of a demo/test archive (``demoBanner``); nil for a real archive.
    public var demoNotice: String?
    /// The role of the person who signs (in words); nil for a document that is published, not signed.
    public var signatoryRole: String?
    /// More rows for the frame's table (label, HTML already escaped).
    public var extraRows: [(String, String)] = []
    /// HTML placed before the title, after the demo notice (e.g. a forecast banner).
    public var banners: String = ""
    /// CSS of the document itself, after the frame's.
    public var style: String = ""

    public init(title: String, municipality: String, kenmerk: String, version: String = "1", madeAt: Date?,
                madeBy: Person, policyName: String?, policyVersion: String?, toolVersion: String = SluitsteenVersion.current,
                demoNotice: String?, signatoryRole: String?) {
        self.title = title
        self.municipality = municipality
        self.kenmerk = kenmerk
        self.version = version
        self.madeAt = madeAt
        self.madeBy = madeBy
        self.policyName = policyName
        self.policyVersion = policyVersion
        self.toolVersion = toolVersion
        self.demoNotice = demoNotice
        self.signatoryRole = signatoryRole
    }

    /// The shared, print-friendly style: A4 pages numbered "n van m", long codes and paths wrap.
    public static let css = """
        body { font-family: "Segoe UI", Arial, sans-serif; max-width: 60em; margin: 2em auto; color: #111; line-height: 1.4; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #999; }
        table { border-collapse: collapse; width: 100%; margin: 0.6em 0; }
        th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        th { background: #eee; } td.n { text-align: right; white-space: nowrap; }
        code { font-size: 0.9em; overflow-wrap: anywhere; word-break: break-all; }
        .meta th, .frame th { width: 16em; } .sign td { height: 4em; } .note { color: #444; font-size: 0.9em; }
        .frame { font-size: 0.92em; }
        .demo { border: 3px solid #b00000; color: #b00000; padding: .5em; font-weight: bold; }
        @page { size: A4; margin: 2cm 1.8cm; @bottom-right { content: "pagina " counter(page) " van " counter(pages); } }
        @media print {
          body { margin: 0; max-width: none; font-size: 10.5pt; } h2 { page-break-after: avoid; break-after: avoid; }
          tr, .sign, .signature { page-break-inside: avoid; break-inside: avoid; } a { color: inherit; text-decoration: none; }
          .demo { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """

    /// The visible notice a document of a demo/test archive carries at its top (empty for a real archive).
    public static func demoBanner(_ notice: String?) -> String {
        guard let notice else { return "" }
        return "<p class=\"demo\" role=\"note\" style=\"border:3px solid #b00000;color:#b00000;padding:.5em;font-weight:bold\">"
            + HTML.escape(notice) + "</p>\n"
    }

    /// The making time in words, or "niet vermeld".
    var madeAtWords: String { madeAt.map(DutchWords.dateTime) ?? "niet vermeld" }

    /// The frame's table: municipality, kenmerk and version, made at/by, policy, tool.
    public var headerTable: String {
        let e = HTML.escape
        var rows: [(String, String)] = [
            ("Archiefvormer", e(municipality)),
            ("Kenmerk", "\(e(kenmerk)), versie \(e(version))"),
            ("Opgemaakt op", e(madeAtWords)),
            ("Opgemaakt door", "\(e(madeBy.name)), \(e(madeBy.role))"),
        ]
        if let policyName {
            rows.append(("Beleid", "\(e(policyName)), versie \(e(policyVersion ?? "niet vermeld in het beleidsbestand"))"))
        }
        rows.append(("Gemaakt met", "Sluitsteen versie \(e(toolVersion))"))
        rows += extraRows
        return "<table class=\"frame\">\n" + rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>\n" }.joined() + "</table>\n"
    }

    /// The signature block: the signatory's role named, name, date and signature to be filled in.
    public var signatureBlock: String {
        guard let signatoryRole else { return "" }
        let e = HTML.escape
        return """
            <section class="signature">
            <h2>Ondertekening</h2>
            <p>Voor akkoord getekend door de \(e(signatoryRole)) van \(e(municipality)).</p>
            <table class="sign"><tr><th>Functie</th><th>Naam</th><th>Datum</th><th>Handtekening</th></tr>
            <tr><td>\(e(signatoryRole))</td><td></td><td></td><td></td></tr></table>
            </section>

            """
    }

    /// The whole document: head, demo notice, banners, title, frame table, `body`, signature block, footer line.
    public func html(body: String) -> String {
        let e = HTML.escape
        return """
            <!DOCTYPE html>
            <html lang="nl">
            <head><meta charset="utf-8"><title>\(e(title)) \(e(kenmerk)) — \(e(municipality))</title>
            <style>\(Self.css)\(style.isEmpty ? "" : "\n" + style)</style></head>
            <body>
            \(Self.demoBanner(demoNotice))\(banners)<h1>\(e(title))</h1>
            \(headerTable)\(body)\(signatureBlock)<p class="note">\(e(title)), kenmerk \(e(kenmerk)) versie \(e(version)), \
            opgemaakt \(e(madeAtWords)) met Sluitsteen \(e(toolVersion)).</p>
            </body>
            </html>

            """
    }
}

extension DocumentFrame {
    /// The codes a records office must never read in a document, found in `html`'s visible text (tags, styles and
    /// attribute values left out): ISO 8601 durations (`P7D`), ISO dates (`2033-06-01`), role codes (`div`,
    /// `archivist`, `woo-coordinator`), the operating-system account `root` and the decision actions
    /// (`destroy-due`). Each is returned once, in order of first appearance. Tests of every document use it.
    public static func leakedCodes(in html: String) -> [String] {
        var text = html
        for block in ["style", "title"] {
            while let open = text.range(of: "<\(block)"), let close = text.range(of: "</\(block)>", range: open.upperBound..<text.endIndex) {
                text.removeSubrange(open.lowerBound..<close.upperBound)
            }
        }
        // Tags become spaces, so that words on both sides of one stay apart.
        var visible = ""
        var inTag = false
        for c in text {
            if c == "<" { inTag = true; visible.append(" ") } else if c == ">" { inTag = false } else if !inTag { visible.append(c) }
        }
        let words = Set(DutchWords.roleNames.filter { !$0.value.lowercased().split(separator: " ").contains(Substring($0.key)) }.keys)
            .union(["destroy-due", "retain-permanent", "pending-window", "purge-optout", "transfer-due", "key-person", "root"])
        var found: [String] = []
        let patterns = [#"\bP(\d+Y)?(\d+M)?(\d+W)?(\d+D)?\b"#, #"\b\d{4}-\d{2}-\d{2}\b"#]
        for p in patterns {
            guard let re = try? NSRegularExpression(pattern: p) else { continue }
            for m in re.matches(in: visible, range: NSRange(visible.startIndex..., in: visible)) {
                guard let r = Range(m.range, in: visible), visible[r].count > 1 else { continue }
                let s = String(visible[r])
                if !found.contains(s) { found.append(s) }
            }
        }
        let tokens = visible.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }).map(String.init)
        for t in tokens where words.contains(t) && !found.contains(t) { found.append(t) }
        return found
    }
}
