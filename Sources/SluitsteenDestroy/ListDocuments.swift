// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// The documents of a vernietigingslijst: the Dutch HTML for approvers (per category: rule, period, number, size,
/// mailboxes) and the item list as CSV and JSON (mailbox, date, SHA-256, Message-ID; subjects only in a separate
/// file when the list was proposed with subjects).
///
/// The CSV item list holds no subjects and no execution state, so it does not change once the list is approved:
/// its SHA-256 goes into the verklaring van vernietiging, and anyone holding an item can show it was on the list.
public struct ListDocuments: Sendable {
    /// File names of a list's documents, inside the workspace's documents folder.
    public struct Names: Sendable, Equatable {
        public let html: String
        public let csv: String
        public let json: String
        public let csvWithSubjects: String

        public init(listId: String) {
            let base = "vernietigingslijst-\(listId)"
            html = base + ".html"
            csv = base + "-items.csv"
            json = base + "-items.json"
            csvWithSubjects = base + "-items-met-onderwerpen.csv"
        }
    }

    /// The paths written.
    public struct Written: Sendable, Equatable {
        public var html: URL
        public var csv: URL
        public var json: URL
        public var csvWithSubjects: URL?
        /// SHA-256 of the CSV item list.
        public var csvSHA256: String
    }

    /// The canonical CSV item list: the items still on the list, in list order, without subjects or state.
    public static func canonicalCSV(_ items: [ListItem]) -> String {
        var out = "mailbox,date,sha256,messageId,class,rule\n"
        for i in items where i.state != .excluded {
            out += [i.mailbox, i.date ?? "", i.sha256, i.messageId, i.messageClass, i.rule].map(DutchText.csv).joined(separator: ",") + "\n"
        }
        return out
    }

    /// The JSON item list (same items and order as the CSV, plus size and the exclusions with their reasons).
    static func itemsJSON(_ s: ListSnapshot, kind: ArchiveKind) -> String {
        let items = s.onList.map { i in
            JSONText.object([
                ("seq", .int(i.seq)), ("mailbox", .string(i.mailbox)), ("date", i.date.map { .string($0) } ?? .null),
                ("sha256", .string(i.sha256)), ("messageId", .string(i.messageId)), ("size", .int(i.size)),
                ("class", .string(i.messageClass)), ("rule", .string(i.rule)),
            ])
        }
        let excluded = s.excluded.map { i in
            JSONText.object([
                ("mailbox", .string(i.mailbox)), ("sha256", .string(i.sha256)), ("messageId", .string(i.messageId)),
                ("reason", .string(i.reason ?? "")), ("by", .string(i.changedBy ?? "")), ("at", .string(i.changedAt ?? "")),
            ])
        }
        let demo = kind.documentNotice.map { ",\n\"demo\":true,\n\"notice\":\(JSONText.string($0))" } ?? ""
        return "{\n\"listId\":\(JSONText.string(s.list.id)),\n\"asOf\":\(JSONText.string(s.list.asOf))\(demo),\n\"items\":[\n"
            + items.joined(separator: ",\n") + "\n],\n\"excluded\":[\n" + excluded.joined(separator: ",\n") + "\n]\n}\n"
    }

