// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// The verklaring van vernietiging (Archiefbesluit 1995, art. 8) for an executed vernietigingslijst: archiefvormer,
/// list id, per category what was destroyed under which rule and legal ground and how, the approvals, the execution
/// time, the items skipped with their reasons, and the SHA-256 of the item list. It names no subjects or addresses.
public struct Verklaring: Sendable {
    public var list: DestructionList
    public var approvals: [Approval]
    /// Categories over the destroyed items.
    public var categories: [CategoryTotals]
    public var destroyedCount: Int
    public var destroyedSize: Int64
    /// Destroyed copies whose bytes stayed because another copy still in the archive holds the same content.
    public var contentKeptForOtherCopies: Int
    public var skipped: [ListItem]
    public var excluded: [ListItem]
    /// File name of the CSV item list and its SHA-256, and the number of items on it.
    public var itemListFile: String
    public var itemListSHA256: String
    public var itemListCount: Int
    public var executionStartedAt: String
    public var executedAt: String
    public var executedBy: String
    public var executionAsOf: String
    /// A real archive or a demo/test archive (a demo's verklaring says so on every page).
    public var archiveKind: ArchiveKind = .real
    /// When the document was made and by whom (the person who executed the list, with their role).
    public var madeAt = Date(timeIntervalSince1970: 0)
    public var madeBy = DocumentFrame.Person(name: "onbekend", role: "onbekend")

    /// How the records were destroyed (the same for every category).
    public static let method = """
        Digitale vernietiging door Sluitsteen: de inhoud van de berichten is uit de opslagbestanden van het archief \
        verwijderd doordat die bestanden zonder deze berichten opnieuw zijn geschreven en de oude bestanden daarna zijn \
        gewist (behalve wanneer een andere kopie in het archief, die bewaard blijft, dezelfde inhoud heeft), en de \
        zoekindex en de beschrijvende metadata (onderwerp, adressen, trefwoorden, bijlagenamen) zijn \
        uit de catalogus verwijderd. Alleen SHA-256, Message-ID, datum en omvang blijven bewaard als bewijs van \
        vernietiging. Kopieën in back-ups vervallen volgens het back-upbeleid van de archiefvormer.
        """

    /// The verklaring as JSON (deterministic member order).
    public func json() -> String {
        func str(_ s: String?) -> JSONText.Value { s.map { .string($0) } ?? .null }
        let cats = categories.map { c in
            JSONText.object([
                ("description", .string(c.text.description)), ("class", .string(c.key.messageClass)), ("rule", .string(c.key.rule)),
                ("selectionRule", .string(c.text.selectionRule)), ("periodFrom", str(c.periodFrom)), ("periodTo", str(c.periodTo)),
                ("messages", .int(Int64(c.count))), ("totalSize", .int(c.size)), ("mailboxes", .strings(c.mailboxes)),
                ("legalGround", .string(list.legalGround)), ("selectielijst", .string(list.selectielijst)),
                ("method", .string(Self.method)),
            ])
        }
        let apps = approvals.map { a in
            JSONText.object([("position", .int(Int64(a.position))), ("role", .string(a.role)), ("roleName", .string(list.roleName(a.role))),
                             ("name", .string(a.name)), ("personId", str(a.personId)), ("at", .string(a.at))])
        }
        let skips = skipped.map { i in
            JSONText.object([("mailbox", .string(i.mailbox)), ("sha256", .string(i.sha256)), ("messageId", .string(i.messageId)),
                             ("date", str(i.date)), ("reason", .string(i.reason ?? ""))])
        }
        let excl = excluded.map { i in
            JSONText.object([("mailbox", .string(i.mailbox)), ("sha256", .string(i.sha256)), ("messageId", .string(i.messageId)),
                             ("reason", .string(i.reason ?? "")), ("by", str(i.changedBy)), ("at", str(i.changedAt))])
        }
        var members: [(String, JSONText.Value)] = [("document", .string("verklaring van vernietiging"))]
        if let notice = archiveKind.documentNotice { members += [("demo", .bool(true)), ("notice", .string(notice))] }
        return JSONText.object(members + [
            ("archiefvormer", .raw(JSONText.object([("name", .string(list.archiefvormer.name)), ("tooi", .string(list.archiefvormer.tooi))]))),
            ("listId", .string(list.id)),
            ("policy", .string(list.policyName)),
            ("selectielijst", .string(list.selectielijst)),
            ("legalGround", .string(list.legalGround)),
            ("proposed", .raw(JSONText.object([("at", .string(list.proposedAt)), ("by", .string(list.proposedBy)), ("asOf", .string(list.asOf))]))),
            ("approvals", .raw("[" + apps.joined(separator: ",") + "]")),
            ("approvedAt", str(list.approvedAt)),
            ("bedenktijd", .string(list.bedenktijd.iso)),
            ("execution", .raw(JSONText.object([("startedAt", .string(executionStartedAt)), ("finishedAt", .string(executedAt)),
                                                ("by", .string(executedBy)), ("asOf", .string(executionAsOf))]))),
            ("categories", .raw("[" + cats.joined(separator: ",") + "]")),
            ("destroyed", .int(Int64(destroyedCount))),
            ("destroyedSize", .int(destroyedSize)),
            ("contentKeptForOtherCopies", .int(Int64(contentKeptForOtherCopies))),
            ("skipped", .raw("[" + skips.joined(separator: ",") + "]")),
            ("excluded", .raw("[" + excl.joined(separator: ",") + "]")),
            ("itemList", .raw(JSONText.object([("file", .string(itemListFile)), ("sha256", .string(itemListSHA256)),
                                               ("items", .int(Int64(itemListCount))),
                                               ("format", .string("CSV (RFC 4180, UTF-8, LF): mailbox,date,sha256,messageId,class,rule"))]))),
            ("auditAnchor", list.auditAnchorSeq.map { seq in
                .raw(JSONText.object([("seq", .int(seq)), ("hash", str(list.auditAnchorHash))]))
            } ?? .null),
        ]) + "\n"
    }

