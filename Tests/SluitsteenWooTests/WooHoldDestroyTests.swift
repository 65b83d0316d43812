// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenDestroy
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import SluitsteenWoo
import Testing

/// The Woo hold against destruction: from the day of receipt no copy in the request's scope is destroyed, also not
/// from a destruction list approved before the request came in; the hold ends only the day after the objection period
/// and its margin, and an objection brings it back.
@Suite struct WooHoldDestroyTests {
    let zaak = WooScenario.zaak
    /// The request of this suite comes in a year later than the scenario's: by then info@'s mail (one year) is due.
    let received = CivilDate(iso: "2026-06-03")!

    /// The scenario's archive with approvers (Dora de Wit for DIV, Arie Jansen as archivist) and the policy in the workspace.
    func archive() throws -> (WooTestArchive, PolicyInForce) {
        let archive = try WooTestArchive.make()
        let dir = archive.dir.appendingPathComponent("registers-destroy")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = { (name: String, text: String) throws -> URL in
            let url = dir.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url
        }
        let people = try file("people.csv", WooScenario.people + "P0011,Arie Jansen,2012-09-01,\n")
        let roles = try file("roles.csv", WooScenario.roles + "P0011,informatiebeheerder,2012-09-01,\n")
        let mailboxes = try file("mailboxes.csv", WooScenario.mailboxes)
        let approvers = try file("approvers.csv", "person_id,approver_role,valid_from,valid_to\nP0010,div,2019-04-01,\nP0011,archivist,2012-09-01,\n")
        _ = try RetentionStore(workspace: archive.workspace).importRegisters(
            people: people, roles: roles, mailboxes: mailboxes, approvers: approvers, policy: WooTestArchive.policy,
            actor: Actor(personId: nil, name: "test", osUser: "test"))
        try Data(try Policy.krimpenerwaardText().utf8).write(to: archive.workspace.policyFile)
        return (archive, try PolicyInForce.resolve(explicit: nil, workspace: archive.workspace))
    }

    func at(_ archive: WooTestArchive, _ text: String) throws -> Workspace {
        try archive.workspace.replaying(ISOTimestamp.parse(text)!)
    }

    func person(_ archive: WooTestArchive, _ id: String) throws -> Actor {
        try RetentionStore(workspace: archive.workspace).registeredActor(id, osUser: "test")
    }

