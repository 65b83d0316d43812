// SPDX-License-Identifier: EUPL-1.2

/// The key of a hotspot or Woo hold in ``MessageCopy/textHits``: which one's terms or zaak numbers occur in a message.
/// It names them by catalog id (a rule cites a hotspot by name and a hold by zaaknummer: see ``RuleRef``).
public enum TextHitKey: Sendable, Hashable, CustomStringConvertible {
    case hotspot(id: String)
    case hold(id: String)

    public var description: String {
        switch self {
        case .hotspot(let id): return "hotspot-id:" + id
        case .hold(let id): return "hold-id:" + id
        }
    }
}
