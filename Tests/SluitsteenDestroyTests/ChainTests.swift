// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import SluitsteenSupport
import Synchronization
import GRDB
import Testing
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenIngest
@testable import SluitsteenDestroy

/// The whole chain on the fixtures: propose → approve (div, archivist) → bedenktijd → execute → verklaring.
@Suite struct ChainTests {
    @Test func fullChainDestroysExactlyTheDueCopiesAndWritesTheVerklaring() throws {
        let a = try TestArchive.make()
        let infoFiles = try FixtureFacts.infoFiles()
        let infoShas = Set(try infoFiles.map(FixtureFacts.sha256))
        let sharedFile = try #require(infoFiles.first { $0.lastPathComponent.hasPrefix("Zorgen over verkeersveiligheid") })
        let sharedSha = try FixtureFacts.sha256(sharedFile)
        let before = try a.copies()

        let p = try #require(try a.at(Moments.propose).lists.propose(policy: a.policy, asOf: Moments.asOf, mailboxes: nil, withSubjects: true,
                                                                     actor: .test("Piet Voorstel")))
        let s = p.snapshot
        // Fixtures/README.md: info@ holds 6 functional messages (1 year); j.devries@ holds 12, of which 4 are in the
        // opt-out folders Privé/Persoonlijk and 2 carry an opt-out keyword, so 6 are staff mail (7 years, latest
        // 2025-03-10, due by 2032-03-10). The burgemeester is a key person: nothing of hers is destroyed.
        #expect(s.onList.count == 12)
        #expect(s.onList.filter { $0.mailbox == Boxes.info }.count == 6)
        #expect(s.onList.filter { $0.mailbox == Boxes.devries }.count == 6)
        #expect(!s.onList.contains { $0.mailbox == Boxes.burgemeester })
        #expect(Set(s.onList.filter { $0.mailbox == Boxes.info }.map(\.sha256)) == infoShas)
        let categories = s.categories
        #expect(categories.map(\.key.label) == ["functional × functional-1y", "staff × staff-7y"])
        let functional = try #require(categories.first)
        let infoBytes = try infoFiles.reduce(Int64(0)) { $0 + Int64(try Data(contentsOf: $1).count) }
        #expect(functional.size == infoBytes)
        #expect(functional.periodFrom == "2024-01-08" && functional.periodTo == "2025-02-10")
        #expect(categories[1].periodFrom == "2023-05-09" && categories[1].periodTo == "2025-03-10")

        // Documents: the approvers' HTML names no subjects; the CSV has one line per item; subjects only in their own file.
        let html = try String(contentsOf: p.documents.html, encoding: .utf8)
        #expect(html.contains("staff-7y") && html.contains("functional-1y") && html.contains("Gemeente Krimpenerwaard"))
        #expect(!html.contains("stoeptegels"))
        let csv = try String(contentsOf: p.documents.csv, encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 13)
        #expect(!csv.contains("stoeptegels"))
        let withSubjects = try #require(p.documents.csvWithSubjects)
        #expect(try String(contentsOf: withSubjects, encoding: .utf8).contains("stoeptegels"))

        try a.at(Moments.approveDiv).lists.approve(s.list.id, role: "div", actor: try a.person(Approvers.dora))
        let approved = try a.at(Moments.approveArchivist).lists.approve(s.list.id, role: "archivist", actor: try a.person(Approvers.arie))
        #expect(approved.list.status == .approved)
        #expect(approved.list.itemListSHA256 == Digest.hex(try Data(contentsOf: p.documents.csv)))

        let o = try a.execute(s.list.id, at: Moments.bedenktijdOver)
        #expect(o.destroyed == 12)
        #expect(o.skipped.isEmpty)

        // Bytes: gone for every destroyed message except the one the burgemeester's copy still needs.
        for sha in infoShas where sha != sharedSha { #expect(!a.workspace.store.contains(sha)) }
        #expect(a.workspace.store.contains(sharedSha))
        for item in s.onList where item.mailbox == Boxes.devries { #expect(!a.workspace.store.contains(item.sha256)) }
        // Nothing off the list was touched.
        let listed = Set(s.onList.map(\.copyId))
        let after = try a.copies()
        for c in before where !listed.contains(c.id) {
            let now = try #require(after.first { $0.id == c.id })
            #expect(now.state == "present" && now.subject == c.subject)
            #expect(a.workspace.store.contains(c.sha256))
        }
        for c in after where listed.contains(c.id) { #expect(c.state == "destroyed") }
        // Metadata: subjects and the search index of destroyed content are gone; the shared message keeps them.
        for c in after where listed.contains(c.id) && c.sha256 != sharedSha {
            #expect(c.subject.isEmpty)
            let texts: Int? = try a.sql("SELECT COUNT(*) FROM messageText WHERE sha256 = ?", [c.sha256])
            #expect(texts == 0)
        }
        #expect(try a.copies().first { $0.sha256 == sharedSha && $0.mailbox == Boxes.burgemeester }?.subject.contains("Lekkerkerk") == true)
        #expect(!FileManager.default.fileExists(atPath: withSubjects.path))

        // The verklaring: every element of issue 6.
        let jsonData = try Data(contentsOf: o.verklaringJson)
        let v = try #require(try JSONSerialization.jsonObject(with: jsonData) as? [String: Any])
        #expect((v["archiefvormer"] as? [String: Any])?["name"] as? String == "Gemeente Krimpenerwaard")
        #expect(v["listId"] as? String == s.list.id)
        let cats = try #require(v["categories"] as? [[String: Any]])
        #expect(cats.count == 2)
        for c in cats {
            for key in ["description", "selectionRule", "periodFrom", "periodTo", "messages", "totalSize", "legalGround", "method"] {
                #expect(c[key] != nil, "category lacks \(key)")
            }
        }
        #expect(cats.first?["totalSize"] as? Int == Int(infoBytes))
        let approvals = try #require(v["approvals"] as? [[String: Any]])
        #expect(approvals.map { $0["role"] as? String } == ["div", "archivist"])
        #expect(approvals.map { $0["name"] as? String } == ["Dora de Wit", "Arie Jansen"])
        #expect(approvals.map { $0["personId"] as? String } == [Approvers.dora, Approvers.arie])
        #expect(approvals.map { $0["roleName"] as? String } == ["DIV-medewerker", "archivaris"])
        #expect(approvals.last?["at"] as? String == "2033-01-06T09:00:00Z")
        #expect((v["execution"] as? [String: Any])?["finishedAt"] as? String == "2033-01-13T09:00:00Z")
        #expect((v["skipped"] as? [Any])?.isEmpty == true)
        let itemList = try #require(v["itemList"] as? [String: Any])
        #expect(itemList["sha256"] as? String == Digest.hex(try Data(contentsOf: p.documents.csv)))
        #expect(v["contentKeptForOtherCopies"] as? Int == 1)
        let verklaringHTML = try String(contentsOf: o.verklaringHtml, encoding: .utf8)
        #expect(verklaringHTML.contains("Verklaring van vernietiging") && verklaringHTML.contains("Dora de Wit"))
        // Roles in words, never as codes or OS accounts.
        #expect(verklaringHTML.contains("<td>DIV-medewerker</td>") && verklaringHTML.contains("<td>archivaris</td>"))
        #expect(!verklaringHTML.contains("<td>div</td>") && !verklaringHTML.contains("<td>archivist</td>") && !verklaringHTML.contains("root"))
        #expect(verklaringHTML.contains(itemList["sha256"] as! String))
        for text in [verklaringHTML, String(decoding: jsonData, as: UTF8.self)] {
            #expect(!text.contains("stoeptegels") && !text.contains("Lekkerkerk"))
        }

        // The audit trail holds the proposal, both approvals and the execution, and is intact.
        let kinds = try a.workspace.catalog.read { try AuditTrail.entries($0).map(\.kind) }
        #expect(kinds.filter { $0 == AuditKind.listApproval.rawValue }.count == 2)
        #expect(kinds.filter { $0 == AuditKind.destruction.rawValue }.count == 2)
        #expect(try a.workspace.catalog.read { try AuditTrail.verify($0) }.firstBreak == nil)
    }

    @Test func twoCopiesOfTheSameContentOnOneListRemoveTheBytesOnce() throws {
        // A second functional mailbox holding the same six messages: both copies of each are due together.
        let a = try TestArchive.make(extraMailboxes: ["info2@krimpenerwaard.example,functional,"],
                                     extraIngest: [("info2@krimpenerwaard.example", "info")])
        let infoFiles = try FixtureFacts.infoFiles()
        let sharedSha = try FixtureFacts.sha256(try #require(infoFiles.first { $0.lastPathComponent.hasPrefix("Zorgen") }))
        let id = try a.proposeAndApprove()
        let o = try a.execute(id)
        #expect(o.destroyed == 18)
        for f in infoFiles {
            let sha = try FixtureFacts.sha256(f)
            #expect(a.workspace.store.contains(sha) == (sha == sharedSha), "\(f.lastPathComponent)")
        }
    }

    @Test func exclusionKeepsTheMessageAndIsReported() throws {
        let a = try TestArchive.make()
        let p = try #require(try a.at(Moments.propose).lists.propose(policy: a.policy, asOf: Moments.asOf, mailboxes: nil, withSubjects: false,
                                                                     actor: .test("P")))
        let item = try #require(p.snapshot.onList.first { $0.mailbox == Boxes.info })
        // The Message-ID typed without angle brackets and the mailbox in capitals still find the item.
        let bare = String(item.messageId.dropFirst().dropLast())
        #expect(try a.at(Moments.propose).lists.exclude(p.snapshot.list.id, mailbox: Boxes.info.uppercased(), messageId: bare,
                                    reason: "nodig voor zaak Z-2026-0007", actor: .test("Dora DIV")) == 1)
        #expect(throws: DestroyError.self) {
            try a.at(Moments.propose).lists.exclude(p.snapshot.list.id, mailbox: Boxes.info, messageId: item.messageId, reason: "nog eens",
                                                    actor: .test("D"))
        }
        #expect(throws: DestroyError.self) {
            try a.at(Moments.propose).lists.exclude(p.snapshot.list.id, mailbox: Boxes.info, messageId: "<bestaat-niet@example>", reason: "x",
                                                    actor: .test("D"))
        }
        #expect(throws: DestroyError.self) {
            try a.at(Moments.propose).lists.exclude(p.snapshot.list.id, mailbox: Boxes.info, messageId: item.messageId, reason: "  ",
                                                    actor: .test("D"))
        }
        let id = p.snapshot.list.id
        try a.at(Moments.approveDiv).lists.approve(id, role: "div", actor: try a.person(Approvers.dora))
        // After an approval the list is fixed.
        let other = try #require(p.snapshot.onList.first { $0.mailbox == Boxes.devries })
        #expect(throws: DestroyError.self) {
            try a.at(Moments.approveDiv).lists.exclude(id, mailbox: Boxes.devries, messageId: other.messageId, reason: "te laat", actor: .test("A"))
        }
        try a.at(Moments.approveArchivist).lists.approve(id, role: "archivist", actor: try a.person(Approvers.arie))
        let o = try a.execute(id)
        #expect(o.destroyed == 11)
        #expect(a.workspace.store.contains(item.sha256))
        #expect(try a.copies().first { $0.id == item.copyId }?.state == "present")
        #expect(o.verklaring.excluded.map(\.copyId) == [item.copyId])
        #expect(o.verklaring.itemListCount == 11)
        let csv = try String(contentsOf: a.workspace.documentsDirectory.appendingPathComponent(ListDocuments.Names(listId: id).csv), encoding: .utf8)
        #expect(!csv.contains(item.sha256))
    }

    @Test func wooHoldAddedAfterApprovalIsSkippedAndReported() throws {
        let a = try TestArchive.make()
        let id = try a.proposeAndApprove()
        // A Woo request comes in during the bedenktijd and covers all of info@.
        _ = try RetentionStore(workspace: a.at(ISOTimestamp.parse("2033-01-08T08:00:00Z")!).workspace).addHold(
            zaaknummer: "Z-2033-0042", received: CivilDate(iso: "2033-01-08")!,
            criteria: MatchCriteria(mailboxes: [Boxes.info]), actor: .test("woo-coordinator"))
        let o = try a.execute(id)
        #expect(o.destroyed == 6)
        #expect(o.skipped.count == 6)
        #expect(o.skipped.allSatisfy { $0.mailbox == Boxes.info && ($0.reason ?? "").contains("woo:Z-2033-0042") })
        for sha in try FixtureFacts.infoFiles().map(FixtureFacts.sha256) { #expect(a.workspace.store.contains(sha)) }
        #expect(try a.copies().filter { $0.mailbox == Boxes.info }.allSatisfy { $0.state == "present" && !$0.subject.isEmpty })
        #expect(o.verklaring.skipped.count == 6)
        #expect(o.verklaring.categories.map(\.key.rule) == ["staff-7y"])
        let html = try String(contentsOf: o.verklaringHtml, encoding: .utf8)
        #expect(html.contains("Z-2033-0042"))
        // A new proposal after the list: the held copies are not destroy-due, so nothing is proposed.
        #expect(try a.at(Moments.execute).lists.propose(policy: a.policy, asOf: Moments.asOf, mailboxes: nil,
                                    withSubjects: false, actor: .test("P")) == nil)
    }

    /// Proposals made at the same time never put one copy on two open lists: the check and the insert are one
    /// transaction (issue 19 point 9).
    @Test func concurrentProposalsNeverShareACopy() throws {
        let a = try TestArchive.make()
        let at = try a.at(Moments.propose)
        let ids = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            if let p = try? at.lists.propose(policy: a.policy, mailboxes: nil, withSubjects: false, actor: .test("P")) {
                ids.withLock { $0.append(p.snapshot.list.id) }
            }
        }
        let lists = try ids.withLock { $0 }.map { try a.lists.show($0) }
        let copies = lists.flatMap { $0.onList.map(\.copyId) }
        #expect(!lists.isEmpty && copies.count == Set(copies).count && copies.count == 12)
    }

    @Test func openListsDoNotOverlap() throws {
        let a = try TestArchive.make()
        let first = try #require(try a.at(Moments.propose).lists.propose(policy: a.policy, asOf: Moments.asOf, mailboxes: [Boxes.info],
                                                                         withSubjects: false, actor: .test("P")))
        #expect(first.snapshot.onList.count == 6)
        let second = try #require(try a.at(Moments.propose).lists.propose(policy: a.policy, asOf: Moments.asOf, mailboxes: nil,
                                                                          withSubjects: false, actor: .test("P")))
        #expect(second.snapshot.onList.allSatisfy { $0.mailbox == Boxes.devries })
        #expect(second.alreadyListed == 6)
        #expect(first.snapshot.list.id != second.snapshot.list.id)
    }
}

