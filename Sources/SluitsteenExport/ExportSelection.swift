// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention

/// The serie a copy is placed in: one per designated hotspot, one for key persons' mail, one for the rest.
struct SerieSpec: Sendable, Hashable {
    /// Folder name and sort key (unique in the package).
    let folder: String
    let naam: String
    let kenmerk: String
    let categorieLabel: String
    let categorieCode: String?
    let categorieList: String
    let omschrijving: String
}

/// Chooses the copies to export and lays them out, on disk: the selection is streamed from the retention engine
/// into a scratch SQLite database (next to the package being built), so memory does not grow with the number of
/// messages. The plan orders copies by serie, mailbox, folder and position; the first copy of each message (by
/// SHA-256) in that order is the one whose bytes go into the package.
final class ExportSelection {
    let db: DatabaseQueue
    private(set) var series: [String: SerieSpec] = [:]
    private(set) var owners: [String: String] = [:]
    private(set) var count = 0

    /// The scratch database's page cache, which is also what its sorts hold in memory before they spill to
    /// temporary files.
    static let cacheKibibytes = 16384

    init(path: URL) throws {
        var config = Configuration()
        config.prepareDatabase { db in
            // A scratch database, read back in sorted order: no journal to speak of, and the sorts (not B-tree
            // indexes filled in random order, whose pages a small cache writes and reads again and again) do the ordering.
            try db.execute(sql: "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -\(ExportSelection.cacheKibibytes)")
        }
        db = try DatabaseQueue(path: path.path, configuration: config)
        try db.write { db in
            try db.execute(sql: """
                CREATE TABLE sel (
                    seq INTEGER PRIMARY KEY, copyId INTEGER NOT NULL, sha256 TEXT NOT NULL, messageId TEXT NOT NULL,
                    mailbox TEXT NOT NULL, folder TEXT NOT NULL, serie TEXT NOT NULL, messageDate TEXT NOT NULL,
                    holdRules TEXT NOT NULL
                );
                CREATE TABLE file (path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, kind INTEGER NOT NULL);
                CREATE TABLE leftOut (sha256 TEXT PRIMARY KEY);
                CREATE TABLE member (key BLOB NOT NULL, path TEXT NOT NULL, directory INTEGER NOT NULL, size INTEGER NOT NULL,
                                     source INTEGER NOT NULL, offset INTEGER NOT NULL, sha256 TEXT NOT NULL);
                """)
        }
    }

