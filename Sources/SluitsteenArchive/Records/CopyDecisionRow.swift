// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import GRDBSQLite

/// A copy still in the archive with the facts of it and its message that a retention decision needs: what the
/// retention stage streams through its decisions (a plan reads every copy of the archive this way).
public struct CopyDecisionRow: Sendable, Equatable {
    public var copyId: Int64
    public var mailbox: String
    public var sha256: String
    public var size: Int64
    public var messageId: String
    /// The Date header, ISO 8601 with its offset.
    public var date: String?
    public var dateEpoch: Int64?
    public var capturedEpoch: Int64
    public var folder: String
    public var state: CopyState
    /// The keywords from the mailbox owner's side (a JSON list of strings).
    public var keywordsJSON: String
    public var receivedEpoch: Int64?
    /// The sender, addressee and cc lists (``CatalogAddress`` JSON); `[]` unless asked for.
    public var fromJSON: String
    public var toJSON: String
    public var ccJSON: String
}

extension CopyDecisionRow {
    /// A cursor over every copy still in the archive (present or transferred), in catalog order (mailbox, folder,
    /// position, id): optionally only in `mailboxes`, or only the copies `copyIds`; with `addresses`, the address
    /// lists are read too. Streams: memory does not grow with the archive.
    ///
    /// The plan's hot path: one statement that walks the copies in the index `copy_plan` (migration
    /// `v24-plan-index`: the copy's columns in catalog order, so no sort and no visit of the copy table) and joins
    /// each to its message by rowid; its columns are read by position straight from SQLite.
    public static func fetchCursor(_ db: Database, mailboxes: [String]? = nil, copyIds: Set<Int64>? = nil,
                                   addresses: Bool) throws -> CopyDecisionCursor {
        var args: [any DatabaseValueConvertible] = []
        let sql = query(mailboxes: mailboxes, copyIds: copyIds, addresses: addresses, arguments: &args)
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(StatementArguments(args))
        return try CopyDecisionCursor(statement: statement, addresses: addresses)
    }

    /// The statement of ``fetchCursor(_:mailboxes:copyIds:addresses:)``, its arguments appended to `arguments`.
    public static func query(mailboxes: [String]? = nil, copyIds: Set<Int64>? = nil, addresses: Bool,
                             arguments args: inout [any DatabaseValueConvertible]) -> String {
        // The SHA-256 is the message's: `messageRowid` is the rowid of the message with the copy's SHA-256, and the
        // message row is read anyway (the index stays smaller without the 64 characters).
        var sql = """
            SELECT c.id, c.mailbox, m.sha256, m.size, m.messageId, m.date, m.dateEpoch, c.capturedEpoch, c.folder, c.state,
                   c.keywordsJSON, m.receivedEpoch\(addresses ? ", m.fromJSON, m.toJSON, m.ccJSON" : "")
            FROM copy c JOIN message m ON m.rowid = c.messageRowid
            WHERE c.state IN ('present', 'transferred')
            """
        if let mailboxes, !mailboxes.isEmpty {
            sql += " AND c.mailbox IN (\(mailboxes.map { _ in "?" }.joined(separator: ",")))"
            args += mailboxes.map { $0.lowercased() }
        }
        if let copyIds {
            sql += " AND c.id IN (SELECT value FROM json_each(?))"
            args.append("[" + copyIds.sorted().map(String.init).joined(separator: ",") + "]")
        }
        sql += " ORDER BY c.mailbox, c.folder, c.position, c.id"
        return sql
    }
}

/// The rows of ``CopyDecisionRow/fetchCursor(_:mailboxes:copyIds:addresses:)``, read by position from SQLite's
/// own column calls: a plan reads a million of them, and a mailbox or folder name equal to the previous row's is
/// not made again (consecutive rows share them).
public struct CopyDecisionCursor {
    private let cursor: RowCursor
    private let handle: OpaquePointer
    private let addresses: Bool
    private var lastMailbox = ""
    private var lastFolder = ""

    init(statement: Statement, addresses: Bool) throws {
        cursor = try Row.fetchCursor(statement)
        handle = statement.sqliteStatement
        self.addresses = addresses
    }

    /// The current row's mailbox, folder, state and keywords, whose strings are shared with the previous row's when
    /// equal (rows come ordered by mailbox and folder).
    private mutating func sharedTexts() -> (mailbox: String, folder: String, state: CopyState, keywords: String) {
        let mailbox = Self.text(handle, 1, reusing: lastMailbox)
        lastMailbox = mailbox
        let folder = Self.text(handle, 8, reusing: lastFolder)
        lastFolder = folder
        // The state is compared as bytes: the WHERE clause admits only `present` and `transferred`.
        let state: CopyState = sqlite3_column_bytes(handle, 9) == 11 ? .transferred : .present
        return (mailbox, folder, state, Self.text(handle, 10, reusing: "[]"))
    }

