// SPDX-License-Identifier: EUPL-1.2
import GRDB
import SluitsteenPolicy

/// The terms of one hotspot or Woo hold (its terms and zaak numbers), to be found in the messages' text.
public struct TextTarget: Sendable {
    /// The key the decision core knows the hotspot or hold by in ``MessageCopy/textHits`` (its `textHitKey`).
    public var key: TextHitKey
    /// The terms, and the rule that confirms one in a text.
    public var matcher: TextMatcher

    public init(key: TextHitKey, matcher: TextMatcher) {
        self.key = key
        self.matcher = matcher
    }
}

/// Where decisions find which messages hold a hotspot's or Woo hold's terms: the full-text index (``TextIndex``),
/// or a stand-in in tests. It only reads: a caller that must see every message brings the index up to date first
/// (``TextIndexer``), where the user can see that it does.
public protocol TextHitSource: Sendable {
    /// For every target, the messages (by SHA-256) whose subject or text body holds one of its terms, read in `db`
    /// (so a caller's transaction sees its own state); with `copyIds`, only among those copies' messages. The result
    /// maps a message's SHA-256 to the keys of the targets it holds.
    func hits(for targets: [TextTarget], in db: Database, amongCopies copyIds: [Int64]?) throws -> [String: Set<TextHitKey>]
}