    /// Proposes a destruction list as of `day` (at 09:00 that day) and approves it the same day and the next.
    func approvedList(_ archive: WooTestArchive, _ policy: PolicyInForce, day: String) throws -> DestructionLists.Proposal {
        let proposal = try #require(try DestructionLists(workspace: at(archive, day + "T07:00:00Z"))
            .propose(policy: policy, asOf: CivilDate(iso: day)!, mailboxes: [WooScenario.info], withSubjects: false,
                     actor: Actor(personId: nil, name: "Piet Voorstel", osUser: "test")))
        let id = proposal.snapshot.list.id
        _ = try DestructionLists(workspace: at(archive, day + "T08:00:00Z")).approve(id, role: "div", actor: try person(archive, "P0010"))
        let next = CivilDate(iso: day)!.adding(days: 1).iso
        _ = try DestructionLists(workspace: at(archive, next + "T08:00:00Z")).approve(id, role: "archivist", actor: try person(archive, "P0011"))
        return proposal
    }

    func copies(_ archive: WooTestArchive) throws -> [Int64: (state: String, sha256: String)] {
        try archive.workspace.catalog.read { db in
            var out: [Int64: (state: String, sha256: String)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, state, sha256 FROM copy") { out[row[0]] = (row[1], row[2]) }
            return out
        }
    }

    @Test("a list approved before the request came in destroys nothing the request covers; the rest of the list goes")
    func listApprovedBeforeReceipt() throws {
        let (archive, policy) = try archive()
        // info@ holds the objection (m1), its forward (m2), the photo mail (m10), all in scope, and a question of
        // November 2024 (m7) outside the request's period. All four are due (one year) by June 2026.
        let proposal = try approvedList(archive, policy, day: "2026-06-01")
        let listed = Set(proposal.snapshot.onList.map(\.copyId))
        #expect(listed.count == 4)

        // The request comes in on 3 June and is registered on 4 June, before the list is carried out.
        var registration = WooTestArchive.registration
        registration.received = received
        let outcome = try WooWorkflow(workspace: try at(archive, "2026-06-04T09:00:00Z"), policy: WooTestArchive.policy)
            .register(registration, actor: try archive.coordinator())
        let docs = try archive.workflow.documents(zaak)
        let held = Set(docs.filter { $0.kind == .email && $0.mailbox == WooScenario.info }.map(\.copyId))
        #expect(held.count == 3 && held.isSubset(of: listed))
        #expect(outcome.copies == 10)

        let executed = try DestructionExecution(workspace: try at(archive, "2026-06-20T09:00:00Z"))
            .execute(proposal.snapshot.list.id, policy: policy, actor: Actor(personId: nil, name: "Eva Uitvoer", osUser: "test"))
        #expect(executed.destroyed == 1)
        #expect(Set(executed.skipped.map(\.copyId)) == held)
        #expect(executed.skipped.allSatisfy { $0.reason?.contains("woo:\(zaak)") == true })
        let after = try copies(archive)
        for id in held {
            #expect(after[id]?.state == "present")
            #expect(archive.workspace.store.contains(after[id]!.sha256))
        }
        let gone = try #require(listed.subtracting(held).first)
        #expect(after[gone]?.state == "destroyed")
    }

    /// Registers the request (received 3 June 2026) on 4 June, assesses every document and closes it on 22 June 2026:
    /// six weeks to object (to 3 August) and a week's margin (to 10 August). Returns the held info@ copies.
    func registeredAndClosed(_ archive: WooTestArchive, _ policy: PolicyInForce,
                             proposedDuring: (String) throws -> Void = { _ in }) throws -> Set<Int64> {
        var registration = WooTestArchive.registration
        registration.received = received
        let w = WooWorkflow(workspace: try at(archive, "2026-06-04T09:00:00Z"), policy: WooTestArchive.policy)
        let by = try archive.coordinator()
        _ = try w.register(registration, actor: by)
        let held = Set(try w.documents(zaak).filter { $0.kind == .email && $0.mailbox == WooScenario.info }.map(\.copyId))
        #expect(held.count == 3)
        try proposedDuring("2026-06-10")
        for n in try w.documents(zaak).filter({ $0.follows == nil }).map(\.number) {
            _ = try w.review(zaak, documents: [n], WooReviewChange(assessment: .withheld, grounds: ["5.1.2e"]), actor: by)
        }
        let closed = try WooWorkflow(workspace: try at(archive, "2026-06-22T09:00:00Z"), policy: WooTestArchive.policy)
            .close(zaak, decisionDate: CivilDate(iso: "2026-06-22")!, actor: by)
        #expect(closed.holdUntil == CivilDate(iso: "2026-08-10"))
        return held
    }

    /// The copies a destruction list proposed as of `day` (with the clock that day) would hold; the list is cancelled.
    func proposed(_ archive: WooTestArchive, _ policy: PolicyInForce, asOf day: String) throws -> Set<Int64> {
        let lists = DestructionLists(workspace: try at(archive, day + "T09:00:00Z"))
        let proposer = Actor(personId: nil, name: "Piet Voorstel", osUser: "test")
        let p = try lists.propose(policy: policy, asOf: CivilDate(iso: day)!, mailboxes: [WooScenario.info], withSubjects: false,
                                  actor: proposer)
        guard let p else { return [] }
        try lists.cancel(p.snapshot.list.id, reason: "alleen een proef in de test", actor: proposer)
        return Set(p.snapshot.onList.map(\.copyId))
    }

    @Test("while the request runs and through the objection period and its margin nothing in scope is proposed; from the day after, it is")
    func holdLiftsOnlyAfterTheObjectionPeriod() throws {
        let (archive, policy) = try archive()
        var during: Set<Int64> = []
        let held = try registeredAndClosed(archive, policy) { day in during = try proposed(archive, policy, asOf: day) }
        #expect(!during.isEmpty && during.isDisjoint(with: held))
        #expect(try proposed(archive, policy, asOf: "2026-08-03").isDisjoint(with: held))
        #expect(try proposed(archive, policy, asOf: "2026-08-10").isDisjoint(with: held))
        #expect(try proposed(archive, policy, asOf: "2026-08-11").isSuperset(of: held))
    }

    @Test("an objection within the period brings the hold back, with no end until the request is closed anew")
    func objectionKeepsTheHold() throws {
        let (archive, policy) = try archive()
        let held = try registeredAndClosed(archive, policy)
        _ = try WooWorkflow(workspace: try at(archive, "2026-08-02T09:00:00Z"), policy: WooTestArchive.policy)
            .objection(zaak, received: CivilDate(iso: "2026-08-01")!, actor: try archive.coordinator())
        #expect(try proposed(archive, policy, asOf: "2026-08-11").isDisjoint(with: held))
        #expect(try proposed(archive, policy, asOf: "2027-06-01").isDisjoint(with: held))
    }
}
