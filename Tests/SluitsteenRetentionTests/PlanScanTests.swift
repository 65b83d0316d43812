import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
import SluitsteenIndex
import SluitsteenIngest
import SluitsteenPolicy
import SluitsteenRetention
import SluitsteenSupport
import Testing

/// The plan's scan of every copy (issue 17): the index of migration `v24-plan-index`, the cursor that reads its
/// rows by position, and the text hits confirmed on several threads, each against the plain way of doing it.
@Suite struct PlanScanTests {
    let captured = ISOTimestamp.parse("2026-12-01T10:00:00Z")!

    /// A demo workspace with `count` generated messages in each of `mailboxes`: every third mentions the Brug
    /// Krimpen (as a phrase), every fifth has its words the other way round, every seventh has no Date header.
    func workspace(count: Int, mailboxes: [String]) throws -> Workspace {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-planscan-\(UUID().uuidString)")
        let ws = try Workspace.create(at: dir, kind: .demo, environment: [:]).replaying(captured)
        let ingestor = Ingestor(workspace: ws, now: captured)
        for (k, mailbox) in mailboxes.enumerated() {
            var mbox = ""
            for i in 0..<count {
                let n = (i * 7 + k * 3) % count  // the copies of one message in another order per mailbox
                var body = "Beste collega,\n\nOverleg \(n) over de planning, caf\u{E9} om tien uur.\n"
                if n % 3 == 0 { body += "Het gaat over de N210 Brug Krimpen en de kosten.\n" }
                if n % 5 == 0 { body += "Krimpen, de brug: later meer.\n" }
                let date = n % 7 == 0 ? "" : "Date: Mon, \(1 + n % 28) Jun 2021 10:\(10 + n % 50):00 +0200\n"
                mbox += "From sender@krimpenerwaard.example Mon Jun  7 10:00:00 2021\nFrom: sender@krimpenerwaard.example\n"
                    + "To: \(mailbox)\nSubject: Bericht \(n)\n\(date)Message-ID: <m\(n)@krimpenerwaard.example>\n\n\(body)\n"
            }
            let file = dir.appendingPathComponent("in-\(k).mbox")
            try Data(mbox.utf8).write(to: file)
            _ = try ingestor.run(IngestRequest(mailbox: mailbox, paths: [file], actor: "t"))
        }
        _ = try TextIndexer(workspace: ws).run()
        return ws
    }

    static let mailboxes = ["burgemeester@krimpenerwaard.example", "info@krimpenerwaard.example", "j.devries@krimpenerwaard.example"]