    /// Streams the decisions and keeps the selected copies. Returns the number selected.
    func select(_ request: ExportRequest, workspace: Workspace, policy: Policy) throws -> Int {
        let store = RetentionStore(workspace: workspace)
        let hotspots: [Hotspot]
        let registers: Registers?
        do {
            hotspots = try store.hotspots()
            registers = try store.registers()
        } catch { throw ExportError.retention(error) }
        if let registers {
            let names = Dictionary(registers.people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            for m in registers.mailboxes {
                owners[m.address] = m.personId.flatMap { names[$0] }
            }
        }
        let designated = Dictionary(hotspots.filter { $0.status == .designated }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let proposed = Set(hotspots.filter { $0.status == .proposed }.map(\.rule))
        for name in request.hotspots where designated[name] == nil {
            throw ExportError.invalidInput("there is no designated hotspot named '\(name)'. Designated hotspots: "
                + (designated.keys.sorted().joined(separator: ", ").nonEmpty ?? "none") + ".")
        }
        let filter = Set(request.hotspots)
        let archiefvormer = policy.archiefvormer.name
        // Serie folders: hotspot names made unique.
        var hotspotFolder: [String: String] = [:]
        var used: Set<String> = ["sleutelfunctionarissen", "overig"]
        for h in designated.values.sorted(by: { ($0.name, $0.id) < ($1.name, $1.id) }) {
            var folder = PackageNames.bounded("hotspot-" + PackageNames.slug(h.name, fallback: h.id), max: PackageNames.serieMax)
            if used.contains(folder.lowercased()) {
                folder = PackageNames.bounded("hotspot-" + PackageNames.slug(h.id, fallback: "x") + "-" + PackageNames.slug(h.name, fallback: "x"),
                                              max: PackageNames.serieMax)
            }
            used.insert(folder.lowercased())
            hotspotFolder[h.name] = folder
        }
        let bRules = [policy.keyPerson, policy.staff, policy.staffLeft, policy.functional].filter { $0.waardering == .bewaren }
        let asOfDate = AmsterdamTime.date(of: request.asOf)
        let tooi = policy.archiefvormer.tooi

        func serie(for d: Decision) -> SerieSpec {
            let hotspotNames = d.rules.compactMap(\.hotspotName).filter { designated[$0] != nil && (filter.isEmpty || filter.contains($0)) }
            if let name = hotspotNames.first, let h = designated[name], let folder = hotspotFolder[name] {
                return SerieSpec(folder: folder, naam: "E-mail over hotspot \(h.name)", kenmerk: "\(tooi)-email-serie-hotspot-\(h.id)",
                                 categorieLabel: h.name, categorieCode: h.decisionRef?.nonEmpty,
                                 categorieList: "Hotspotlijst \(archiefvormer)",
                                 omschrijving: "E-mail die valt onder de aangewezen hotspot \(h.name)"
                                    + (h.decisionRef.map { " (besluit \($0))" } ?? "") + "; blijvend te bewaren.")
            }
            if d.messageClass == .keyPerson {
                return SerieSpec(folder: "sleutelfunctionarissen", naam: "E-mail van sleutelfunctionarissen",
                                 kenmerk: "\(tooi)-email-serie-sleutelfunctionarissen",
                                 categorieLabel: "E-mail van sleutelfunctionarissen", categorieCode: policy.keyPerson.id,
                                 categorieList: policy.destruction.selectielijst,
                                 omschrijving: "E-mail van functionarissen in een sleutelfunctie (Capstone); blijvend te bewaren.")
            }
            let rule = d.rules.compactMap(\.baseRuleId).first { r in bRules.contains { $0.id == r } } ?? d.rules.last?.description ?? "b"
            return SerieSpec(folder: "overig", naam: "Overige blijvend te bewaren e-mail", kenmerk: "\(tooi)-email-serie-overig",
                             categorieLabel: "Blijvend te bewaren e-mail", categorieCode: rule,
                             categorieList: policy.destruction.selectielijst,
                             omschrijving: "Blijvend te bewaren e-mail buiten de sleutelfunctionarissen en hotspots.")
        }

        func selected(_ d: Decision) -> Bool {
            guard d.waardering == .bewaren else { return false }
            if !filter.isEmpty && !d.rules.contains(where: { $0.hotspotName.map(filter.contains) == true }) { return false }
            switch d.action {
            case .transferDue: return true
            case .retainPermanent: return request.allPermanent
            case .hold:
                if request.allPermanent { return true }
                // The decision under the hold: its due date follows from the B rule it cites.
                let term: ISODuration
                if let rule = bRules.first(where: { d.rules.contains(.base($0.id)) }) {
                    term = rule.after
                } else if d.rules.contains(where: { $0.hotspotName.map { designated[$0] != nil } == true }) {
                    term = policy.hotspotTransferAfter
                } else {
                    return false
                }
                return d.messageDate.adding(term) <= asOfDate
            default:
                return false
            }
        }

        var batch: [(CopyFacts, Decision, SerieSpec)] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            try db.write { db in
                let statement = try db.makeStatement(sql: """
                    INSERT INTO sel (copyId, sha256, messageId, mailbox, folder, serie, messageDate, holdRules)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for (c, d, s) in batch {
                    let holds = d.action == .hold ? d.rules.filter { $0.zaaknummer != nil || proposed.contains($0) }.map(\.description) : []
                    try statement.execute(arguments: [c.copyId, c.sha256, c.messageId, c.mailbox, c.folder, s.folder,
                                                      d.messageDate.iso, holds.joined(separator: " ")])
                }
            }
            batch.removeAll(keepingCapacity: true)
        }
        do throws(RetentionError) {
            // Hotspot and hold terms are found in the full-text index: brought up to date first (derived data).
            let engine = RetentionEngine(workspace: workspace, policy: policy)
            try engine.prepareTextIndexForTerms()
            try engine
                .forEachDecision(asOf: request.asOf, mailboxes: request.mailboxes.isEmpty ? nil : request.mailboxes) { decided in
                    guard decided.copy.state == .present, selected(decided.decision) else { return }
                    let s = serie(for: decided.decision)
                    series[s.folder] = s
                    batch.append((decided.copy, decided.decision, s))
                    count += 1
                    if batch.count >= 2048 { try flush() }
                }
        } catch {
            // The selection's own failure (its scratch database) comes back as it was thrown.
            if case .handler(let own) = error { throw own }
            throw ExportError.retention(error)
        }
        try flush()
        try db.write { db in
            try db.execute(sql: """
                CREATE TABLE plan AS
                    SELECT ROW_NUMBER() OVER (ORDER BY serie, seq) AS ord, s.* FROM sel s;
                CREATE UNIQUE INDEX plan_ord ON plan(ord);
                CREATE TABLE planx AS
                    SELECT ord,
                           MIN(ord) OVER (PARTITION BY sha256) AS primaryOrd,
                           FIRST_VALUE(serie) OVER (PARTITION BY sha256 ORDER BY ord) AS primarySerie,
                           FIRST_VALUE(mailbox) OVER (PARTITION BY sha256 ORDER BY ord) AS primaryMailbox,
                           FIRST_VALUE(sha256) OVER (PARTITION BY messageId ORDER BY ord) AS firstShaOfMessageId
                    FROM plan;
                CREATE UNIQUE INDEX planx_ord ON planx(ord);
                """)
        }
        return count
    }

    /// One row of the plan, in package order.
    struct Row: Sendable {
        let ord: Int64
        let copyId: Int64
        let sha256: String
        let messageId: String
        let mailbox: String
        let folder: String
        let serie: String
        let messageDate: String
        let holdRules: [String]
        let isPrimary: Bool
        let primarySerie: String
        let primaryMailbox: String
        let firstShaOfMessageId: String
    }

    /// The plan rows after `ord`, at most `limit`, from the selection's database `queue` (``db``; static, so that a
    /// reader on a thread of its own can call it).
    static func page(_ queue: DatabaseQueue, after ord: Int64, limit: Int) throws -> [Row] {
        try queue.read { db in
            try GRDB.Row.fetchAll(db, sql: """
                SELECT p.ord, p.copyId, p.sha256, p.messageId, p.mailbox, p.folder, p.serie, p.messageDate, p.holdRules,
                       x.primaryOrd = p.ord, x.primarySerie, x.primaryMailbox, x.firstShaOfMessageId
                FROM plan p JOIN planx x ON x.ord = p.ord WHERE p.ord > ? ORDER BY p.ord LIMIT ?
                """, arguments: [ord, limit]).map { r in
                let holds: String = r[8]
                return Row(ord: r[0], copyId: r[1], sha256: r[2], messageId: r[3], mailbox: r[4], folder: r[5], serie: r[6],
                           messageDate: r[7], holdRules: holds.isEmpty ? [] : holds.split(separator: " ").map(String.init),
                           isPrimary: r[9], primarySerie: r[10], primaryMailbox: r[11], firstShaOfMessageId: r[12])
            }
        }
    }

    /// First and last message date of every dossier (serie + mailbox) and of every serie.
    func coverage() throws -> (dossiers: [String: (String, String)], series: [String: (String, String)]) {
        try db.read { db in
            var d: [String: (String, String)] = [:]
            for r in try GRDB.Row.fetchAll(db, sql: "SELECT serie, mailbox, MIN(messageDate), MAX(messageDate) FROM plan GROUP BY serie, mailbox") {
                d[(r[0] as String) + "/" + (r[1] as String)] = (r[2], r[3])
            }
            var s: [String: (String, String)] = [:]
            for r in try GRDB.Row.fetchAll(db, sql: "SELECT serie, MIN(messageDate), MAX(messageDate) FROM plan GROUP BY serie") {
                s[r[0]] = (r[1], r[2])
            }
            return (d, s)
        }
    }

    /// Records files written to the package (path relative to the package root).
    func record(_ files: [WrittenFile]) throws { try Self.record(files, in: db) }

    /// ``record(_:)-([WrittenFile])`` on the selection's database `queue` (from the export's recorder thread).
    static func record(_ files: [WrittenFile], in queue: DatabaseQueue) throws {
        guard !files.isEmpty else { return }
        try queue.write { db in
            let statement = try db.makeStatement(sql: "INSERT INTO file (path, sha256, size, kind) VALUES (?, ?, ?, ?)")
            for f in files { try statement.execute(arguments: [f.path, f.sha256, f.size, f.kind.rawValue]) }
        }
    }

    /// Every recorded file in UTF-8 byte order of its path. Two files recorded under one path would be two files
    /// written to one place: that stops the export.
    func forEachFile(_ body: (WrittenFile) throws -> Void) throws {
        try db.read { db in
            let cursor = try GRDB.Row.fetchCursor(db, sql: "SELECT path, sha256, size, kind FROM file ORDER BY path")
            var last: String? = nil
            while let r = try cursor.next() {
                let file = WrittenFile(path: r[0], sha256: r[1], size: r[2], kind: WrittenFile.Kind(rawValue: r[3]) ?? .content)
                if file.path == last {
                    throw ExportError.cannotWrite(file.path, reason: "two files of the package were written under this one name")
                }
                last = file.path
                try body(file)
            }
        }
    }

    /// Records members of a tar being built without a staging folder (see ``TarMember``).
    func record(_ members: [TarMember]) throws { try Self.record(members, in: db) }

    /// ``record(_:)-([TarMember])`` on the selection's database `queue` (from the export's recorder thread).
    static func record(_ members: [TarMember], in queue: DatabaseQueue) throws {
        guard !members.isEmpty else { return }
        try queue.write { db in
            let statement = try db.makeStatement(sql: """
                INSERT INTO member (key, path, directory, size, source, offset, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for m in members {
                try statement.execute(arguments: [TarMember.key(m.path), m.path, m.isDirectory, m.size, m.source.rawValue, m.offset, m.sha256])
            }
        }
    }

    /// Every recorded tar member in the tar's order (folders before their contents, names in UTF-8 byte order), once
    /// each: a folder recorded twice (staged and named by a message) is given once.
    func forEachMember(_ body: (TarMember) throws -> Void) throws {
        try db.read { db in
            let cursor = try GRDB.Row.fetchCursor(db, sql: """
                SELECT path, directory, size, source, offset, sha256 FROM member ORDER BY key, rowid
                """)
            var last: String? = nil
            while let r = try cursor.next() {
                let path: String = r[0]
                if path == last { continue }
                last = path
                try body(TarMember(path: path, isDirectory: r[1], size: r[2], source: TarMember.Source(rawValue: r[3]) ?? .staged,
                                   offset: r[4], sha256: r[5]))
            }
        }
    }

    /// Where a copy came from, for naming it in an error found while the tar is written: its Message-ID, mailbox and
    /// folder.
    func about(sha256: String) -> String {
        let row = try? db.read { db in
            try GRDB.Row.fetchOne(db, sql: "SELECT messageId, mailbox, folder FROM sel WHERE sha256 = ? ORDER BY seq LIMIT 1",
                                  arguments: [sha256])
        }
        guard let row = row ?? nil else { return "stored message \(sha256)" }
        let folder: String = row[2]
        return "message \(ExportError.brief(row[0], max: 100)) in mailbox \(row[1] as String), "
            + "folder \(folder.isEmpty ? "(top)" : ExportError.brief(folder, max: 100))"
    }

    /// Leaves the message with this SHA-256 out of the package: none of its copies is recorded as exported.
    func leaveOut(_ sha256: String) throws {
        try db.write { db in try db.execute(sql: "INSERT OR IGNORE INTO leftOut (sha256) VALUES (?)", arguments: [sha256]) }
    }

    /// Every selected copy that is in the package: (copy id, sha256).
    func forEachCopy(_ body: (Int64, String) throws -> Void) throws {
        try db.read { db in
            let cursor = try GRDB.Row.fetchCursor(db, sql: """
                SELECT copyId, sha256 FROM sel WHERE sha256 NOT IN (SELECT sha256 FROM leftOut) ORDER BY copyId
                """)
            while let r = try cursor.next() { try body(r[0], r[1]) }
        }
    }
}

/// A file written into the package.
struct WrittenFile: Sendable {
    enum Kind: Int, Sendable { case content = 0, bestandSidecar = 1, objectSidecar = 2, pakbon = 3 }
    let path: String
    let sha256: String
    let size: Int64
    let kind: Kind
}

/// A member of a tar written straight from its sources (`--container tar`): a folder, a file of the staging folder
/// (the few that are not per message), a sidecar in the export's spool file, or a message's bytes in the store.
struct TarMember: Sendable {
    enum Source: Int, Sendable { case staged = 0, spool = 1, stored = 2 }
    /// Relative to the folder that is packed (the package root, or the bag).
    let path: String
    let isDirectory: Bool
    let size: Int64
    let source: Source
    /// Where a spooled member starts in the spool file.
    let offset: Int64
    /// The SHA-256 of a stored member (checked while it is copied).
    let sha256: String

    init(path: String, isDirectory: Bool = false, size: Int64 = 0, source: Source = .staged, offset: Int64 = 0, sha256: String = "") {
        self.path = path
        self.isDirectory = isDirectory
        self.size = size
        self.source = source
        self.offset = offset
        self.sha256 = sha256
    }

    /// The sort key of a path in the tar's order: its UTF-8 bytes with every `/` made 0x01, which sorts below every
    /// byte a name holds, so that byte order is the order of a walk that lists a folder's names sorted, each folder
    /// followed by its contents (``FolderWalk``).
    static func key(_ path: String) -> Data {
        Data(path.utf8.map { $0 == UInt8(ascii: "/") ? 1 : $0 })
    }
}

extension String {
    /// nil when empty or only whitespace (a scan that stops at the first other character: trimming a copy of every
    /// subject cost the export 3 % of its time).
    var nonEmpty: String? { unicodeScalars.contains { !String.whitespace.contains($0) } ? self : nil }

    private static let whitespace = CharacterSet.whitespacesAndNewlines
}
