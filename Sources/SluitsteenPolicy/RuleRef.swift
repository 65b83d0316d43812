// SPDX-License-Identifier: EUPL-1.2

/// A rule a decision cites, as a value: what decided it, and what applies once a hold ends or the window closes.
///
/// Its ``description`` is the text the plan's JSON, the explanations and the documents show (`staff-7y`,
/// `optout:private`, `optout-window`, `unregistered-mailbox`, `hotspot:NAME`, `woo:ZAAKNUMMER`); code reads the cases,
/// never that text.
public enum RuleRef: Sendable, Hashable, CustomStringConvertible {
    /// A base rule of the policy, by its id (`staff-7y`, `key-person-b`, …).
    case base(String)
    /// An opt-out, on its ground.
    case optOut(OptOutGround)
    /// The opt-out window is still open.
    case window
    /// The mailbox (or its owner) is not in the register: the copy is never destroyed.
    case unregisteredMailbox
    /// A hotspot, by its name.
    case hotspot(name: String)
    /// A Woo hold, by the zaaknummer of its request.
    case wooHold(zaaknummer: String)

    public var description: String {
        switch self {
        case .base(let id): return id
        case .optOut(let ground): return "optout:" + ground.rawValue
        case .window: return "optout-window"
        case .unregisteredMailbox: return "unregistered-mailbox"
        case .hotspot(let name): return "hotspot:" + name
        case .wooHold(let zaaknummer): return "woo:" + zaaknummer
        }
    }

    /// The base rule's id, for a base rule.
    public var baseRuleId: String? {
        if case .base(let id) = self { return id }
        return nil
    }

    /// The hotspot's name, for a hotspot.
    public var hotspotName: String? {
        if case .hotspot(let name) = self { return name }
        return nil
    }

    /// The zaaknummer, for a Woo hold.
    public var zaaknummer: String? {
        if case .wooHold(let zaaknummer) = self { return zaaknummer }
        return nil
    }
}