    /// The verklaring as printable Dutch HTML.
    public func html() -> String {
        let e = DutchText.html
        let l = list
        let frame = DocumentFrame(
            title: "Verklaring van vernietiging", municipality: l.archiefvormer.name, kenmerk: "\(l.id)-verklaring",
            madeAt: madeAt, madeBy: madeBy, policyName: l.policyName, policyVersion: l.policyVersion, demoNotice: archiveKind.documentNotice,
            signatoryRole: l.roleName(l.approvalsRequired.last ?? "archivaris"))
        var h = """
            <p>\(e(l.archiefvormer.name)) verklaart dat de hieronder beschreven archiefbescheiden (e-mail) zijn vernietigd
            op grond van de vernietigingslijst \(e(l.id)), na goedkeuring en na afloop van de bedenktijd
            (Archiefbesluit 1995, artikel 8).</p>
            <h2>Gegevens</h2>
            <table class="meta">
            <tr><th>Archiefvormer</th><td>\(e(l.archiefvormer.name)) (TOOI \(e(l.archiefvormer.tooi)))</td></tr>
            <tr><th>Vernietigingslijst</th><td>\(e(l.id)), opgesteld \(e(DutchText.time(iso: l.proposedAt))) door \(e(l.proposedBy)), peildatum \
            \(e(DutchText.date(iso: l.asOf)))</td></tr>
            <tr><th>Beleid</th><td>\(e(l.policyName))</td></tr>
            <tr><th>Selectielijst</th><td>\(e(l.selectielijst))</td></tr>
            <tr><th>Wettelijke grondslag</th><td>\(e(l.legalGround))</td></tr>
            <tr><th>Uitgevoerd</th><td>van \(e(DutchText.time(iso: executionStartedAt))) tot \(e(DutchText.time(iso: executedAt))) door \
            \(e(executedBy)); elk bericht is op het moment van vernietiging opnieuw beoordeeld</td></tr>
            <tr><th>Vernietigd</th><td>\(destroyedCount) berichten, \(e(DutchText.size(destroyedSize)))</td></tr>
            <tr><th>Overgeslagen</th><td>\(skipped.count)</td></tr>
            <tr><th>Uitgezonderd vóór goedkeuring</th><td>\(excluded.count)</td></tr>
            </table>
            <h2>Vernietigd per categorie</h2>
            <table>
            <tr><th>Omschrijving</th><th>Selectieregel</th><th>Periode (berichtdatum)</th><th>Aantal</th><th>Omvang</th><th>Mailboxen</th></tr>

            """
        for c in categories {
            h += "<tr><td>\(e(c.text.description))</td><td>\(e(c.text.selectionRule))</td>"
                + "<td>\(e(DutchText.date(iso: c.periodFrom))) t/m \(e(DutchText.date(iso: c.periodTo)))</td>"
                + "<td class=\"n\">\(c.count)</td><td class=\"n\">\(e(DutchText.size(c.size)))</td>"
                + "<td>\(c.mailboxes.map(e).joined(separator: "<br>"))</td></tr>\n"
        }
        if categories.isEmpty { h += "<tr><td colspan=\"6\">Er is niets vernietigd.</td></tr>\n" }
        h += """
            </table>
            <p><strong>Wettelijke grondslag</strong> (voor alle categorieën): \(e(l.legalGround)).</p>
            <p><strong>Wijze van vernietiging</strong>: \(e(Self.method))</p>

            """
        if contentKeptForOtherCopies > 0 {
            h += "<p class=\"note\">Bij \(contentKeptForOtherCopies) vernietigde kopie\(contentKeptForOtherCopies == 1 ? "" : "ën") bleef de " +
                 "inhoud in de opslag, omdat een andere kopie in het archief die bewaard blijft dezelfde inhoud heeft; de vernietigde kopie zelf " +
                 "is uit de catalogus verwijderd.</p>\n"
        }
        h += "<h2>Goedkeuringen</h2>\n<table>\n<tr><th>Volgorde</th><th>Rol</th><th>Naam</th><th>Datum en tijd</th></tr>\n"
        for a in approvals {
            let who = a.personId.map { "\(a.name) (personeelsnummer \($0))" } ?? a.name
            h += "<tr><td " +
                 "class=\"n\">\(a.position)</td><td>\(e(l.roleName(a.role)))</td><td>\(e(who))</td><td>\(e(DutchText.time(iso: a.at)))</td></tr>\n"
        }
        h += "</table>\n<p>Bedenktijd van \(e(DutchText.duration(l.bedenktijd))) na de laatste goedkeuring " +
             "(\(e(DutchText.time(iso: l.approvedAt)))).</p>\n"
        h += "<h2>Overgeslagen berichten</h2>\n"
        if skipped.isEmpty {
            h += "<p>Geen: elk bericht op de lijst was bij uitvoering nog te vernietigen.</p>\n"
        } else {
            h += "<p>Deze berichten stonden op de lijst maar zijn bij de uitvoering opnieuw beoordeeld en <em>niet</em> vernietigd.</p>\n"
            h += "<table>\n<tr><th>Mailbox</th><th>Datum</th><th>Message-ID</th><th>SHA-256</th><th>Reden</th></tr>\n"
            for i in skipped {
                h += "<tr><td>\(e(i.mailbox))</td><td>\(e(DutchText.date(iso: i.date)))</td><td><code>\(e(i.messageId))</code></td>"
                    + "<td><code>\(e(i.sha256))</code></td><td>\(e(i.reason ?? ""))</td></tr>\n"
            }
            h += "</table>\n"
        }
        if !excluded.isEmpty {
            h += "<h2>Uitgezonderd vóór goedkeuring</h2>\n<table>\n<tr><th>Mailbox</th><th>Message-ID</th><th>Reden</th><th>Door</th></tr>\n"
            for i in excluded {
                h += "<tr><td>\(e(i.mailbox))</td><td><code>\(e(i.messageId))</code></td><td>\(e(i.reason ?? ""))</td>"
                    + "<td>\(e(i.changedBy ?? ""))</td></tr>\n"
            }
            h += "</table>\n"
        }
        h += """
            <h2>Itemlijst</h2>
            <p>De goedgekeurde itemlijst <code>\(e(itemListFile))</code> (\(itemListCount) berichten; per bericht mailbox, datum,
            SHA-256 en Message-ID, zonder onderwerpen) heeft SHA-256<br><code>\(e(itemListSHA256))</code>.<br>
            Wie een bericht of de itemlijst bezit, kan hiermee aantonen dat het bericht op de goedgekeurde lijst stond.</p>

            """
        if let seq = l.auditAnchorSeq, let hash = l.auditAnchorHash {
            h += "<p class=\"note\">Audittrail: de start van deze vernietiging is vastgelegd als regel \(seq) met hash <code>\(e(hash))</code> " +
                 "(controle: <code>sluitsteen audit verify</code>).</p>\n"
        }
        return frame.html(body: h)
    }
}
