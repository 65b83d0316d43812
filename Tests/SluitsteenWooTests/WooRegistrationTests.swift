// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
@testable import SluitsteenWoo
import Testing

/// Registering a request: the hold, the deadline and the verzameling (documents, families, threads, duplicates).
@Suite struct WooRegistrationTests {
    @Test("the verzameling holds every copy in scope, numbered in date order with families, threads and duplicates")
    func verzameling() throws {
        let archive = try WooTestArchive.make()
        let outcome = try archive.register()
        #expect(outcome.copies == 10)
        #expect(outcome.attachments == 3)
        #expect(outcome.threads == 4)
        #expect(outcome.duplicates == 2)
        #expect(outcome.nearDuplicates == 1)
        #expect(outcome.request.deadline == CivilDate(iso: "2025-06-30"))
        #expect(outcome.mailboxes == [WooScenario.burgemeester, WooScenario.info, WooScenario.devries].sorted())

        let docs = try archive.workflow.documents(WooScenario.zaak)
        #expect(docs.map(\.number) == Array(1...13))
        func doc(_ n: Int) -> WooDocument { docs[n - 1] }
        // 1: the objection (info@); 2-3: its forward in info@ and, the same bytes, in the policy officer's mailbox.
        #expect(doc(1).title == "Bezwaar tegen zonnepark Bergambacht" && doc(1).mailbox == WooScenario.info)
        #expect(doc(2).mailbox == WooScenario.info && doc(3).mailbox == WooScenario.devries)
        #expect(doc(3).follows == 2 && doc(3).relation == .duplicate)
        // 4-7: the note with its PDF, in the mayor's and the officer's mailbox.
        #expect(doc(4).kind == .email && doc(5).kind == .attachment && doc(5).family == 4 && doc(5).fileType == "pdf")
        #expect(doc(5).title == "Notitie zonnepark Bergambacht.pdf")
        #expect(doc(6).follows == 4 && doc(7).follows == 5 && doc(7).family == 6)
        // 8-9: the reply, stored with other bytes in the second mailbox.
        #expect(doc(8).mailbox == WooScenario.burgemeester && doc(9).mailbox == WooScenario.devries)
        #expect(doc(9).follows == 8 && doc(9).relation == .nearDuplicate && doc(9).sha256 != doc(8).sha256)
        // One thread through In-Reply-To and References; the others alone.
        #expect(docs.prefix(9).allSatisfy { $0.thread == 1 })
        #expect(doc(10).thread == 10 && doc(11).thread == 11 && doc(12).thread == 12 && doc(13).thread == 12)
        #expect(doc(13).fileType == "png" && doc(13).family == 12)
        // Out of scope: before the period, only in another mailbox, without the term.
        let titles = Set(docs.map(\.title))
        #expect(!titles.contains("Vraag over zonnepark") && !titles.contains("Planning zonnepark") && !titles.contains("Rapportage Q1"))
    }

    @Test("registering records the hold from the day of receipt, and a second registration of the number is refused")
    func holdAndRefusal() throws {
        let archive = try WooTestArchive.make()
        let outcome = try archive.register()
        let holds = try RetentionStore(workspace: archive.workspace).holds()
        let hold = try #require(holds.first { $0.id == outcome.request.holdId })
        #expect(hold.zaaknummer == WooScenario.zaak && hold.received == CivilDate(iso: WooScenario.received) && hold.released == nil)
        #expect(hold.criteria.mailboxes == [WooScenario.burgemeester, WooScenario.info, WooScenario.devries].sorted())
        #expect(throws: WooWorkflowError.self) { try archive.register() }
        let kinds = try archive.workspace.catalog.read { db in
            try String.fetchAll(db, sql: "SELECT command FROM auditEntry WHERE kind IN ('woo', 'hold') ORDER BY seq")
        }
        #expect(kinds == ["hold add", "woo register"])
    }

    @Test("an active hold for the same number and scope (hold add --woo) is taken over; another scope is refused")
    func adoptsHold() throws {
        let archive = try WooTestArchive.make()
        let r = WooTestArchive.registration
        let store = RetentionStore(workspace: archive.workspace)
        let criteria = MatchCriteria(period: r.scope.period, terms: r.scope.terms,
                                     mailboxes: [WooScenario.burgemeester, WooScenario.info, WooScenario.devries])
        let id = try store.addHold(zaaknummer: r.zaaknummer, received: r.received, criteria: criteria, actor: try archive.coordinator())
        let outcome = try archive.register()
        #expect(outcome.adoptedHold && outcome.request.holdId == id)
        #expect(try store.holds().count == 1)

        let other = try WooTestArchive.make()
        _ = try RetentionStore(workspace: other.workspace).addHold(
            zaaknummer: r.zaaknummer, received: r.received, criteria: MatchCriteria(terms: ["iets anders"]), actor: try other.coordinator())
        let error = #expect(throws: WooWorkflowError.self) { try other.register() }
        #expect(error?.description.contains("another scope") == true)
    }

    @Test("a person id that is not registered, a person without a mailbox, and an unknown mailbox are refused")
    func scopeChecks() throws {
        let archive = try WooTestArchive.make()
        var r = WooTestArchive.registration
        r.scope.persons = ["P9999"]
        #expect(throws: WooWorkflowError.self) { try archive.workflow.register(r, actor: try archive.coordinator()) }
        r.scope.persons = []
        r.scope.mailboxes = ["bugemeester@krimpenerwaard.example"]
        #expect(throws: WooWorkflowError.self) { try archive.workflow.register(r, actor: try archive.coordinator()) }
        r.scope.mailboxes = []
        r.scope.terms = []
        #expect(throws: WooWorkflowError.self) { try archive.workflow.register(r, actor: try archive.coordinator()) }
        // A name instead of a registered person acts for no one.
        #expect(throws: WooWorkflowError.self) {
            try archive.workflow.register(WooTestArchive.registration, actor: Actor(personId: nil, name: "Iemand", osUser: "test"))
        }
        #expect(try RetentionStore(workspace: archive.workspace).holds().isEmpty)
    }
}