/// Every refusal of issue 6.
@Suite struct RefusalTests {
    func proposed(_ a: TestArchive) throws -> String {
        try #require(try a.at(Moments.propose).lists.propose(policy: a.policy, asOf: Moments.asOf, mailboxes: nil,
                                         withSubjects: false, actor: .test("P"))).snapshot.list.id
    }

    func refusal(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    @Test func approvalsInOrderByKnownRolesOnce() throws {
        let a = try TestArchive.make()
        let id = try proposed(a)
        #expect(refusal { try a.at(Moments.approveDiv).lists.approve(id, role: "archivist", actor: try a.person(Approvers.arie)) }
                    .contains("first be approved as div"))
        #expect(refusal { try a.at(Moments.approveDiv).lists.approve(id, role: "burgemeester", actor: try a.person(Approvers.dora)) }
                    .contains("not an approver role"))
        try a.at(Moments.approveDiv).lists.approve(id, role: "div", actor: try a.person(Approvers.dora))
        #expect(refusal { try a.at(Moments.approveDiv).lists.approve(id, role: "div", actor: try a.person(Approvers.dora)) }
                    .contains("already approved as div"))
        #expect(refusal { try a.at(Moments.approveDiv).lists.approve("VL-1999-999", role: "div", actor: try a.person(Approvers.dora)) }
                    .contains("no vernietigingslijst"))
        try a.at(Moments.approveArchivist).lists.approve(id, role: "archivist", actor: try a.person(Approvers.arie))
        #expect(refusal { try a.at(Moments.approveArchivist).lists.approve(id, role: "archivist", actor: try a.person(Approvers.arie)) }
                    .contains("already fully approved"))
    }

    /// Four eyes compares person ids: a person registered as approver in both roles cannot approve one list twice, whatever
    /// name they give; the OS account is recorded beside the approval.
    @Test func fourEyesComparesPersonsNotNames() throws {
        let a = try TestArchive.make()
        let id = try proposed(a)
        let arie = try a.person(Approvers.arie)
        try a.at(Moments.approveDiv).lists.approve(id, role: "div", actor: arie)
        var renamed = arie
        renamed.name = "A. Jansen (archivaris)"
        #expect(refusal { try a.at(Moments.approveArchivist).lists.approve(id, role: "archivist", actor: renamed) }.contains("four eyes"))
        let s = try a.lists.show(id)
        #expect(s.approvals.map(\.personId) == [Approvers.arie] && s.approvals.first?.osUser == "test")
        #expect(s.list.status == .proposed)
    }

    /// Approvals are given by registered persons with an approver period for that role on that day.
    @Test func approversMustBeRegisteredForTheRoleOnTheDay() throws {
        let a = try TestArchive.make()
        let id = try proposed(a)
        // A free-text name is no approver.
        #expect(refusal { try a.at(Moments.approveDiv).lists.approve(id, role: "div", actor: .test("Dora de Wit (DIV)")) }
                    .contains("registered person"))
        // A person who is not in the personnel register.
        #expect(refusal { _ = try a.person("P9999") }.contains("not a person id"))
        // A registered person without an approver period for the role.
        #expect(refusal { try a.at(Moments.approveDiv).lists.approve(id, role: "div", actor: try a.person("P0003")) }
                    .contains("not registered as approver"))
        // A DIV approver whose period ended (Mirjam Kuipers, until 2024-12-31).
        let ended = refusal { try a.at(Moments.approveDiv).lists.approve(id, role: "div", actor: try a.person(Approvers.mirjam)) }
        #expect(ended.contains("not registered as approver") && ended.contains("2024-12-31"))
        #expect(try a.lists.show(id).approvals.isEmpty)
        // Within her period she could have approved: the period is what counts.
        let early = try a.at(ISOTimestamp.parse("2024-06-03T09:00:00Z")!)
        #expect(refusal { try early.lists.approve(id, role: "div", actor: try a.person(Approvers.mirjam)) }.isEmpty)
    }

    @Test func executeRefusedUnlessApproved() throws {
        let a = try TestArchive.make()
        let id = try proposed(a)
        #expect(refusal { _ = try a.execute(id) }.contains("not approved"))
        try a.at(Moments.approveDiv).lists.approve(id, role: "div", actor: try a.person(Approvers.dora))
        #expect(refusal { _ = try a.execute(id) }.contains("needs approval as archivist"))
        #expect(try a.copies().allSatisfy { $0.state == "present" })
    }

    /// Destruction holds the store lock: while an ingest holds it, execution is refused and nothing is destroyed.
    @Test func executeRefusedWhileAnIngestHoldsTheStore() throws {
        let a = try TestArchive.make()
        let id = try a.proposeAndApprove()
        var held: StoreLock? = try a.workspace.lockStore(for: "ingest --mailbox x@krimpenerwaard.example", now: Moments.execute)
        #expect(refusal { _ = try a.execute(id) }.contains("busy"))
        #expect(try a.copies().allSatisfy { $0.state == "present" })
        #expect(held != nil)
        held = nil
        // What an interrupted ingest left half-appended to a pack (and, from an earlier version, in store/.incoming)
        // does not outlive the destruction.
        let incoming = a.workspace.store.root.appendingPathComponent(".incoming")
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
        try Data("half a copy of a message".utf8).write(to: incoming.appendingPathComponent("copy-1"))
        let packs = a.workspace.store.root.appendingPathComponent("packs")
        let last = try #require(try FileManager.default.contentsOfDirectory(atPath: packs.path).sorted().last)
        let handle = try FileHandle(forWritingTo: packs.appendingPathComponent(last))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("SLEN\u{1}\0\0\0half a copy of a message".utf8))
        try handle.close()
        #expect(try a.execute(id).destroyed == 12)
        #expect(!FileManager.default.fileExists(atPath: incoming.path))
        for name in try FileManager.default.contentsOfDirectory(atPath: packs.path) {
            #expect(try Data(contentsOf: packs.appendingPathComponent(name)).range(of: Data("half a copy".utf8)) == nil)
        }
    }

    @Test func executeRefusedDuringTheBedenktijdToTheSecond() throws {
        let a = try TestArchive.make()
        let id = try a.proposeAndApprove()
        let oneSecondEarly = Moments.bedenktijdOver.addingTimeInterval(-1)
        #expect(refusal { _ = try a.execute(id, at: oneSecondEarly) }.contains("bedenktijd"))
        #expect(try a.copies().allSatisfy { $0.state == "present" })
        #expect(try a.execute(id, at: Moments.bedenktijdOver).destroyed == 12)
    }

    @Test func executeRefusedWhenAlreadyExecuted() throws {
        let a = try TestArchive.make()
        let id = try a.proposeAndApprove()
        _ = try a.execute(id)
        #expect(refusal { _ = try a.execute(id) }.contains("already executed"))
        #expect(refusal { try a.at(Moments.execute).lists.reject(id, reason: "te laat", role: nil, actor: .test("D")) }.contains("already executed"))
        let entries = try a.workspace.catalog.read { try AuditTrail.entries($0, kind: .destruction) }
        #expect(entries.count == 2)
    }

    @Test func rejectedOrCancelledListsAreNeverExecuted() throws {
        let a = try TestArchive.make()
        let rejected = try a.proposeAndApprove()
        #expect(refusal { try a.at(Moments.approveArchivist).lists.reject(rejected, reason: " ", role: nil, actor: .test("D")) }.contains("reason"))
        // Rejection is possible during the bedenktijd: that is what it is for.
        try a.at(Moments.approveArchivist).lists.reject(rejected, reason: "Woo-verzoek verwacht", role: "archivist", actor: .test("Arie"))
        #expect(refusal { _ = try a.execute(rejected) }.contains("rejected"))
        #expect(refusal { try a.at(Moments.execute).lists.approve(rejected, role: "div", actor: try a.person(Approvers.dora)) }.contains("rejected"))
        // The copies are free again for a new list, which is then cancelled.
        let cancelled = try #require(try a.at(Moments.execute).lists.propose(policy: a.policy, asOf: Moments.asOf,
                                                         mailboxes: nil, withSubjects: false, actor: .test("P"))).snapshot
        #expect(cancelled.onList.count == 12)
        try a.at(Moments.execute).lists.cancel(cancelled.list.id, reason: nil, actor: .test("P"))
        #expect(refusal { _ = try a.execute(cancelled.list.id) }.contains("cancelled"))
        #expect(refusal { try a.at(Moments.execute).lists.cancel(cancelled.list.id, reason: nil, actor: .test("P")) }.contains("cancelled"))
        #expect(try a.copies().allSatisfy { $0.state == "present" })
    }
}