    /// Writes (or rewrites) every document of the list. `subjects` (copy id → subject) is used only when the list
    /// was proposed with subjects and has not been executed.
    static func write(_ s: ListSnapshot, subjects: [Int64: String], in workspace: Workspace) throws(DestroyError) -> Written {
        let names = Names(listId: s.list.id)
        let csv = canonicalCSV(s.items)
        let csvURL = try DocumentFiles.write(csv, name: names.csv, in: workspace)
        let jsonURL = try DocumentFiles.write(itemsJSON(s, kind: workspace.kind), name: names.json, in: workspace)
        var subjectsURL: URL? = nil
        let subjectsFile = workspace.documentsDirectory.appendingPathComponent(names.csvWithSubjects)
        if s.list.withSubjects, s.list.status == .proposed || s.list.status == .approved {
            var out = "mailbox,date,sha256,messageId,subject\n"
            for i in s.onList {
                out += [i.mailbox, i.date ?? "", i.sha256, i.messageId, subjects[i.copyId] ?? ""].map(DutchText.csv).joined(separator: ",") + "\n"
            }
            subjectsURL = try DocumentFiles.write(out, name: names.csvWithSubjects, in: workspace)
        } else if FileManager.default.fileExists(atPath: subjectsFile.path) {
            // Subjects must not outlive a list's use: once it is executed, rejected or cancelled its list with subjects goes.
            do { try FileManager.default.removeItem(at: subjectsFile) } catch {
                throw .cannotWrite(subjectsFile.path, reason: "the list with subjects could not be removed: \(error.localizedDescription)")
            }
        }
        let sha = DocumentFiles.sha256(csv)
        let made = DocumentFiles.made(by: s.list.proposedBy, at: s.list.proposedAt, in: workspace)
        let htmlURL = try DocumentFiles.write(html(s, names: names, csvSHA256: sha, kind: workspace.kind, madeAt: made.at, madeBy: made.by),
                                              name: names.html, in: workspace)
        return Written(html: htmlURL, csv: csvURL, json: jsonURL, csvWithSubjects: subjectsURL, csvSHA256: sha)
    }

    /// The version of a list's documents: 1 when proposed, one more for every approval and for closing or executing.
    static func documentVersion(_ s: ListSnapshot) -> Int {
        1 + s.approvals.count + (s.list.closedAt != nil || s.list.status == .executed || s.list.status == .executing ? 1 : 0)
    }

