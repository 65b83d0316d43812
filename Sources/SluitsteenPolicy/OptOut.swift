// SPDX-License-Identifier: EUPL-1.2

/// Why a message was opted out of retention: private (privé) or informal mail.
public enum OptOutGround: String, Sendable, Hashable, Codable, CaseIterable {
    case `private` = "private"
    case informal = "informal"

    /// The rule decisions cite: `optout:private` or `optout:informal`.
    public var rule: RuleRef { .optOut(self) }

    /// The ground in Dutch: `privé` or `informeel`.
    public var dutch: String { self == .private ? "privé" : "informeel" }
}

/// An opt-out recorded with `sluitsteen optout mark` or `optout import` for one message copy.
public struct OptOutMark: Sendable, Hashable, Codable {
    /// Mailbox address (lowercase).
    public var mailbox: String
    public var messageId: String
    public var ground: OptOutGround
    /// When the mark was made; it is honoured only if before the window closed.
    public var markedAt: Instant
    /// Who made the mark, if recorded.
    public var by: String?

    public init(mailbox: String, messageId: String, ground: OptOutGround, markedAt: Instant, by: String? = nil) {
        self.mailbox = mailbox.lowercased()
        self.messageId = messageId
        self.ground = ground
        self.markedAt = markedAt
        self.by = by
    }
}

/// The opt-out window of a message copy in a personal mailbox.
///
/// It opens at the later of the message date (Date header instant) and the capture time, and closes the policy's
/// window (P10W) later, counted on Amsterdam clocks: the same wall-clock time on the date ten weeks on (see
/// `AmsterdamTime.adding`). The window is open at instants `t < closesAt`; at `closesAt` it is closed. A mark made
/// before `closesAt` is honoured (also one made before `opensAt`, possible only when the Date header lies after the
/// capture time); a mark made at or after `closesAt` never is.
public struct OptOutWindow: Sendable, Hashable, Codable {
    public var opensAt: Instant
    public var closesAt: Instant

    public init(messageInstant: Instant, captureInstant: Instant, length: ISODuration) {
        opensAt = max(messageInstant, captureInstant)
        closesAt = AmsterdamTime.adding(length, to: opensAt)
    }

    /// True while the window is open at `instant`.
    @inline(__always)
    public func isOpen(at instant: Instant) -> Bool { instant < closesAt }

    /// True when a mark made at `instant` counts.
    @inline(__always)
    public func honours(markedAt instant: Instant) -> Bool { instant < closesAt }

    /// The Amsterdam date on which the window closes.
    public var closingDate: CivilDate { AmsterdamTime.date(of: closesAt) }
}

/// Why `optout mark` is refused.
public enum OptOutRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The window has closed: marks are no longer accepted.
    case windowClosed(mailbox: String, closedAt: Instant)
    /// Functional mailboxes have no opt-out.
    case functionalMailbox(address: String)
    /// The mailbox is not in the register, so it is unknown whether it is personal.
    case unregisteredMailbox(address: String)

    public var description: String {
        switch self {
        case .windowClosed(let mailbox, let closedAt):
            return "The opt-out window for this message in \(mailbox) closed on \(AmsterdamTime.localText(closedAt)) (Amsterdam time); it can no " +
                   "longer be opted out. Ask the records manager (DIV) if this message must not be kept."
        case .functionalMailbox(let address):
            return "\(address) is a functional mailbox; its mail cannot be opted out (the opt-out applies to personal mailboxes only)."
        case .unregisteredMailbox(let address):
            return "\(address) is not in the mailbox register; register it with `sluitsteen register import` before marking opt-outs."
        }
    }
}

extension OptOutMark {
    /// Checks whether a mark made at `markedAt` may be recorded for a copy in `mailbox`; returns the window (its
    /// `closesAt`/`closingDate` for the confirmation), or throws the refusal.
    public static func validate(mailbox: String, messageInstant: Instant, captureInstant: Instant, markedAt: Instant,
                                policy: Policy, registers: RegisterIndex) throws(OptOutRefusal) -> OptOutWindow {
        guard let entry = registers.mailbox(mailbox) else { throw .unregisteredMailbox(address: mailbox.lowercased()) }
        guard entry.kind == .personal else { throw .functionalMailbox(address: entry.address) }
        let window = OptOutWindow(messageInstant: messageInstant, captureInstant: captureInstant,
                                  length: policy.optOut.window)
        guard window.honours(markedAt: markedAt) else {
            throw .windowClosed(mailbox: entry.address, closedAt: window.closesAt)
        }
        return window
    }
}

/// Opt-out marks indexed by mailbox and message id.
public struct OptOutMarks: Sendable {
    private struct Key: Hashable, Sendable {
        let mailbox: String
        let messageId: String
    }
    private let byKey: [Key: [OptOutMark]]
    public let isEmpty: Bool

    public init(_ marks: [OptOutMark]) {
        var d: [Key: [OptOutMark]] = [:]
        for m in marks { d[Key(mailbox: m.mailbox, messageId: m.messageId), default: []].append(m) }
        byKey = d.mapValues { $0.sorted { $0.markedAt < $1.markedAt } }
        isEmpty = marks.isEmpty
    }

    /// The marks of one copy, oldest first (mailbox compared case-insensitively).
    public func marks(mailbox: String, messageId: String) -> [OptOutMark] {
        guard !isEmpty else { return [] }
        return byKey[Key(mailbox: mailbox.lowercased(), messageId: messageId)] ?? []
    }

    /// The marks of one copy whose mailbox address is already lowercase.
    @inline(__always)
    func marks(lowercaseMailbox mailbox: String, messageId: String) -> [OptOutMark] {
        guard !isEmpty else { return [] }
        return byKey[Key(mailbox: mailbox, messageId: messageId)] ?? []
    }
}