/// `optout purge`: the same machinery, no approvals, counts only.
@Suite struct OptOutPurgeTests {
    @Test func purgesOptedOutCopiesAndKeepsCountsOnly() throws {
        let a = try TestArchive.make()
        let before = try a.copies()
        let runs = try OptOutPurge(workspace: a.at(Moments.execute).workspace).purge(policy: a.policy, asOf: Moments.asOf, actor: .test("P"))
        // Fixtures/README.md: 4 messages in Privé/Persoonlijk folders and 2 with a Privé/prive keyword, all ground private.
        #expect(runs.count == 1)
        #expect(runs.first?.counts == [OptOutPurge.Count(mailbox: Boxes.devries, ground: "private", copies: 6,
                                                         bytes: runs.first?.counts.first?.bytes ?? -1)])
        let purged = try a.copies().filter { $0.state == "purged" }
        #expect(purged.count == 6 && purged.allSatisfy { $0.mailbox == Boxes.devries && $0.subject.isEmpty })
        let purgedSubjects = before.filter { b in purged.contains { $0.id == b.id } }.map(\.subject)
        #expect(purgedSubjects.contains("Huurcontract Voorstraat 14a"))
        for p in purged { #expect(!a.workspace.store.contains(p.sha256)) }
        #expect(runs.first?.counts.first?.bytes == before.filter { b in purged.contains { $0.id == b.id } }.reduce(0) { total, c in
            total + ((try? a.sql("SELECT size FROM message WHERE sha256 = ?", [c.sha256]) as Int64?) ?? 0)
        })
        // No trace of what they were: no journal items, no subjects in the audit trail.
        let items: Int? = try a.sql("SELECT COUNT(*) FROM destructionItem")
        #expect(items == 0)
        let audit = try a.workspace.catalog.read { try AuditTrail.entries($0, kind: .optOutPurge) }
        #expect(audit.count == 2)
        for e in audit { for s in purgedSubjects { #expect(!e.outcome.contains(s)) } }
        // Nothing else was touched; running again purges nothing.
        #expect(try a.copies().filter { $0.state == "present" }.count == before.count - 6)
        #expect(try OptOutPurge(workspace: a.at(Moments.execute).workspace).purge(policy: a.policy, asOf: Moments.asOf, actor: .test("P")).isEmpty)
    }

    /// The purge holds the store lock: while an ingest holds it, nothing is purged and no run is recorded.
    @Test func purgeRefusedWhileAnIngestHoldsTheStore() throws {
        let a = try TestArchive.make()
        func purge() throws -> [OptOutPurge.Run] {
            try OptOutPurge(workspace: a.at(Moments.execute).workspace).purge(policy: a.policy, asOf: Moments.asOf, actor: .test("P"))
        }
        var held: StoreLock? = try a.workspace.lockStore(for: "ingest --mailbox x@krimpenerwaard.example", now: Moments.execute)
        do { _ = try purge(); Issue.record("the purge ran while the store was locked") } catch {
            #expect("\(error)".contains("busy"))
        }
        #expect(try a.copies().allSatisfy { $0.state == "present" })
        let lists: Int? = try a.sql("SELECT COUNT(*) FROM destructionList")
        #expect(lists == 0)
        #expect(held != nil)
        held = nil
        #expect(try purge().count == 1)
    }

    @Test func nothingIsPurgedWhileTheWindowIsOpenOrUnderAHold() throws {
        let a = try TestArchive.make()
        _ = try RetentionStore(workspace: a.at(ISOTimestamp.parse("2025-07-01T08:00:00Z")!).workspace).addHold(
            zaaknummer: "Z-2025-0100", received: CivilDate(iso: "2025-07-01")!,
            criteria: MatchCriteria(mailboxes: [Boxes.devries]), actor: .test("woo"))
        // Windows opened at capture (2025-06-01) and close ten weeks later: on 2025-08-01 they are still open.
        let open = CivilDate(iso: "2025-08-01")!
        #expect(try OptOutPurge(workspace: a.at(Moments.execute).workspace).purge(policy: a.policy, asOf: open, actor: .test("P")).isEmpty)
        let later = Moments.asOf
        #expect(try OptOutPurge(workspace: a.at(Moments.execute).workspace).purge(policy: a.policy, asOf: later, actor: .test("P")).isEmpty)
        #expect(try a.copies().allSatisfy { $0.state == "present" })
    }
}

