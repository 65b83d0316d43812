// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPolicy
import SluitsteenSupport

/// Dates and times as the pages show them: Dutch, in Amsterdam time, without a locale database.
enum DutchText {
    static let months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                         "november", "december"]

    /// `4 december 2026`.
    static func date(_ d: CivilDate) -> String { "\(d.day) \(months[d.month - 1]) \(d.year)" }

    /// `4 december 2026 om 14:05` (Amsterdam time).
    static func time(_ instant: Instant) -> String {
        let (d, second) = AmsterdamTime.local(instant)
        return "\(date(d)) om " + String(format: "%02d:%02d", second / 3600, second % 3600 / 60)
    }

    /// An ISO 8601 timestamp of the catalog or the audit trail, in Amsterdam time (as written when it cannot be read).
    static func timestamp(_ iso: String?) -> String {
        guard let iso else { return "—" }
        guard let date = ISOTimestamp.parse(iso) else { return iso }
        return time(Instant(date))
    }

    /// A message date from the catalog (epoch seconds), as an Amsterdam day.
    static func messageDay(_ epoch: Int64?) -> String {
        guard let epoch else { return "zonder datum" }
        return date(AmsterdamTime.date(of: Instant(secondsSinceEpoch: epoch)))
    }

    /// `1.234`: thousands with a dot.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A size in B, KB, MB or GB.
    static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return String(format: "%.1f KB", Double(bytes) / 1024).replacingOccurrences(of: ".", with: ",") }
        if bytes < 1 << 30 { return String(format: "%.1f MB", Double(bytes) / 1_048_576).replacingOccurrences(of: ".", with: ",") }
        return String(format: "%.2f GB", Double(bytes) / 1_073_741_824).replacingOccurrences(of: ".", with: ",")
    }

    /// The class of a message as the pages name it.
    static func messageClass(_ c: MessageClass?) -> String {
        switch c {
        case .functional?: return "functionele mailbox"
        case .keyPerson?: return "sleutelfunctionaris"
        case .staff?: return "medewerker"
        case .unclassified?: return "niet ingedeeld"
        case nil: return "—"
        }
    }

    /// An action as the pages name it.
    static func action(_ a: RetentionAction?) -> String { a?.dutchName ?? "—" }

    /// An opt-out ground.
    static func ground(_ g: OptOutGround) -> String { g.dutch }
}

/// Small pieces of markup the pages share.
enum Parts {
    /// `<option>`s, the one equal to `selected` marked.
    static func options(_ values: [(value: String, label: String)], selected: String?) -> HTML {
        HTML(trusted: values.map { v in
            "<option value=\"\(HTML.escape(v.value))\"\(v.value == (selected ?? "") ? " selected" : "")>\(HTML.escape(v.label))</option>"
        }.joined())
    }

    /// A table's header row: one column header per name.
    static func head(_ names: String...) -> HTML {
        "<thead><tr>\(names.map { n -> HTML in "<th scope=\"col\">\(n)</th>" })</tr></thead>"
    }

    /// A notice (role=status) after a change, or nothing.
    static func notice(_ text: String?) -> HTML {
        guard let text, !text.isEmpty else { return HTML.empty }
        return "<p class=\"bericht\" role=\"status\">\(text)</p>"
    }

    /// The demo banner of a demo archive, or nothing.
    static func demoBanner(_ ctx: ArchiveContext) -> HTML {
        guard ctx.workspace.kind == .demo else { return HTML.empty }
        return """
            <p class="demo" role="note">Demonstratie- of testarchief: niets hierin heeft rechtskracht. Het archief rekent met \
            \(DutchText.time(ctx.now)) als ‘nu’.</p>
            """
    }

    /// Links to the other pages of a result list, keeping the query (`pagina` changes).
    static func pagination(path: String, query: [(String, String)], page: Int, pages: Int) -> HTML {
        guard pages > 1 else { return HTML.empty }
        func link(_ p: Int, _ label: String, rel: String? = nil) -> HTML {
            let q = (query.filter { $0.0 != "pagina" } + [("pagina", String(p))]).map { "\(formEncode($0.0))=\(formEncode($0.1))" }
            let relText = rel.map { " rel=\"\($0)\"" } ?? ""
            return HTML(trusted: "<a href=\"\(HTML.escape(path + "?" + q.joined(separator: "&")))\"\(relText)>\(HTML.escape(label))</a>")
        }
        var parts: [HTML] = []
        if page > 1 { parts.append(link(page - 1, "Vorige pagina", rel: "prev")) }
        parts.append("<span aria-current=\"page\">Pagina \(page) van \(pages)</span>")
        if page < pages { parts.append(link(page + 1, "Volgende pagina", rel: "next")) }
        return "<nav class=\"paginering\" aria-label=\"Pagina's\">\(parts)</nav>"
    }

    /// `application/x-www-form-urlencoded` encoding of a value (for links).
    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A 1-based page number from a query value (1 when absent or not a number; at most 100 000).
    static func pageNumber(_ text: String?) -> Int { min(max(1, Int(text ?? "") ?? 1), 100_000) }
}

/// Names and addresses from the catalog's address lists (`[{"name": …, "address": …}]`).
enum AddressList {
    static func parse(_ json: String) -> [(name: String?, address: String)] {
        guard json != "[]", let data = json.data(using: .utf8),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.map { (($0["name"] as? String).flatMap { $0.isEmpty ? nil : $0 }, $0["address"] as? String ?? "") }
    }

    /// `Naam <adres>, …` (at most `limit` addresses, then how many more).
    static func text(_ json: String, limit: Int = 50) -> String {
        let all = parse(json)
        let shown = all.prefix(limit).map { a -> String in
            guard let name = a.name else { return a.address }
            return a.address.isEmpty ? name : "\(name) <\(a.address)>"
        }
        let rest = all.count > limit ? " en \(all.count - limit) meer" : ""
        return shown.isEmpty ? "—" : shown.joined(separator: ", ") + rest
    }
}
