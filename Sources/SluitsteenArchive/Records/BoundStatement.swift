// SPDX-License-Identifier: EUPL-1.2
import GRDB
import GRDBSQLite

/// A prepared GRDB statement driven through SQLite's own binding calls, for the capture writer's inner loop: it
/// runs once or twice per message, and binding through `StatementArguments` cost more than SQLite's own work.
/// Values are bound by position (1-based) and copied by SQLite (`SQLITE_TRANSIENT`).
struct BoundStatement {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    func bind(_ index: Int32, _ value: String) {
        guard !value.isEmpty else {
            sqlite3_bind_text(handle, index, "", 0, BoundStatement.transient)
            return
        }
        var value = value
        value.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                _ = sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count), BoundStatement.transient)
            }
        }
    }

    func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }

    func bind(_ index: Int32, _ value: Bool) { sqlite3_bind_int64(handle, index, value ? 1 : 0) }

    /// Runs the statement; returns the first column of its first row as an integer, when it returns a row.
    @discardableResult
    func step() throws(ArchiveError) -> Int64? {
        defer { sqlite3_reset(handle) }
        var result: Int64?
        var code = sqlite3_step(handle)
        if code == SQLITE_ROW {
            result = sqlite3_column_int64(handle, 0)
            // Run to the end, so that the statement's effects are complete before it is reset.
            repeat { code = sqlite3_step(handle) } while code == SQLITE_ROW
        }
        guard code == SQLITE_DONE else {
            let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "SQLite error \(code)"
            throw .batchNotKept(message)
        }
        return result
    }
}
