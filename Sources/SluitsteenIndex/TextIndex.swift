// SPDX-License-Identifier: EUPL-1.2
import GRDB
import SluitsteenPolicy

/// The full-text index read as a ``TextHitSource``: each term is looked up as an FTS5 phrase (SQLite tokenizes it
/// as it tokenized the text), and every message found is confirmed with the target's own ``TextMatcher`` on its
/// text. Reads only; ``TextIndexer`` writes the index.
public struct TextIndex: TextHitSource {
    public init() {}

    public func hits(for targets: [TextTarget], in db: Database, amongCopies copyIds: [Int64]?) throws -> [String: Set<String>] {
        var hits: [String: Set<String>] = [:]
        let among = copyIds.map { "[" + $0.sorted().map(String.init).joined(separator: ",") + "]" }
        for target in targets {
            let query = target.matcher.terms
                .map { TextMatcher.words(in: $0) }
                .filter { !$0.isEmpty }
                .map { "\"" + $0.joined(separator: " ").replacingOccurrences(of: "\"", with: "") + "\"" }
                .joined(separator: " OR ")
            guard !query.isEmpty else { continue }
            var sql = "SELECT sha256, text FROM messageText WHERE messageText MATCH ?"
            var args: StatementArguments = [query]
            if let among {
                sql += " AND rowid IN (SELECT messageRowid FROM copy WHERE id IN (SELECT value FROM json_each(?)))"
                args += [among]
            }
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
            while let row = try cursor.next() {
                let text: String = row[1]
                if target.matcher.matches(text) { hits[row[0], default: []].insert(target.key) }
            }
        }
        return hits
    }
}
