// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// One opt-out mark in force, with what a DIV colleague needs to see: the message's copies (their numbers), where
/// they stand, and when the window closes (after which the mark can no longer change and the purge removes the mail).
public struct OptOutListing: Sendable, Equatable {
    public var mailbox: String
    public var messageId: String
    public var ground: OptOutGround
    public var markedAt: Instant
    public var markedBy: String?
    /// The copies of the message in the mailbox (numbers), and the state of the first.
    public var copyIds: [Int64]
    public var state: CopyState?
    /// When the opt-out window closes; nil when no copy of the message is in the catalog.
    public var closesAt: Instant?

    /// Whether the window is still open at `instant` (a mark can then still be undone).
    public func isOpen(at instant: Instant) -> Bool { closesAt.map { instant < $0 } ?? false }
}

extension RetentionStore {
    /// The opt-out marks in force (optionally of one mailbox), by mailbox and then in the order they were made, each
    /// with its copies and its window as the policy sets it (the later of message date and capture, plus the window).
    public func optOutListing(policy: Policy, mailbox: String? = nil) throws(RetentionError) -> [OptOutListing] {
        let box = mailbox?.lowercased()
        let marks = try optOutMarks().filter { box == nil || $0.mailbox == box }
        var out: [OptOutListing] = []
        for mark in marks {
            let copies: [CatalogCopy]
            do { copies = try workspace.catalog.copies(mailbox: mark.mailbox, messageId: mark.messageId) } catch { throw .archive(error) }
            var closes: Instant? = nil
            if let first = copies.first(where: { $0.state == .present }) ?? copies.first {
                closes = OptOutWindow(messageInstant: Instant(secondsSinceEpoch: first.dateEpoch ?? first.capturedEpoch),
                                      captureInstant: Instant(secondsSinceEpoch: copies.map(\.capturedEpoch).min() ?? first.capturedEpoch),
                                      length: policy.optOut.window).closesAt
            }
            out.append(OptOutListing(mailbox: mark.mailbox, messageId: mark.messageId, ground: mark.ground, markedAt: mark.markedAt,
                                     markedBy: mark.by, copyIds: copies.map(\.copyId), state: copies.first?.state, closesAt: closes))
        }
        // Stable: by mailbox, keeping the order the marks were made in within a mailbox.
        return out.enumerated().sorted { ($0.element.mailbox, $0.offset) < ($1.element.mailbox, $1.offset) }.map(\.element)
    }
}
