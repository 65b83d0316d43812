// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenIndex
import SluitsteenPolicy

extension RetentionEngine {
    /// The decisions for the given copies (by id) as of `asOf`, with the steps that explain them: what
    /// ``decide(copyIds:asOf:)`` gives, explained as `sluitsteen explain` explains, but for a few copies only (the web
    /// service's message view), whatever the size of their mailbox. Copies no longer in the archive are absent. Reads
    /// the full-text index as it is (bring it up to date first with ``prepareTextIndexForTerms()``).
    public func explain(copyIds: Set<Int64>, asOf: Instant) throws(RetentionError) -> [Int64: DecidedCopy] {
        guard !copyIds.isEmpty else { return [:] }
        let context = try context(asOf: asOf)
        var targets: [TextTarget] = []
        for h in context.hotspots where h.criteria.hasTextCriteria {
            targets.append(TextTarget(key: h.textHitKey, matcher: h.criteria.textMatcher))
        }
        for h in context.holds where h.criteria.hasTextCriteria {
            targets.append(TextTarget(key: h.textHitKey, matcher: h.criteria.textMatcher))
        }
        let ids = "[" + copyIds.sorted().map(String.init).joined(separator: ",") + "]"
        do {
            return try workspace.catalog.read { db in
                let hits = targets.isEmpty ? [:] : try textHitSource.hits(for: targets, in: db, amongCopies: Array(copyIds))
                let query = CopyQuery(context: context, mailboxes: nil, copyIdsJSON: ids)
                var out: [Int64: DecidedCopy] = [:]
                let cursor = try Row.fetchCursor(db, sql: query.sql, arguments: query.arguments)
                while let row = try cursor.next() {
                    let (facts, copy) = query.facts(row, hits: hits)
                    var decision = context.decide(copy, explain: true)
                    if facts.state == "transferred" { decision = decision.transferred() }
                    out[facts.copyId] = DecidedCopy(copy: facts, decision: decision)
                }
                return out
            }
        } catch let e as RetentionError { throw e } catch { throw .archive("\(error)") }
    }
}
