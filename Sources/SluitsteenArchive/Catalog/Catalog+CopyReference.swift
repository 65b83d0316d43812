// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenSupport

/// Where a copy stands, as a records office says it: present, destroyed by which vernietigingslijst, removed by an
/// opt-out purge, or transferred in which package; and whether the catalog still holds its message's description.
public struct CopyStanding: Sendable, Equatable {
    public var state: CopyState
    /// The vernietigingslijst that destroyed the copy (state `destroyed`).
    public var destructionList: String?
    /// The confirmed package that transferred the copy (state `transferred`).
    public var package: String?
    /// False once the message's last copy went and its description (subject, addresses, attachment names, folder)
    /// was scrubbed (``PersonalData``): what a listing shows is then what lawfully remains.
    public var descriptionKept: Bool

    public init(state: CopyState, destructionList: String? = nil, package: String? = nil, descriptionKept: Bool = true) {
        self.state = state
        self.destructionList = destructionList
        self.package = package
        self.descriptionKept = descriptionKept
    }

    /// The state in Dutch words: `aanwezig`, `vernietigd (VL-2033-001)`, `verwijderd (opt-out)`,
    /// `overgebracht (pakket …)`.
    public var dutch: String {
        switch state {
        case .present: return "aanwezig"
        case .destroyed: return "vernietigd" + (destructionList.map { " (\($0))" } ?? "")
        case .purged: return "verwijderd (opt-out)"
        case .transferred: return "overgebracht" + (package.map { " (pakket \($0))" } ?? "")
        }
    }

    /// Extra columns of a listing: the list that destroyed a destroyed copy, the confirmed package of a transferred one
    /// (looked up only for such copies), and whether the message is still stored.
    static let columnsSQL = """
        CASE WHEN c.state = 'destroyed' THEN (SELECT d.listId FROM destructionItem d WHERE d.copyId = c.id AND d.state = 'destroyed'
             ORDER BY d.listId LIMIT 1) END AS standingList,
        CASE WHEN c.state = 'transferred' THEN (SELECT e.packageId FROM exportItem e JOIN exportPackage p ON p.id = e.packageId
             WHERE e.copyId = c.id AND p.confirmedAt IS NOT NULL ORDER BY p.confirmedAt, p.id LIMIT 1) END AS standingPackage,
        m.contentState AS standingContent
        """

    init(row: Row) {
        state = row["state"]
        destructionList = row["standingList"]
        package = row["standingPackage"]
        descriptionKept = (row["standingContent"] as String?) == ContentState.stored.rawValue
    }
}

extension Catalog {
    /// The listing's query: every copy with its standing.
    private static let listingSQL =
        "SELECT \(CatalogCopy.columnsSQL), \(CopyStanding.columnsSQL) FROM copy c JOIN message m ON m.sha256 = c.sha256"

    /// Calls `body` for every copy (optionally of one mailbox) with its standing, in the order of
    /// ``forEachCopy(mailbox:_:)``. Streams: memory does not grow with the catalog.
    public func forEachListedCopy(mailbox: String? = nil, _ body: (CatalogCopy, CopyStanding) throws -> Void) throws {
        try read { db throws in
            var sql = Self.listingSQL
            var args: StatementArguments = []
            if let mailbox { sql += " WHERE c.mailbox = ?"; args = [mailbox.lowercased()] }
            sql += " ORDER BY c.mailbox, c.folder, c.position, c.id"
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
            while let row = try cursor.next() { try body(CatalogCopy(row: row), CopyStanding(row: row)) }
        }
    }

    /// The standing of each of the given copies (absent: no such copy).
    public func standings(copyIds: Set<Int64>) throws(ArchiveError) -> [Int64: CopyStanding] {
        guard !copyIds.isEmpty else { return [:] }
        return try read(throwing: ArchiveError.self) { db in
            var out: [Int64: CopyStanding] = [:]
            let rows = try Row.fetchAll(db, sql: "SELECT c.id AS copyId, c.state, \(CopyStanding.columnsSQL) FROM copy c "
                + "JOIN message m ON m.sha256 = c.sha256 WHERE c.id IN (SELECT value FROM json_each(?))",
                arguments: [JSONText.array(copyIds.sorted().map(String.init))])
            for row in rows { out[row["copyId"]] = CopyStanding(row: row) }
            return out
        }
    }

    /// The copies a user names: by copy number (the catalog's copy id, the first column of `messages` and `search`;
    /// ids are never reused, so a number keeps naming the same copy, also after it was destroyed), or by Message-ID
    /// (with or without `< >`), within `mailbox` when given. Every state is included; the caller decides what it may do
    /// with a copy that is gone.
    ///
    /// - Throws: ``ArchiveError/notFound(_:)`` when nothing matches; ``ArchiveError/copyElsewhere(copy:mailbox:actual:)``
    ///   when the numbered copy is in another mailbox than `mailbox`; ``ArchiveError/ambiguousCopy(_:candidates:)`` when
    ///   a Message-ID without a mailbox is in more than one mailbox (the candidates are listed with their numbers).
    public func copies(number: Int64?, messageId: String?, mailbox: String?) throws(ArchiveError) -> [CatalogCopy] {
        let box = mailbox?.trimmingCharacters(in: .whitespaces).lowercased()
        if let number {
            guard let found = try copy(number: number) else { throw .notFound("copy \(number)") }
            if let box, !box.isEmpty, found.mailbox != box { throw .copyElsewhere(copy: number, mailbox: box, actual: found.mailbox) }
            if let messageId, Catalog.canonicalMessageId(messageId) != found.messageId {
                throw .notFound("copy \(number) with Message-ID \(Catalog.canonicalMessageId(messageId)) "
                    + "(copy \(number) is \(found.messageId))")
            }
            return [found]
        }
        guard let messageId, !messageId.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .notFound("a copy without a copy number or Message-ID")
        }
        let id = Catalog.canonicalMessageId(messageId)
        if let box, !box.isEmpty {
            let found = try copies(mailbox: box, messageId: id)
            guard !found.isEmpty else { throw .notFound("message \(id) in mailbox \(box)") }
            return found
        }
        let found = try read(throwing: ArchiveError.self) { db in
            try Row.fetchAll(db, sql: CatalogCopy.selectSQL + " WHERE m.messageId = ? ORDER BY c.mailbox, c.id", arguments: [id])
                .map(CatalogCopy.init(row:))
        }
        guard !found.isEmpty else { throw .notFound("message \(id)") }
        guard Set(found.map(\.mailbox)).count == 1 else {
            throw .ambiguousCopy("message \(id)", candidates: found.map(Self.candidateText))
        }
        return found
    }

    /// The copy with number (id) `number`, in any state.
    private func copy(number: Int64) throws(ArchiveError) -> CatalogCopy? {
        try read(throwing: ArchiveError.self) { db in
            try Row.fetchOne(db, sql: CatalogCopy.selectSQL + " WHERE c.id = ?", arguments: [number]).map(CatalogCopy.init(row:))
        }
    }

    /// One candidate of an ambiguous reference: number, mailbox, date and state (no subject: an error message may be
    /// read by someone who may not read the mail).
    static func candidateText(_ c: CatalogCopy) -> String {
        "copy \(c.copyId): mailbox \(c.mailbox), \(c.date.map { String($0.prefix(10)) } ?? "no date"), \(c.state.rawValue)"
    }
}