    /// The Dutch HTML document for approvers, in the document frame; "made by" is the person who drew the list up.
    static func html(_ s: ListSnapshot, names: Names, csvSHA256: String, kind: ArchiveKind, madeAt: Date,
                     madeBy: DocumentFrame.Person) -> String {
        let l = s.list
        let e = DutchText.html
        let frame = DocumentFrame(
            title: "Vernietigingslijst", municipality: l.archiefvormer.name, kenmerk: l.id, version: String(documentVersion(s)),
            madeAt: madeAt, madeBy: madeBy, policyName: l.policyName, policyVersion: l.policyVersion, demoNotice: kind.documentNotice,
            signatoryRole: nil)
        var h = """
            <p>\(e(l.archiefvormer.name)) — voorstel tot vernietiging van e-mail volgens de Capstone-methode.
            Deze lijst noemt geen onderwerpen of adressen; de afzonderlijke berichten staan in de itemlijst.</p>
            <h2>Gegevens van de lijst</h2>
            <table class="meta">
            <tr><th>Archiefvormer</th><td>\(e(l.archiefvormer.name)) (TOOI \(e(l.archiefvormer.tooi)))</td></tr>
            <tr><th>Lijstnummer</th><td>\(e(l.id))</td></tr>
            <tr><th>Status</th><td>\(e(l.status.dutch))</td></tr>
            <tr><th>Peildatum (vervallen op of vóór)</th><td>\(e(DutchText.date(iso: l.asOf)))</td></tr>
            <tr><th>Opgesteld</th><td>\(e(DutchText.time(iso: l.proposedAt))) door \(e(l.proposedBy))</td></tr>
            <tr><th>Mailboxen</th><td>\(l.mailboxes.isEmpty ? "alle mailboxen in het archief" : e(l.mailboxes.joined(separator: ", ")))</td></tr>
            <tr><th>Beleid</th><td>\(e(l.policyName))</td></tr>
            <tr><th>Selectielijst</th><td>\(e(l.selectielijst))</td></tr>
            <tr><th>Wettelijke grondslag</th><td>\(e(l.legalGround))</td></tr>
            <tr><th>Vereiste goedkeuringen</th><td>\
            \(e(l.approvalsRequired.enumerated().map { "\($0.offset + 1). \(l.roleName($0.element))" }.joined(separator: ", "))) \
            (in deze volgorde)</td></tr>
            <tr><th>Bedenktijd</th><td>bedenktijd van \(e(DutchText.duration(l.bedenktijd))) na de laatste goedkeuring</td></tr>
            <tr><th>Aantal berichten</th><td>\(s.onList.count) \
            (\(e(DutchText.size(s.onList.reduce(0) { $0 + $1.size }))))\(s.excluded.isEmpty ? "" : "; \(s.excluded.count) uitgezonderd")</td></tr>
            </table>
            <h2>Categorieën</h2>
            <table>
            <tr><th>Omschrijving</th><th>Selectieregel</th><th>Periode (berichtdatum)</th><th>Aantal</th><th>Omvang</th><th>Mailboxen</th></tr>

            """
        for c in s.categories {
            h += "<tr><td>\(e(c.text.description))</td><td>\(e(c.text.selectionRule))</td>"
                + "<td>\(e(DutchText.date(iso: c.periodFrom))) t/m \(e(DutchText.date(iso: c.periodTo)))</td>"
                + "<td class=\"n\">\(c.count)</td><td class=\"n\">\(e(DutchText.size(c.size)))</td>"
                + "<td>\(c.mailboxes.map(e).joined(separator: "<br>"))</td></tr>\n"
        }
        h += "</table>\n"
        if !s.excluded.isEmpty {
            h += "<h2>Uitgezonderd</h2>\n<table>\n<tr><th>Mailbox</th><th>Message-ID</th><th>Reden</th><th>Door</th><th>Op</th></tr>\n"
            for i in s.excluded {
                h += "<tr><td>\(e(i.mailbox))</td><td><code>\(e(i.messageId))</code></td><td>\(e(i.reason ?? ""))</td>"
                    + "<td>\(e(i.changedBy ?? ""))</td><td>\(e(DutchText.time(iso: i.changedAt)))</td></tr>\n"
            }
            h += "</table>\n"
        }
        h += """
            <h2>Itemlijst</h2>
            <p>De berichten op deze lijst staan in <code>\(e(names.csv))</code> (CSV) en <code>\(e(names.json))</code> (JSON):
            mailbox, datum, SHA-256 en Message-ID per \
            bericht\(l.withSubjects ? "; met onderwerpen in <code>\(e(names.csvWithSubjects))</code>, dat na de vernietiging wordt verwijderd" : "").
            SHA-256 van de CSV-itemlijst: \
            <code>\(csvSHA256)</code>\(l.itemListSHA256 == nil ? " (wordt vastgelegd bij de laatste goedkeuring)" : "").</p>
            <h2>Goedkeuring</h2>
            <table class="sign">
            <tr><th>Rol</th><th>Naam</th><th>Datum en tijd</th><th>Handtekening</th></tr>

            """
        for role in l.approvalsRequired {
            let a = s.approvals.first { $0.role == role }
            let who = a.map { a in a.personId.map { "\(a.name) (personeelsnummer \($0))" } ?? a.name } ?? ""
            h += "<tr><td>\(e(l.roleName(role)))</td><td>\(e(who))</td><td>\(a.map { e(DutchText.time(iso: $0.at)) } ?? "")</td><td></td></tr>\n"
        }
        h += "</table>\n"
        if let from = l.executableFrom {
            h += "<p>Volledig goedgekeurd op \(e(DutchText.time(iso: l.approvedAt))); de bedenktijd loopt tot \(e(DutchText.time(from))). Daarna " +
                 "mag de vernietiging worden uitgevoerd.</p>\n"
        }
        if let at = l.closedAt {
            h += "<p><strong>\(l.status == .rejected ? "Afgewezen" : "Ingetrokken")</strong> op \(e(DutchText.time(iso: at))) door " +
                 "\(e(l.closedBy ?? ""))\(l.closeReason.map { ": " + e($0) } ?? "").</p>\n"
        }
        h += "<p class=\"note\">Elke wijziging van deze lijst staat in de audittrail van het archief (<code>sluitsteen audit show</code>).</p>\n"
        return frame.html(body: h)
    }
}