/// Destructive commands act on the real present only (issue 11 point 1; issue 19 point 3).
@Suite struct PresentOnlyTests {
    func refusal(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    /// `destroy propose --as-of` a date after today is refused, and nothing is recorded.
    @Test func aProposalForTheFutureIsRefused() throws {
        let a = try TestArchive.make()
        let early = try a.at(ISOTimestamp.parse("2026-12-04T10:00:00Z")!)
        let text = refusal {
            _ = try early.lists.propose(policy: a.policy, asOf: CivilDate(iso: "2033-06-01")!, mailboxes: nil, withSubjects: false, actor: .test("P"))
        }
        #expect(text.contains("2033-06-01") && text.contains("later than today") && text.contains("2026-12-04"))
        let lists: Int? = try a.sql("SELECT COUNT(*) FROM destructionList")
        #expect(lists == 0)
        // An earlier day is allowed (only what was due by then), and so is today (it means now).
        let past = try #require(try early.lists.propose(policy: a.policy, asOf: CivilDate(iso: "2025-06-01")!, mailboxes: nil, withSubjects: false,
                                                        actor: .test("P")))
        let today = try #require(try early.lists.propose(policy: a.policy, asOf: CivilDate(iso: "2026-12-04")!, mailboxes: nil, withSubjects: false,
                                                         actor: .test("P")))
        // In December 2026 no staff mail is due yet: only the functional mail (one year), four of it by June 2025.
        #expect(past.snapshot.onList.count == 4 && today.snapshot.onList.count == 2)
        #expect((past.snapshot.onList + today.snapshot.onList).allSatisfy { $0.mailbox == Boxes.info })
        #expect(try early.lists.propose(policy: a.policy, mailboxes: nil, withSubjects: false, actor: .test("P")) == nil)
    }

    /// `optout purge --as-of` a date after today is refused: windows still open must not be purged.
    @Test func aPurgeForTheFutureIsRefused() throws {
        let a = try TestArchive.make()
        // Captured 2025-06-01: the windows close in mid-August 2025; on 2025-07-01 they are open.
        let early = try a.at(ISOTimestamp.parse("2025-07-01T10:00:00Z")!)
        let text = refusal { _ = try OptOutPurge(workspace: early.workspace).purge(policy: a.policy, asOf: Moments.asOf, actor: .test("P")) }
        #expect(text.contains("later than today"))
        #expect(try OptOutPurge(workspace: early.workspace).purge(policy: a.policy, actor: .test("P")).isEmpty)
        #expect(try a.copies().allSatisfy { $0.state == "present" })
    }

    /// Execution re-decides every item as of the moment of execution, never as of the proposal's date: a list
    /// proposed while the mail was due is not carried out for mail that is no longer due when it is executed.
    @Test func executionDecidesAsOfNowNotTheProposalsDate() throws {
        let a = try TestArchive.make()
        // Proposed as of 2033-01-01 in 2033; the bedenktijd is over in 2033, but a Woo request received on 2032-12-01
        // (before the proposal's date, recorded after the proposal) covers info@: held now.
        let id = try a.proposeAndApprove()
        _ = try RetentionStore(workspace: a.at(Moments.approveArchivist).workspace).addHold(
            zaaknummer: "Z-2032-0099", received: CivilDate(iso: "2032-12-01")!, criteria: MatchCriteria(mailboxes: [Boxes.info]), actor: .test("woo"))
        let o = try a.execute(id)
        #expect(o.skipped.count == 6 && o.destroyed == 6)
        #expect(o.skipped.allSatisfy { ($0.reason ?? "").contains("woo:Z-2032-0099") })
    }

    /// A hold recorded while an execution runs stops every item it covers that is not yet deleted: each batch is decided
    /// again in the transaction that deletes it. The hold is added by a crash point between two batches.
    @Test func aHoldRecordedDuringExecutionStopsTheRemainingItems() throws {
        let a = try TestArchive.make()
        let id = try a.proposeAndApprove()
        var execution = DestructionExecution(workspace: try a.workspace.replaying(Moments.execute))
        execution.batchSize = 2
        // The list's order: info@ (6) then j.devries@ (6); after the first batch of two, the hold arrives.
        let hold = RetentionStore(workspace: try a.workspace.replaying(Moments.execute))
        let o = try execution.execute(id, policy: a.policy, actor: .test("E"), afterBatch: { batchesDone in
            if batchesDone == 1 {
                _ = try? hold.addHold(zaaknummer: "Z-2033-0100", received: CivilDate(iso: "2033-01-14")!,
                                      criteria: MatchCriteria(mailboxes: [Boxes.info, Boxes.devries]), actor: .test("woo"))
            }
        })
        #expect(o.destroyed == 2)
        #expect(o.skipped.count == 10 && o.skipped.allSatisfy { ($0.reason ?? "").contains("woo:Z-2033-0100") })
        #expect(try a.copies().filter { $0.state == "destroyed" }.count == 2)
        #expect(o.verklaring.skipped.count == 10)
    }
}

