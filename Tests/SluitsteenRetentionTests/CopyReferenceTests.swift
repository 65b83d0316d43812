import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
@testable import SluitsteenRetention
import SluitsteenSupport
import Testing

/// Naming a copy by its number or its Message-ID (issue 15), where a copy stands, and the opt-out listing.
@Suite struct CopyReferenceTests {
    let fixtures = RetentionWorkspaceTests()

    @Test func numbersAndMessageIdsResolveAndAmbiguityIsRefusedWithTheCandidates() throws {
        let ws = try fixtures.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        var all: [CatalogCopy] = []
        try ws.catalog.forEachCopy { all.append($0) }
        let one = try #require(all.first { $0.mailbox == "j.devries@krimpenerwaard.example" })
        #expect(try ws.catalog.copies(number: one.copyId, messageId: nil, mailbox: nil) == [one])
        #expect(try ws.catalog.copies(number: one.copyId, messageId: nil, mailbox: "J.deVries@krimpenerwaard.example") == [one])
        #expect(throws: ArchiveError.self) { try ws.catalog.copies(number: one.copyId, messageId: nil, mailbox: "info@krimpenerwaard.example") }
        #expect(throws: ArchiveError.self) { try ws.catalog.copies(number: 1_000_000, messageId: nil, mailbox: nil) }
        // The Message-ID alone, of a message in one mailbox, is enough; without < > as well.
        let bare = String(one.messageId.dropFirst().dropLast())
        #expect(try ws.catalog.copies(number: nil, messageId: bare, mailbox: nil).map(\.copyId).contains(one.copyId))
        // A message in two mailboxes: refused, naming both copies by number and mailbox.
        let shared = try #require(Dictionary(grouping: all, by: \.messageId).first { Set($0.value.map(\.mailbox)).count > 1 })
        do {
            _ = try ws.catalog.copies(number: nil, messageId: shared.key, mailbox: nil)
            Issue.record("an ambiguous Message-ID was accepted")
        } catch {
            guard case .ambiguousCopy(_, let candidates) = error else { Issue.record("\(error)"); return }
            #expect(candidates.count == shared.value.count)
            for c in shared.value { #expect(candidates.contains { $0.hasPrefix("copy \(c.copyId): mailbox \(c.mailbox)") }) }
            #expect(error.description.contains("--copy NUMBER"))
        }
        let box = try #require(shared.value.first?.mailbox)
        #expect(try ws.catalog.copies(number: nil, messageId: shared.key, mailbox: box).allSatisfy { $0.mailbox == box })
    }

    @Test func aTransferredCopyStandsInItsConfirmedPackage() throws {
        let ws = try fixtures.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        var all: [CatalogCopy] = []
        try ws.catalog.forEachCopy { all.append($0) }
        let copy = try #require(all.first)
        try ws.catalog.write { db in
            for (id, confirmed) in [("pakket-a", nil), ("pakket-b", "2027-01-02T10:00:00Z")] as [(String, String?)] {
                try db.execute(sql: """
                    INSERT INTO exportPackage (id, createdAt, createdBy, location, container, packageSHA256, copyCount, confirmedAt)
                    VALUES (?, '2027-01-01T10:00:00Z', 't', '/tmp/x', 'folder', 'abc', 1, ?)
                    """, arguments: [id, confirmed])
                try db.execute(sql: "INSERT INTO exportItem (packageId, copyId, sha256) VALUES (?, ?, ?)", arguments: [id, copy.copyId, copy.sha256])
            }
            try db.execute(sql: "UPDATE copy SET state = 'transferred' WHERE id = ?", arguments: [copy.copyId])
        }
        let standing = try #require(try ws.catalog.standings(copyIds: [copy.copyId, all[1].copyId])[copy.copyId])
        #expect(standing.dutch == "overgebracht (pakket pakket-b)")
        #expect(try ws.catalog.standings(copyIds: [all[1].copyId])[all[1].copyId]?.dutch == "aanwezig")
        var listed: [Int64: CopyStanding] = [:]
        try ws.catalog.forEachListedCopy { listed[$0.copyId] = $1 }
        #expect(listed[copy.copyId] == standing && listed.count == all.count)
        #expect(CopyStanding(state: .purged).dutch == "verwijderd (opt-out)")
    }

    @Test func theOptOutListingGivesEachMarkItsCopiesAndWindow() throws {
        let ws = try fixtures.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        var all: [CatalogCopy] = []
        try ws.catalog.forEachCopy { all.append($0) }
        let inbox = try #require(all.first { $0.mailbox == "j.devries@krimpenerwaard.example" && $0.folder == "INBOX" })
        let later = try fixtures.at(ws, "2027-01-15T09:00:00Z")
        let store = RetentionStore(workspace: later)
        _ = try store.markOptOut(mailbox: inbox.mailbox, messageId: inbox.messageId, ground: .informal, policy: fixtures.policy,
                                 actor: RetentionWorkspaceTests.actor, source: "mark")
        let rows = try store.optOutListing(policy: fixtures.policy)
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row.copyIds == [inbox.copyId] && row.ground == .informal && row.state == .present)
        #expect(row.closesAt.map { AmsterdamTime.date(of: $0).iso } == "2027-02-09")
        #expect(row.isOpen(at: Instant(ISOTimestamp.parse("2027-02-01T00:00:00Z")!)))
        #expect(!row.isOpen(at: Instant(ISOTimestamp.parse("2027-03-01T00:00:00Z")!)))
        #expect(try store.optOutListing(policy: fixtures.policy, mailbox: "info@krimpenerwaard.example").isEmpty)
    }
}
