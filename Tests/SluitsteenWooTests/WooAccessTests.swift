// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
@testable import SluitsteenWoo
import Testing

/// Reading a request's documents is decided by the access policy and logged per document: the Woo-coördinator and a
/// gemachtigde for the request read them while the hold applies; a colleague without that role reads nothing, and a
/// refused read leaves no access entry.
@Suite struct WooAccessTests {
    let zaak = WooScenario.zaak

    func accessEntries(_ archive: WooTestArchive) throws -> [String] {
        try archive.workspace.catalog.read { db in
            try String.fetchAll(db, sql: "SELECT actor || ' | ' || outcome FROM auditEntry WHERE kind = 'access' ORDER BY seq")
        }
    }

    @Test("from the registers: P0010 (role woo-coordinator) reads as Woo-coördinator; a beleidsadviseur is refused and nothing is logged")
    func roleFromTheRegisters() throws {
        let archive = try WooTestArchive.make()
        let w = archive.workflow
        _ = try archive.register()
        let coordinator = try w.access(for: try archive.coordinator())
        #expect(coordinator.role == .wooCoordinator)

        let colleague = try RetentionStore(workspace: archive.workspace).registeredActor("P0003", osUser: "test")
        let refused = #expect(throws: WooWorkflowError.self) { try w.access(for: colleague) }
        #expect(refused?.description.contains("not the Woo-coördinator") == true)
        // Claiming the role is not enough: the access policy is asked per document, and P0003 is no Woo-coördinator there
        // either when the role is given as gemachtigde without a designation.
        let claimed = WooAccess(actor: colleague, role: .gemachtigde)
        #expect(throws: WooWorkflowError.self) { try w.text(zaak, document: 8, access: claimed) }
        #expect(throws: WooWorkflowError.self) { try w.scan(zaak, access: claimed) }
        #expect(try accessEntries(archive).isEmpty)

        // The coordinator reads document 1: one entry, for that copy, with the request as the ground and the reason.
        let text = try w.text(zaak, document: 1, access: coordinator)
        #expect(text.text(of: .body)?.contains(WooScenario.bsn) == true)
        let entries = try accessEntries(archive)
        #expect(entries.count == 1)
        let copy = try w.document(zaak, 1).copyId
        let objects = try archive.workspace.catalog.read { db in
            try String.fetchOne(db, sql: "SELECT objectIds FROM auditEntry WHERE kind = 'access'")
        }
        #expect(objects?.contains("copy:\(copy)") == true)
        #expect(entries[0].contains("Dora de Wit") && entries[0].contains("rol Woo-coördinator"))
        #expect(entries[0].contains("Woo-verzoek \(zaak) (inzage, document 0001)"))
        let hold = try w.request(zaak).holdId
        #expect(entries[0].contains("grond: " + AccessBasis.wooRequest(holdId: hold).dutch))
    }

    @Test("a gemachtigde for the request reads its documents under the designation; one entry per document read")
    func gemachtigde() throws {
        let archive = try WooTestArchive.make()
        let w = archive.workflow
        _ = try archive.register()
        let hold = try w.request(zaak).holdId
        let bakker = try RetentionStore(workspace: archive.workspace).registeredActor("P0004", osUser: "test")
        #expect(throws: WooWorkflowError.self) { try w.access(for: bakker) }
        let designation = try AccessStore(workspace: archive.workspace).designate(
            "P0004", scope: .wooRequest(holdId: hold), validTo: CivilDate(iso: "2025-07-31")!,
            reason: "beoordeling namens de Woo-coördinator", actor: try archive.coordinator())
        let access = try w.access(for: bakker)
        #expect(access.role == .gemachtigde)
        let scanned = try w.scan(zaak, documents: [1, 4, 5], access: access)
        #expect(scanned.scanned == 3)
        let entries = try accessEntries(archive)
        #expect(entries.count == 3)
        #expect(entries.allSatisfy { $0.contains("Sanne Bakker") && $0.contains("machtiging \(designation.id)") })
        for id in ["0001", "0004", "0005"] { #expect(entries.contains { $0.contains("(suggesties, document \(id))") }) }
        // After the designation's end she reads nothing.
        let later = try archive.at("2025-08-01T09:00:00Z")
        #expect(throws: WooWorkflowError.self) { try later.access(for: bakker) }
        #expect(throws: WooWorkflowError.self) { try later.text(zaak, document: 1, access: access) }
        #expect(try accessEntries(archive).count == 3)
    }

    @Test("once the hold no longer applies (after the objection period), the request gives no access to the mail any more")
    func afterTheHold() throws {
        let archive = try WooTestArchive.make()
        let w = archive.workflow
        let by = try archive.coordinator()
        _ = try archive.register()
        for n in try w.documents(zaak).filter({ $0.follows == nil }).map(\.number) {
            _ = try w.review(zaak, documents: [n], WooReviewChange(assessment: .withheld, grounds: ["5.1.2e"]), actor: by)
        }
        _ = try archive.at("2025-06-26T09:00:00Z").close(zaak, decisionDate: CivilDate(iso: WooScenario.decision)!, actor: by)
        // Decided on 25 June: the hold applies through 13 August.
        let access = try w.access(for: by)
        _ = try archive.at("2025-08-13T09:00:00Z").text(zaak, document: 1, access: access)
        let refused = #expect(throws: WooWorkflowError.self) { try archive.at("2025-08-14T09:00:00Z").text(zaak, document: 1, access: access) }
        #expect(refused?.description.contains("hold no longer applies") == true)
        #expect(try accessEntries(archive).count == 1)
    }
}