/// Destroyed means gone, everywhere (issue 19 point 6): no file of the workspace holds a destroyed message's words.
@Suite struct GoneEverywhereTests {
    /// Every file under `root` whose bytes contain `needle`.
    func files(under root: URL, containing needle: String) throws -> [String] {
        let bytes = Array(needle.utf8)
        var found: [String] = []
        let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in e where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let data = try Data(contentsOf: url)
            if data.withUnsafeBytes({ raw in
                let b = raw.bindMemory(to: UInt8.self)
                guard b.count >= bytes.count else { return false }
                for i in 0...(b.count - bytes.count) where b[i] == bytes[0] {
                    if (0..<bytes.count).allSatisfy({ b[i + $0] == bytes[$0] }) { return true }
                }
                return false
            }) { found.append(url.path) }
        }
        return found
    }

    @Test func noFileOfTheWorkspaceHoldsADestroyedMessagesWords() throws {
        let tmp = try TemporaryDirectory("marker")
        let dir = tmp.url
        let mbox = dir.appendingPathComponent("geheim.mbox")
        // A message of a functional mailbox, due in 2032, whose subject and body carry a word found nowhere else.
        try Data("""
            From a@example.org Wed Jan  1 10:00:00 2031
            From: Afzender <a@example.org>
            To: info2@krimpenerwaard.example
            Subject: Vertrouwelijk markerqxj7731zz
            Message-ID: <marker@example.org>
            Date: Wed, 01 Jan 2031 10:00:00 +0100

            De inhoud markerqxj7731zz staat alleen hier.

            """.utf8).write(to: mbox)
        let a = try TestArchive.make(extraMailboxes: ["info2@krimpenerwaard.example,functional,"],
                                     extraIngest: [("info2@krimpenerwaard.example", mbox.path)])
        _ = try RetentionEngine(workspace: a.workspace, policy: a.policy.policy).prepareTextIndex()
        #expect(try !files(under: a.workspace.root, containing: "qxj7731zz").isEmpty, "the marker is in the archive before")
        // A first list with subjects is cancelled; its list with subjects names the message.
        let first = try #require(try a.at(Moments.propose).lists.propose(policy: a.policy, asOf: Moments.asOf, mailboxes: nil,
                                                                         withSubjects: true, actor: .test("P")))
        let subjects = try #require(first.documents.csvWithSubjects)
        #expect(try String(contentsOf: subjects, encoding: .utf8).contains("markerqxj7731zz"))
        try a.at(Moments.propose).lists.cancel(first.snapshot.list.id, reason: "opnieuw", actor: .test("P"))
        let id = try a.proposeAndApprove(withSubjects: true)
        let o = try a.execute(id)
        #expect(o.destroyed == 13)
        #expect(try files(under: a.workspace.root, containing: "qxj7731zz") == [], "the destroyed message's words are in no file")
        #expect(!FileManager.default.fileExists(atPath: subjects.path))
    }

    /// A destroyed copy's folder name goes too (a one-way digest stays, so that the same export taken in again does not
    /// bring the copy back).
    @Test func aDestroyedCopysFolderNameIsGoneAndTheCopyDoesNotComeBack() throws {
        let tmp = try TemporaryDirectory("folder")
        let dir = tmp.appending("folder")
        let folder = dir.appendingPathComponent("Maildir/.Sollicitatiezwq4418kk/cur")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("Maildir/\(sub)"), withIntermediateDirectories: true)
        }
        try Data("From: a@example.org\nSubject: brief\nMessage-ID: <map@example.org>\nDate: Wed, 01 Jan 2031 10:00:00 +0100\n\ntekst\n".utf8)
            .write(to: folder.appendingPathComponent("1900000000.a:2,S"))
        let maildir = dir.appendingPathComponent("Maildir")
        let a = try TestArchive.make(extraMailboxes: ["info2@krimpenerwaard.example,functional,"],
                                     extraIngest: [("info2@krimpenerwaard.example", maildir.path)])
        #expect(try !files(under: a.workspace.root, containing: "zwq4418kk").isEmpty)
        let id = try a.proposeAndApprove()
        #expect(try a.execute(id).destroyed == 13)
        #expect(try files(under: a.workspace.root, containing: "zwq4418kk") == [])
        // Taking the same export in again adds nothing: the tombstone is recognised.
        let again = try Ingestor(workspace: a.workspace, now: Moments.execute).run(
            IngestRequest(mailbox: "info2@krimpenerwaard.example", paths: [maildir], actor: "test"))
        #expect(again.storedNew == 0 && again.alreadyPresent == 1)
        #expect(try a.copies().filter { $0.mailbox == "info2@krimpenerwaard.example" }.map(\.state) == ["destroyed"])
    }
}

