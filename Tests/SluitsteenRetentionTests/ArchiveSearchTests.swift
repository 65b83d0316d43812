import Foundation
import SluitsteenTestSupport
import SluitsteenArchive
import SluitsteenPolicy
@testable import SluitsteenRetention
import Testing

/// Search over the fixtures: words, filters, decisions, pages, and the access scope.
@Suite struct ArchiveSearchTests {
    let policy = try! Policy.krimpenerwaard

    func search(_ ws: Workspace, _ q: SearchQuery, scope: Set<String>? = nil) throws -> SearchResult {
        try ArchiveSearch(workspace: ws, policy: policy).run(q, scope: scope)
    }

    @Test func wordsFiltersAndPages() throws {
        let ws = try RetentionWorkspaceTests().workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        try RetentionEngine(workspace: ws, policy: policy).prepareTextIndex()
        let all = try search(ws, SearchQuery(pageSize: 10))
        #expect(all.total == 27 && all.hits.count == 10 && all.pages == 3)
        // Newest first, and the last page holds the rest.
        #expect(all.hits.first!.dateEpoch! >= all.hits.last!.dateEpoch!)
        #expect(try search(ws, SearchQuery(page: 3, pageSize: 10)).hits.count == 7)
        // Words: every message mentioning N210, accent- and case-insensitively.
        let n210 = try search(ws, SearchQuery(text: "n210"))
        #expect(n210.total > 0 && n210.hits.allSatisfy { !$0.subject.isEmpty })
        let phrase = try search(ws, SearchQuery(text: "\"Brug Krimpen\""))
        let reversed = try search(ws, SearchQuery(text: "\"Krimpen Brug\""))
        #expect(phrase.total > 0 && reversed.total == 0)
        // Filters.
        #expect(try search(ws, SearchQuery(mailboxes: ["info@krimpenerwaard.example"])).total == 6)
        #expect(try search(ws, SearchQuery(from: CivilDate(iso: "2025-01-01"))).hits.allSatisfy { ($0.date ?? "") >= "2024-12-31" })
        #expect(try search(ws, SearchQuery(hasAttachments: true)).hits.allSatisfy { $0.attachmentCount > 0 })
        #expect(try search(ws, SearchQuery(sender: "provincie")).total > 0)
        let functional = try search(ws, SearchQuery(messageClass: .functional))
        #expect(functional.total == 6 && functional.hits.allSatisfy { $0.messageClass == .functional })
        // Operators typed by a user are words, not FTS syntax.
        #expect(try search(ws, SearchQuery(text: "N210 OR NOT *")).total >= 0)
    }

    @Test func theScopeLimitsWhatIsFound() throws {
        let ws = try RetentionWorkspaceTests().workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        #expect(try search(ws, SearchQuery(), scope: ["j.devries@krimpenerwaard.example"]).total == 12)
        #expect(try search(ws, SearchQuery(mailboxes: ["info@krimpenerwaard.example"]), scope: ["j.devries@krimpenerwaard.example"]).total == 0)
        #expect(try search(ws, SearchQuery(), scope: []).total == 0)
    }

    @Test func wooRequestsAndHotspotsFilterOnTheDecisionOfNow() throws {
        let ws = try RetentionWorkspaceTests().workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let store = RetentionStore(workspace: ws)
        let id = try store.addHold(zaaknummer: "Z-2024-0815", received: CivilDate(iso: "2024-05-21")!,
                                   criteria: MatchCriteria(zaakNumbers: ["Z-2024-0815"]), actor: RetentionWorkspaceTests.actor)
        try RetentionEngine(workspace: ws, policy: policy).prepareTextIndex()
        let held = try search(ws, SearchQuery(wooRequest: id))
        #expect(held.total > 0 && held.hits.allSatisfy { $0.heldBy == [id] && $0.action == .hold })
        #expect(try search(ws, SearchQuery(wooRequest: "Z-2024-0815")).total == held.total)
    }
}