    /// Appends the next row to `batch`; false at the end. The message's own texts (SHA-256, Message-ID, date and the
    /// address lists) are copied as bytes into the batch, not made into strings: that is done by whoever reads the
    /// batch (``CopyDecisionBatch/row(_:)``), on its own thread. (A plan's reader thread is its slower stage, and three
    /// strings a row, freed on the other thread, cost it a fifth of its time in `malloc`.)
    public mutating func next(into batch: inout CopyDecisionBatch) throws -> Bool {
        guard try cursor.next() != nil else { return false }
        let (mailbox, folder, state, keywords) = sharedTexts()
        var fixed = CopyDecisionBatch.Fixed(
            copyId: sqlite3_column_int64(handle, 0), size: sqlite3_column_int64(handle, 3), dateEpoch: Self.optionalInt(handle, 6),
            capturedEpoch: sqlite3_column_int64(handle, 7), receivedEpoch: Self.optionalInt(handle, 11), state: state,
            mailbox: mailbox, folder: folder, keywordsJSON: keywords)
        fixed.sha256 = batch.append(Self.bytes(handle, 2))
        fixed.messageId = batch.append(Self.bytes(handle, 4))
        fixed.date = sqlite3_column_type(handle, 5) == SQLITE_NULL ? nil : batch.append(Self.bytes(handle, 5))
        if addresses {
            fixed.from = batch.append(Self.bytes(handle, 12))
            fixed.to = batch.append(Self.bytes(handle, 13))
            fixed.cc = batch.append(Self.bytes(handle, 14))
        }
        batch.rows.append(fixed)
        return true
    }

    /// The next row, or nil at the end.
    public mutating func next() throws -> CopyDecisionRow? {
        guard try cursor.next() != nil else { return nil }
        let (mailbox, folder, state, keywords) = sharedTexts()
        return CopyDecisionRow(
            copyId: sqlite3_column_int64(handle, 0), mailbox: mailbox, sha256: Self.text(handle, 2), size: sqlite3_column_int64(handle, 3),
            messageId: Self.text(handle, 4), date: Self.optionalText(handle, 5), dateEpoch: Self.optionalInt(handle, 6),
            capturedEpoch: sqlite3_column_int64(handle, 7), folder: folder, state: state, keywordsJSON: keywords,
            receivedEpoch: Self.optionalInt(handle, 11),
            fromJSON: addresses ? Self.text(handle, 12) : "[]", toJSON: addresses ? Self.text(handle, 13) : "[]",
            ccJSON: addresses ? Self.text(handle, 14) : "[]")
    }

    @inline(__always)
    private static func bytes(_ handle: OpaquePointer, _ column: Int32) -> UnsafeBufferPointer<UInt8> {
        // sqlite3_column_text before sqlite3_column_bytes, as SQLite asks (the count is of the text form).
        guard let text = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
    }

    @inline(__always)
    private static func text(_ handle: OpaquePointer, _ column: Int32) -> String {
        String(decoding: bytes(handle, column), as: UTF8.self)
    }

    /// The column's text, or `previous` itself when the bytes are the same (no new string).
    @inline(__always)
    private static func text(_ handle: OpaquePointer, _ column: Int32, reusing previous: String) -> String {
        let b = bytes(handle, column)
        let same = previous.utf8.withContiguousStorageIfAvailable { p in
            p.count == b.count && (b.isEmpty || memcmp(p.baseAddress!, b.baseAddress!, b.count) == 0)
        }
        return same == true ? previous : String(decoding: b, as: UTF8.self)
    }

    @inline(__always)
    private static func optionalText(_ handle: OpaquePointer, _ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(handle, column)
    }

    @inline(__always)
    private static func optionalInt(_ handle: OpaquePointer, _ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }
}

/// Rows of ``CopyDecisionCursor``, read by ``CopyDecisionCursor/next(into:)``: the message's texts of every row in
/// one byte buffer, made into strings by ``row(_:)`` (which gives what ``CopyDecisionCursor/next()`` gives).
public struct CopyDecisionBatch: Sendable {
    /// Where a text is in `bytes`.
    struct Span: Sendable {
        var start: Int32
        var count: Int32
    }

    /// A row's columns other than the message's texts.
    struct Fixed: Sendable {
        var copyId: Int64
        var size: Int64
        var dateEpoch: Int64?
        var capturedEpoch: Int64
        var receivedEpoch: Int64?
        var state: CopyState
        var mailbox: String
        var folder: String
        var keywordsJSON: String
        var sha256 = Span(start: 0, count: 0)
        var messageId = Span(start: 0, count: 0)
        var date: Span?
        var from: Span?
        var to: Span?
        var cc: Span?
    }

    var rows: [Fixed] = []
    var bytes: [UInt8] = []

    public init(capacity: Int) {
        rows.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * 128)
    }

    /// The number of rows.
    public var count: Int { rows.count }

    /// Empties the batch, keeping its memory.
    public mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    mutating func append(_ text: UnsafeBufferPointer<UInt8>) -> Span {
        let span = Span(start: Int32(truncatingIfNeeded: bytes.count), count: Int32(truncatingIfNeeded: text.count))
        bytes.append(contentsOf: text)
        return span
    }

    /// Row `i`, as ``CopyDecisionCursor/next()`` gives it.
    public func row(_ i: Int) -> CopyDecisionRow {
        let r = rows[i]
        return bytes.withUnsafeBufferPointer { b in
            func text(_ span: Span) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: b[Int(span.start)..<Int(span.start) + Int(span.count)]), as: UTF8.self)
            }
            return CopyDecisionRow(
                copyId: r.copyId, mailbox: r.mailbox, sha256: text(r.sha256), size: r.size, messageId: text(r.messageId),
                date: r.date.map(text), dateEpoch: r.dateEpoch, capturedEpoch: r.capturedEpoch, folder: r.folder, state: r.state,
                keywordsJSON: r.keywordsJSON, receivedEpoch: r.receivedEpoch, fromJSON: r.from.map(text) ?? "[]",
                toJSON: r.to.map(text) ?? "[]", ccJSON: r.cc.map(text) ?? "[]")
        }
    }
}
