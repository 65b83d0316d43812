// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// The full-text index read as a ``TextHitSource``: each term is looked up as an FTS5 phrase (SQLite tokenizes it
/// as it tokenized the text), and every message found is confirmed with the target's own ``TextMatcher`` on its
/// text. Reads only; ``TextIndexer`` writes the index.
///
/// The confirming is most of the work (every found text is split into folded words): with more than one thread,
/// the caller's thread reads the found texts in batches while a confirming stage checks each batch on `threads`
/// threads. The hits are the same either way: each text is confirmed on its own.
public struct TextIndex: TextHitSource {
    /// The threads that confirm the found texts; 1 confirms each text on the caller's thread as it is read.
    public var threads: Int

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.threads = max(1, threads)
    }

    public func hits(for targets: [TextTarget], in db: Database, amongCopies copyIds: [Int64]?) throws -> [String: Set<TextHitKey>] {
        guard threads > 1 else { return try serialHits(for: targets, in: db, amongCopies: copyIds) }
        let threads = threads
        // At most two batches wait for, or are in, the confirming stage (bounded memory).
        let confirming = PipelineCommitter<FoundTexts, [String: Set<TextHitKey>], Never>(
            name: "sluitsteen.text-hits", backlog: 2, state: [:]
        ) { found, hits in
            let matcher = found.matcher
            let texts = found.texts
            let confirmed = parallelMap(count: texts.count, workers: [Void](repeating: (), count: threads), chunk: 8) { _, i in
                matcher.matches(texts[i].text)
            }
            for (i, ok) in confirmed.enumerated() where ok { hits[texts[i].sha256, default: []].insert(found.key) }
        }
        var ended = false
        defer { if !ended { confirming.drain() } }
        for target in targets {
            let query = Self.query(target)
            guard !query.isEmpty else { continue }
            var batch: [(sha256: String, text: String)] = []
            batch.reserveCapacity(FoundTexts.size)
            try MessageText.forEachMatch(db, query: query, amongCopies: copyIds) { sha256, text in
                batch.append((sha256, text))
                if batch.count == FoundTexts.size {
                    confirming.submit(FoundTexts(key: target.key, matcher: target.matcher, texts: batch))
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { confirming.submit(FoundTexts(key: target.key, matcher: target.matcher, texts: batch)) }
        }
        ended = true
        return confirming.finish()
    }

    /// Every found text confirmed on the caller's thread, as it is read.
    private func serialHits(for targets: [TextTarget], in db: Database, amongCopies copyIds: [Int64]?) throws -> [String: Set<TextHitKey>] {
        var hits: [String: Set<TextHitKey>] = [:]
        for target in targets {
            let query = Self.query(target)
            guard !query.isEmpty else { continue }
            try MessageText.forEachMatch(db, query: query, amongCopies: copyIds) { sha256, text in
                if target.matcher.matches(text) { hits[sha256, default: []].insert(target.key) }
            }
        }
        return hits
    }

    /// The FTS5 query of a target: its terms as phrases, joined by OR (empty when no term has a word).
    private static func query(_ target: TextTarget) -> String {
        target.matcher.terms
            .map { TextMatcher.words(in: $0) }
            .filter { !$0.isEmpty }
            .map { "\"" + $0.joined(separator: " ").replacingOccurrences(of: "\"", with: "") + "\"" }
            .joined(separator: " OR ")
    }
}

/// A batch of texts the index found for one target, to be confirmed with its matcher.
private struct FoundTexts: Sendable {
    static let size = 256
    var key: TextHitKey
    var matcher: TextMatcher
    var texts: [(sha256: String, text: String)]
}
