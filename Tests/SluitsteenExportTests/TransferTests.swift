// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenExport
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import Testing

/// Transfers as a records office runs them (issue 15): a package not yet accepted can be withdrawn (audited), a
/// package whose copies were transferred with another is refused, and the verklaring van overbrenging specifies
/// the package beside its pakbon.
@Suite(.enabled(if: ExportFixture.available, "needs the MDTO XSD (make schemas, or ../shared/schemas/mdto) and xmllint"))
struct TransferTests {
    let archivaris = Actor(personId: nil, name: "Arie Jansen", osUser: "test")

    @Test func anUnconfirmedPackageCanBeWithdrawnOnceWithAReasonAndTheAuditTrailSaysSo() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-wd")
        let base = tmp.url
        let summary = try ExportFixture.export(ws, ExportFixture.request(base.appendingPathComponent("p")))
        let transfers = TransferConfirmation(workspace: ws)
        #expect(throws: ExportError.self) { try transfers.withdraw(summary.packageId, reason: "  ", actor: archivaris) }
        let p = try transfers.withdraw(summary.packageId, reason: "verkeerde selectie", actor: archivaris)
        #expect(p.withdrawnAt != nil && p.withdrawReason == "verkeerde selectie" && p.withdrawnBy == "Arie Jansen")
        #expect(try transfers.packages().first?.withdrawnAt == p.withdrawnAt)
        let audit = try ws.catalog.read { db in try AuditTrail.entries(db, kind: .transferWithdrawal) }
        #expect(audit.count == 1 && audit.first?.objectIds.contains("export:\(summary.packageId)") == true)
        #expect(audit.first?.outcome.contains("verkeerde selectie") == true)
        // Withdrawn: neither confirmed nor withdrawn again; a new export of the same copies gives no warning.
        #expect { try transfers.confirm(summary.packageId, receipt: nil, actor: archivaris) } throws: { e in
            guard case ExportError.withdrawn(let id, _) = e else { return false }
            return id == summary.packageId
        }
        #expect(throws: ExportError.self) { try transfers.withdraw(summary.packageId, reason: "nogmaals", actor: archivaris) }
        let again = try ExportFixture.export(ws, ExportFixture.request(base.appendingPathComponent("q")))
        #expect(again.alreadyIn.isEmpty)
    }

    @Test func aConfirmedPackageCannotBeWithdrawn() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-cw")
        let summary = try ExportFixture.export(ws, ExportFixture.request(tmp.appending("p")))
        let transfers = TransferConfirmation(workspace: ws)
        _ = try transfers.confirm(summary.packageId, receipt: nil, actor: archivaris)
        #expect { try transfers.withdraw(summary.packageId, reason: "te laat", actor: archivaris) } throws: { e in
            "\(e)".contains("cannot be withdrawn")
        }
    }

    /// Two packages of the same copies: once the first is confirmed, confirming the second would transfer nothing.
    /// It is refused with the first package named, not recorded as "0 copies transferred … confirmed".
    @Test func confirmingAPackageWhoseCopiesWereTransferredWithAnotherIsRefused() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-dup")
        let base = tmp.url
        let first = try ExportFixture.export(ws, ExportFixture.request(base.appendingPathComponent("a")))
        let second = try ExportFixture.export(ws, ExportFixture.request(base.appendingPathComponent("b")),
                                              now: ExportFixture.now.addingTimeInterval(60))
        #expect(second.alreadyIn.map(\.packageId) == [first.packageId])
        let transfers = TransferConfirmation(workspace: ws)
        _ = try transfers.confirm(first.packageId, receipt: nil, actor: archivaris)
        #expect { try transfers.confirm(second.packageId, receipt: nil, actor: archivaris) } throws: { e in
            guard case ExportError.nothingToTransfer(let id, let elsewhere, let total) = e else { return false }
            return id == second.packageId && elsewhere.map(\.id) == [first.packageId] && total == second.copies
                && "\(e)".contains("already transferred with \(first.packageId)") && "\(e)".contains("transfer withdraw")
        }
        #expect(try transfers.packages().first { $0.id == second.packageId }?.confirmedAt == nil)
        let confirmations = try ws.catalog.read { db in try AuditTrail.entries(db, kind: .transferConfirmation) }
        #expect(confirmations.count == 1)
    }

    @Test func theVerklaringVanOverbrengingSpecifiesThePackageInTheFrame() throws {
        let ws = try ExportFixture.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("export-vo")
        let summary = try ExportFixture.export(ws, ExportFixture.request(tmp.appending("p.tar")) {
            $0.container = .tar
        })
        let transfers = TransferConfirmation(workspace: ws)
        let contents = try transfers.contents(summary.packageId, policy: try Policy.krimpenerwaard)
        #expect(contents.mailboxes.reduce(0) { $0 + $1.copies } == summary.copies)
        #expect(contents.present == summary.copies && contents.transferred == 0)
        #expect(contents.hotspots.map(\.name) == ["Verkeersveiligheid Lekkerkerk"])
        #expect(contents.from != nil && contents.to != nil)
        let url = try transfers.writeStatement(summary.packageId, policy: try Policy.krimpenerwaard, actor: archivaris)
        #expect(url.lastPathComponent == "verklaring-van-overbrenging-\(summary.packageId).html")
        let html = try String(contentsOf: url, encoding: .utf8)
        for part in ["Verklaring van overbrenging", "Gemeente Krimpenerwaard", "\(summary.packageId), versie 1", "Opgemaakt op",
                     "Arie Jansen, geen geregistreerde persoon", "Sluitsteen versie", "counter(pages)", "Ondertekening",
                     summary.packageHash, "Streekarchief Midden-Holland", "Beperkingen aan de openbaarheid", "Woo-coördinator",
                     "Per dossier (mailbox)", "Per persoon", "Verkeersveiligheid Lekkerkerk", "eigen exemplaar",
                     "tar-bestand met één map", "--expect-hash \(summary.packageHash)", "DEMO-/TESTARCHIEF",
                     contents.from!.words] {
            #expect(html.contains(part), "missing: \(part)")
        }
        #expect(DocumentFrame.leakedCodes(in: html).isEmpty, "\(DocumentFrame.leakedCodes(in: html))")
        _ = try transfers.confirm(summary.packageId, receipt: nil, actor: archivaris)
        let confirmed = try String(contentsOf: try transfers.writeStatement(summary.packageId, policy: try Policy.krimpenerwaard,
                                                                             actor: archivaris), encoding: .utf8)
        #expect(confirmed.contains("\(summary.packageId), versie 2") && confirmed.contains("aanvaard door het e-depot op"))
    }
}