    @Test func theMigrationAddsThePlanIndexAndThePlanScansIt() throws {
        let ws = try workspace(count: 20, mailboxes: Self.mailboxes)
        defer { TemporaryDirectory.remove(ws.root) }
        let columns = try ws.catalog.read { db in
            try Row.fetchAll(db, sql: "PRAGMA index_info('copy_plan')").map { $0["name"] as String }
        }
        #expect(columns == ["mailbox", "folder", "position", "id", "state", "messageRowid", "capturedEpoch", "keywordsJSON"])
        for mailboxes in [nil, [Self.mailboxes[1]]] as [[String]?] {
            for addresses in [false, true] {
                var args: [any DatabaseValueConvertible] = []
                let sql = CopyDecisionRow.query(mailboxes: mailboxes, addresses: addresses, arguments: &args)
                let plan = try ws.catalog.read { db in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(args)).map { $0["detail"] as String }
                }
                #expect(plan.contains { $0.contains("COVERING INDEX copy_plan") }, "\(plan)")
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "the scan sorts: \(plan)")
            }
        }
    }

    /// The cursor reads the same rows as GRDB's own row decoding of the same statement, in the same order; a
    /// mailbox or folder name it keeps from the row before is the row's own.
    @Test func theCursorReadsWhatTheStatementReturns() throws {
        let ws = try workspace(count: 30, mailboxes: Self.mailboxes)
        defer { TemporaryDirectory.remove(ws.root) }
        // A transferred copy, to see the state read.
        try ws.catalog.write { db in try db.execute(sql: "UPDATE copy SET state = 'transferred' WHERE id % 4 = 0") }
        for addresses in [false, true] {
            var args: [any DatabaseValueConvertible] = []
            let sql = CopyDecisionRow.query(addresses: addresses, arguments: &args)
            let (viaCursor, viaRows) = try ws.catalog.read { db in
                var cursor = try CopyDecisionRow.fetchCursor(db, addresses: addresses)
                var rows: [[String?]] = []
                while let r = try cursor.next() {
                    rows.append([String(r.copyId), r.mailbox, r.sha256, String(r.size), r.messageId, r.date, r.dateEpoch.map(String.init),
                                 String(r.capturedEpoch), r.folder, r.state.rawValue, r.keywordsJSON, r.receivedEpoch.map(String.init),
                                 r.fromJSON, r.toJSON, r.ccJSON])
                }
                let plain = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row -> [String?] in
                    (0..<12).map { i in Self.text(row[i]) } + (addresses ? (12..<15).map { i in Self.text(row[i]) } : ["[]", "[]", "[]"])
                }
                return (rows, plain)
            }
            #expect(viaCursor.count == 90)
            #expect(viaCursor == viaRows)
            #expect(viaCursor.contains { $0[11] == nil } && viaCursor.contains { $0[9] == "transferred" })
            #expect(Set(viaCursor.map { $0[1] }).count == 3)
        }
    }

    /// The rows read into a batch (the message's texts as bytes, made into strings by the batch's reader) are the
    /// rows the cursor gives one by one: every column, with and without the address lists, in batches that are
    /// emptied and filled again, and with rows that have no date.
    @Test func theBatchGivesTheCursorsRows() throws {
        let ws = try workspace(count: 40, mailboxes: Self.mailboxes)
        defer { TemporaryDirectory.remove(ws.root) }
        try ws.catalog.write { db in
            try db.execute(sql: "UPDATE copy SET state = 'transferred' WHERE id % 5 = 0")
            try db.execute(sql: "UPDATE message SET date = NULL, dateEpoch = NULL WHERE rowid % 3 = 0")
            try db.execute(sql: "UPDATE message SET messageId = 'Ünïcode <é@x>' WHERE rowid % 4 = 0")
        }
        for addresses in [false, true] {
            let (one, batched) = try ws.catalog.read { db in
                var cursor = try CopyDecisionRow.fetchCursor(db, addresses: addresses)
                var one: [CopyDecisionRow] = []
                while let r = try cursor.next() { one.append(r) }
                var inBatches = try CopyDecisionRow.fetchCursor(db, addresses: addresses)
                var batch = CopyDecisionBatch(capacity: 4)
                var batched: [CopyDecisionRow] = []
                while try inBatches.next(into: &batch) {
                    if batch.count == 7 {
                        batched += (0..<batch.count).map { batch.row($0) }
                        batch.removeAll()
                    }
                }
                batched += (0..<batch.count).map { batch.row($0) }
                return (one, batched)
            }
            #expect(one.count == 120)
            #expect(batched == one)
            #expect(one.contains { $0.date == nil } && one.contains { $0.messageId.hasPrefix("Ü") } && one.contains { $0.state == .transferred })
            #expect(addresses == one.contains { $0.fromJSON != "[]" })
        }
    }

    /// A column as text, nil for NULL.
    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .blob(let b): b.base64EncodedString()
        }
    }

    /// The text hits confirmed on several threads, in batches, are those confirmed one by one on the caller's
    /// thread, over more found texts than one batch holds and for two targets.
    @Test func textHitsOnSeveralThreadsAreTheSerialOnes() throws {
        let ws = try workspace(count: 1_200, mailboxes: [Self.mailboxes[0]])
        defer { TemporaryDirectory.remove(ws.root) }
        let targets = [TextTarget(key: .hotspot(id: "1"), matcher: TextMatcher(terms: ["Brug Krimpen"])),
                       TextTarget(key: .hold(id: "2"), matcher: TextMatcher(terms: ["krimpen"]))]
        let serial = try ws.catalog.read { try TextIndex(threads: 1).hits(for: targets, in: $0, amongCopies: nil) }
        let parallel = try ws.catalog.read { try TextIndex(threads: 3).hits(for: targets, in: $0, amongCopies: nil) }
        #expect(parallel == serial)
        // Every third message holds the phrase; every fifth holds both words, never as the phrase.
        #expect(serial.values.filter { $0.contains(targets[0].key) }.count == 400)
        #expect(serial.values.filter { $0.contains(targets[1].key) }.count == 400 + 240 - 80)
        let some = try ws.catalog.read { try Int64.fetchAll($0, sql: "SELECT id FROM copy ORDER BY id LIMIT 300") }
        let among = try ws.catalog.read { try TextIndex(threads: 2).hits(for: targets, in: $0, amongCopies: some) }
        #expect(among == (try ws.catalog.read { try TextIndex(threads: 1).hits(for: targets, in: $0, amongCopies: some) }))
        #expect(!among.isEmpty && among.count < serial.count)
    }
}
