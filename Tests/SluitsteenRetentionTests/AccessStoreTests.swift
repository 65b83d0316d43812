import Foundation
import SluitsteenTestSupport
import SluitsteenSupport
import SluitsteenArchive
import SluitsteenPolicy
@testable import SluitsteenRetention
import Testing

/// Designations of gemachtigden and the access log, on a demo workspace with the fixtures' registers.
@Suite struct AccessStoreTests {
    static let fixtures = RetentionWorkspaceTests.fixtures

    func workspace() throws -> Workspace {
        let ws = try Workspace.create(at: FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-acc-\(UUID().uuidString)"),
                                      kind: .demo, environment: [:]).replaying(ISOTimestamp.parse("2026-12-04T10:00:00Z")!)
        let r = Self.fixtures.appendingPathComponent("registers")
        _ = try RetentionStore(workspace: ws).importRegisters(
            people: r.appendingPathComponent("people.csv"), roles: r.appendingPathComponent("roles.csv"),
            mailboxes: r.appendingPathComponent("mailboxes.csv"), teams: r.appendingPathComponent("teams.csv"),
            policy: try Policy.krimpenerwaard, actor: Actor(personId: nil, name: "t"))
        return ws
    }

    @Test func designationsAreCheckedRecordedAndWithdrawn() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let store = AccessStore(workspace: ws)
        let woo = try RetentionStore(workspace: ws).registeredActor("P0010")
        let end = CivilDate(iso: "2026-12-31")!
        let d = try store.designate("P0006", scope: .mailboxes(["j.devries@krimpenerwaard.example"]), validTo: end,
                                    reason: "beoordeling Woo-verzoek Z-1", actor: woo)
        #expect(d.isActive(on: CivilDate(iso: "2026-12-04")!) && d.grantedBy == "P0010")
        // Refused: a free-text actor, oneself, an unknown person, a past or too distant end, an unregistered mailbox.
        #expect(throws: RetentionError.self) {
            try store.designate("P0006", scope: .mailboxes(["j.devries@krimpenerwaard.example"]), validTo: end,
                                reason: "beoordeling", actor: Actor(personId: nil, name: "X"))
        }
        #expect(throws: RetentionError.self) {
            try store.designate("P0010", scope: .mailboxes(["j.devries@krimpenerwaard.example"]), validTo: end,
                                reason: "beoordeling", actor: woo)
        }
        #expect(throws: RetentionError.self) {
            try store.designate("P9999", scope: .mailboxes(["j.devries@krimpenerwaard.example"]), validTo: end,
                                reason: "beoordeling", actor: woo)
        }
        #expect(throws: RetentionError.self) {
            try store.designate("P0006", scope: .mailboxes(["j.devries@krimpenerwaard.example"]), validTo: CivilDate(iso: "2026-12-01")!,
                                reason: "beoordeling", actor: woo)
        }
        #expect(throws: RetentionError.self) {
            try store.designate("P0006", scope: .mailboxes(["j.devries@krimpenerwaard.example"]), validTo: CivilDate(iso: "2028-01-01")!,
                                reason: "beoordeling", actor: woo)
        }
        #expect(throws: RetentionError.self) {
            try store.designate("P0006", scope: .mailboxes(["iemand@elders.example"]), validTo: end,
                                reason: "beoordeling", actor: woo)
        }
        #expect(throws: RetentionError.self) {
            try store.designate("P0006", scope: .wooRequest(holdId: "woo-9"), validTo: end,
                                reason: "beoordeling", actor: woo)
        }
        #expect(try store.delegations().count == 1)
        // The policy in force lets the gemachtigde read, until withdrawn.
        let copy = CopyForAccess(mailbox: "j.devries@krimpenerwaard.example", messageDate: CivilDate(iso: "2024-05-14")!)
        let reason = ReadReason.stated("beoordeling Woo-verzoek Z-1")
        #expect(try store.policy(try Policy.krimpenerwaard).content(of: copy, person: "P0006", roles: [.gemachtigde], reason: reason).isAllowed)
        try store.revoke(d.id, actor: woo)
        #expect(!(try store.policy(try Policy.krimpenerwaard).content(of: copy, person: "P0006", roles: [.gemachtigde], reason: reason).isAllowed))
        #expect(throws: RetentionError.self) { try store.revoke(d.id, actor: woo) }
        let kinds = try ws.catalog.read { try AuditTrail.entries($0, kind: .delegation) }
        #expect(kinds.count == 2 && kinds[0].outcome.contains("P0006"))
    }

    @Test func everyReadIsInTheAccessLog() throws {
        let ws = try workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let manager = try RetentionStore(workspace: ws).registeredActor("P0008")
        try AccessStore(workspace: ws).record(.body, copyIds: [7], mailbox: "j.devries@krimpenerwaard.example", actor: manager, role: .teammanager,
                                              basis: .team("Ruimte"), reason: "overdracht dossier Brug")
        let entries = try ws.catalog.read { try AuditTrail.entries($0, kind: .access) }
        #expect(entries.count == 1)
        #expect(entries[0].premisEventType == "displaying" && entries[0].objectIds.contains("copy:7"))
        #expect(entries[0].actor.hasPrefix("P0008 Mirjam Kuipers") && entries[0].outcome.contains("teammanager")
                && entries[0].outcome.contains("team Ruimte") && entries[0].outcome.contains("overdracht dossier Brug"))
        #expect(try ws.catalog.read { try AuditTrail.verify($0) }.isClean)
    }
}
