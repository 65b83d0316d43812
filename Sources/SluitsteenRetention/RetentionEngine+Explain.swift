// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPolicy

extension RetentionEngine {
    /// The decisions for the given copies (by id) as of `asOf`, with the steps that explain them: what
    /// ``decide(copyIds:asOf:)`` gives, explained as `sluitsteen explain` explains, but for a few copies only (the web
    /// service's message view), whatever the size of their mailbox. Copies no longer in the archive are absent. Reads
    /// the full-text index as it is (bring it up to date first with ``prepareTextIndexForTerms()``).
    public func explain(copyIds: Set<Int64>, asOf: Instant) throws(RetentionError) -> [Int64: DecidedCopy] {
        try decide(copyIds: copyIds, asOf: asOf, explain: true)
    }
}
