// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport

/// What a transfer package holds, from the catalog: copies per mailbox (dossier) and per person, per designated
/// hotspot, the period of the messages, and where its copies stand now.
public struct PackageContents: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var name: String
        public var copies: Int
        public init(name: String, copies: Int) {
            self.name = name
            self.copies = copies
        }
    }
    public var package: ExportPackageRecord
    /// Copies per mailbox (each mailbox is one dossier in the package), by mailbox.
    public var mailboxes: [Line]
    /// Copies per person (through the mailbox register); mailboxes of no person are counted under their own line.
    public var people: [Line]
    /// Copies per hotspot the decisions cite, by name.
    public var hotspots: [Line]
    /// The first and last message date (Amsterdam), nil when no message has a date.
    public var from: CivilDate?
    public var to: CivilDate?
    /// Copies still present, transferred, and gone (destroyed or purged) now.
    public var present: Int
    public var transferred: Int
    public var gone: Int
    /// Conversations (chat and SMS, bijlage 5) in the package.
    public var conversations = 0
}

extension TransferConfirmation {
    /// What package `id` holds. `policy` (with the registers and hotspots of the workspace) names the hotspots; nil
    /// leaves them out.
    public func contents(_ id: String, policy: Policy?) throws(ExportError) -> PackageContents {
        // The package's copies are read with a cursor and counted as they come: a package of 100,000 copies would
        // otherwise be held as rows (and then as decisions) all at once.
        var perMailbox: [String: Int] = [:]
        var dates: [CivilDate] = []
        var ids: [Int64] = []
        var present = 0, transferred = 0, gone = 0
        let (package, conversations) = try workspace.catalog.read(throwing: ExportError.self) { db in
            guard let p = try ExportPackageRecord.find(db, id: id) else { throw ExportError.unknownPackage(id) }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT c.id AS id, c.mailbox AS mailbox, c.state AS state, m.dateEpoch AS epoch
                FROM exportItem i JOIN copy c ON c.id = i.copyId LEFT JOIN message m ON m.sha256 = c.sha256
                WHERE i.packageId = ? ORDER BY c.id
                """, arguments: [id])
            while let r = try rows.next() {
                ids.append(r["id"])
                perMailbox[r["mailbox"] as String, default: 0] += 1
                if let e = r["epoch"] as Int64? { dates.append(AmsterdamTime.date(of: Instant(secondsSinceEpoch: e))) }
                switch r["state"] as String {
                case CopyState.present.rawValue: present += 1
                case CopyState.transferred.rawValue: transferred += 1
                default: gone += 1
                }
            }
            return (p, try ExportChatRecord.conversationIds(db, packageId: id).count)
        }
        let store = RetentionStore(workspace: workspace)
        let owners = store.mailboxOwners()
        var perPerson: [String: Int] = [:]
        for (m, n) in perMailbox { perPerson[owners[m.lowercased()] ?? "geen persoon (functionele of niet-geregistreerde mailbox)", default: 0] += n }
        var perHotspot: [String: Int] = [:]
        if let policy {
            let engine = RetentionEngine(workspace: workspace, policy: policy)
            do {
                try engine.prepareTextIndexForTerms()
                let asOf = Instant(workspace.clock.now())
                // In parts, so that the decisions of a large package are not all held at once.
                for start in stride(from: 0, to: ids.count, by: Self.decisionChunk) {
                    let decided = try engine.decide(copyIds: Set(ids[start..<min(start + Self.decisionChunk, ids.count)]), asOf: asOf)
                    for d in decided.values {
                        for case .hotspot(let name) in d.decision.rules { perHotspot[name, default: 0] += 1 }
                    }
                }
            } catch { throw .retention(error) }
        }
        func lines(_ d: [String: Int]) -> [PackageContents.Line] { d.sorted { $0.key < $1.key }.map { .init(name: $0.key, copies: $0.value) } }
        var contents = PackageContents(package: package, mailboxes: lines(perMailbox), people: lines(perPerson), hotspots: lines(perHotspot),
                                       from: dates.min(), to: dates.max(), present: present, transferred: transferred, gone: gone)
        contents.conversations = conversations
        return contents
    }

    /// Copies decided at once for the statement's hotspot counts.
    static let decisionChunk = 5_000

    /// Writes the verklaring van overbrenging of package `id` into the workspace's documents folder (rewritten when
    /// the package is confirmed or withdrawn) and returns its path.
    @discardableResult
    public func writeStatement(_ id: String, policy: Policy, actor: Actor) throws(ExportError) -> URL {
        let contents = try contents(id, policy: policy)
        let now = workspace.clock.now()
        let maker = RetentionStore(workspace: workspace).documentPerson(actor, on: AmsterdamTime.date(of: Instant(now)))
        let html = TransferStatement.html(contents, policy: policy, madeAt: now, madeBy: maker, demoNotice: workspace.kind.documentNotice)
        let dir = workspace.documentsDirectory
        let url = dir.appendingPathComponent(TransferStatement.fileName(id))
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(html.utf8).write(to: url, options: .atomic)
        } catch {
            throw .cannotWrite(url.path, reason: error.localizedDescription)
        }
        return url
    }
}

/// The verklaring van overbrenging: the municipality's statement, beside the machine-readable pakbon, of what a
/// transfer package holds (dossiers, copies per mailbox, person and hotspot, period), the restrictions on public
/// access, the package hash, where the package stands, and what the municipality does with its own copy.
public enum TransferStatement {
    /// The document's file name in the workspace's documents folder.
    public static func fileName(_ packageId: String) -> String { "verklaring-van-overbrenging-\(packageId).html" }

    /// What Sluitsteen does with the municipality's own copy of transferred mail (the policy is silent on it).
    public static let ownCopy = """
        De gemeente houdt haar eigen exemplaar van de overgebrachte e-mail: na de bevestiging door het e-depot krijgen \
        de berichten in het archief de status "overgebracht". Ze komen nooit op een vernietigingslijst, worden niet \
        opnieuw overgebracht en blijven alleen raadpleegbaar voor wie daartoe bevoegd is (bijvoorbeeld voor een \
        Woo-verzoek). Het exemplaar in het e-depot is vanaf de overbrenging het archiefexemplaar; het eigen exemplaar is \
        een werkexemplaar. Het informatiebeleid zegt niets over het verwijderen van dat werkexemplaar; Sluitsteen \
        verwijdert het daarom niet vanzelf.
        """

    public static func html(_ c: PackageContents, policy: Policy, madeAt: Date, madeBy: DocumentFrame.Person,
                            demoNotice: String?) -> String {
        let e = HTML.escape
        let p = c.package
        let status: String
        if let at = p.confirmedAt {
            status = "aanvaard door het e-depot op \(DutchWords.date(iso: at))"
                + (p.receiptName.map { ", ontvangstbewijs \($0)" } ?? "")
        } else if let at = p.withdrawnAt {
            status = "ingetrokken op \(DutchWords.date(iso: at))" + (p.withdrawReason.map { ": \($0)" } ?? "")
        } else {
            status = "aangeboden, nog niet bevestigd door het e-depot"
        }
        let period: String
        switch (c.from, c.to) {
        case let (f?, t?): period = "\(f.words) tot en met \(t.words)"
        default: period = "onbekend (berichten zonder datum)"
        }
        func table(_ title: String, _ head: String, _ lines: [PackageContents.Line], empty: String) -> String {
            var h = "<h3>\(title)</h3>\n"
            guard !lines.isEmpty else { return h + "<p>\(empty)</p>\n" }
            h += "<table><tr><th>\(head)</th><th>Berichtkopieën</th></tr>\n"
            for l in lines { h += "<tr><td>\(e(l.name))</td><td class=\"n\">\(l.copies)</td></tr>\n" }
            return h + "<tr><th>Totaal</th><th class=\"n\">\(lines.reduce(0) { $0 + $1.copies })</th></tr>\n</table>\n"
        }
        var frame = DocumentFrame(
            title: "Verklaring van overbrenging", municipality: policy.archiefvormer.name, kenmerk: p.id,
            version: p.confirmedAt != nil || p.withdrawnAt != nil ? "2" : "1", madeAt: madeAt, madeBy: madeBy,
            policyName: policy.name, policyVersion: policy.version, demoNotice: demoNotice, signatoryRole: DutchWords.role("archivaris"))
        frame.extraRows = [("Ontvanger", e(policy.eDepot.contact))]
        let body = """
            <p>\(e(policy.archiefvormer.name)) draagt de hieronder beschreven blijvend te bewaren e-mail over aan \
            \(e(policy.eDepot.contact)) (Archiefwet 1995, artikel 12). Deze verklaring hoort bij de pakbon \
            (<code>pakbon.xml</code>) in het pakket, die dezelfde gegevens machineleesbaar bevat.</p>
            <h2>Het pakket</h2>
            <table class="meta">
            <tr><th>Pakket (identificatie)</th><td><code>\(e(p.id))</code></td></tr>
            <tr><th>Samengesteld</th><td>\(e(DutchWords.date(iso: p.createdAt)))</td></tr>
            <tr><th>Pakkethash (SHA-256)</th><td><code>\(e(p.packageSHA256))</code></td></tr>
            <tr><th>Vorm</th><td>\(e(containerWords(p.container)))</td></tr>
            <tr><th>Status</th><td>\(e(status))</td></tr>
            <tr><th>Aantal berichtkopieën</th><td>\(p.copyCount) in \(c.mailboxes.count) dossier\(c.mailboxes.count == 1 ? "" : "s") (één per \
            mailbox)</td></tr>
            \(c.conversations > 0 ? "<tr><th>Aantal gesprekken (chat en sms)</th><td>\(c.conversations), elk één informatieobject met de "
                + "leesbare weergave, de mediabestanden en, als er niets uit is verwijderd, het exportbestand zoals ontvangen</td></tr>\n" : "")\
            <tr><th>Periode (berichtdatum)</th><td>\(e(period))</td></tr>
            <tr><th>Waardering</th><td>blijvend te bewaren (B)</td></tr>
            <tr><th>Beperkingen aan de openbaarheid</th><td>\(e(policy.mdto.beperkingGebruik))</td></tr>
            </table>
            <h2>Specificatie</h2>
            \(table("Per dossier (mailbox)", "Mailbox", c.mailboxes, empty: "Geen."))\
            \(table("Per persoon", "Persoon", c.people, empty: "Geen."))\
            \(table("Per hotspot", "Hotspot", c.hotspots, empty: "Geen van deze berichten valt onder een aangewezen hotspot."))
            <h2>Het eigen exemplaar van de gemeente</h2>
            <p>\(e(ownCopy))</p>
            <p class="note">Controle: <code>sluitsteen verify PAKKET --expect-hash \(e(p.packageSHA256))</code> \
            controleert het pakket zonder het archief en vergelijkt zijn hash met deze verklaring.</p>

            """
        return frame.html(body: body)
    }

    static func containerWords(_ container: String) -> String {
        let bag = container.hasSuffix("+bagit") ? ", als BagIt-pakket" : ""
        switch container.replacingOccurrences(of: "+bagit", with: "") {
        case "tar": return "tar-bestand met één map, genoemd naar het pakket" + bag
        case "zip": return "zip-bestand met één map, genoemd naar het pakket" + bag
        default: return "map" + bag
        }
    }
}
