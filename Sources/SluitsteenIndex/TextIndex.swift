// SPDX-License-Identifier: EUPL-1.2
import GRDB
import SluitsteenArchive
import SluitsteenPolicy

/// The full-text index read as a ``TextHitSource``: each term is looked up as an FTS5 phrase (SQLite tokenizes it
/// as it tokenized the text), and every message found is confirmed with the target's own ``TextMatcher`` on its
/// text. Reads only; ``TextIndexer`` writes the index.
public struct TextIndex: TextHitSource {
    public init() {}

    public func hits(for targets: [TextTarget], in db: Database, amongCopies copyIds: [Int64]?) throws -> [String: Set<TextHitKey>] {
        var hits: [String: Set<TextHitKey>] = [:]
        for target in targets {
            let query = target.matcher.terms
                .map { TextMatcher.words(in: $0) }
                .filter { !$0.isEmpty }
                .map { "\"" + $0.joined(separator: " ").replacingOccurrences(of: "\"", with: "") + "\"" }
                .joined(separator: " OR ")
            guard !query.isEmpty else { continue }
            try MessageText.forEachMatch(db, query: query, amongCopies: copyIds) { sha256, text in
                if target.matcher.matches(text) { hits[sha256, default: []].insert(target.key) }
            }
        }
        return hits
    }
}
