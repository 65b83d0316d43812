// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy

/// What a conversation is archived for: a hotspot or a Woo request (bijlage 5: chat is archived for nothing else).
public enum ChatLink: Sendable, Hashable {
    case hotspot(Hotspot)
    case woo(WooHold)

    /// The link `--hotspot NAME` or `--woo ID` asks for, among the workspace's hotspots and holds on `date`. Exactly one
    /// must be given; a rejected hotspot, or a Woo request released (or not yet received) on `date`, cannot take a chat.
    public static func resolve(hotspot: String?, woo: String?, hotspots: [Hotspot], holds: [WooHold],
                               on date: CivilDate) throws(ChatError) -> ChatLink {
        switch (hotspot?.trimmingCharacters(in: .whitespaces), woo?.trimmingCharacters(in: .whitespaces)) {
        case (nil, nil):
            throw .linkRefused("give --hotspot NAME (a hotspot of `sluitsteen hotspot list`) or --woo ID (a Woo request of "
                + "`sluitsteen hold list`, by id or zaaknummer)")
        case (.some, .some):
            throw .linkRefused("give --hotspot or --woo, not both: a conversation is archived for one hotspot or one Woo request")
        case (let name?, nil):
            guard let h = hotspots.first(where: { $0.name == name }) ?? hotspots.first(where: { $0.id == name }) else {
                let known = hotspots.filter { $0.status != .rejected }.map(\.name)
                throw .linkRefused("there is no hotspot named '\(name)'" + (known.isEmpty ? " (no hotspot has been entered)"
                    : " (the hotspots are: \(known.joined(separator: ", ")))"))
            }
            guard h.status != .rejected else { throw .linkRefused("hotspot '\(h.name)' was rejected") }
            return .hotspot(h)
        case (nil, let id?):
            let matching = holds.filter { $0.id == id || $0.zaaknummer == id }
            guard !matching.isEmpty else { throw .linkRefused("there is no Woo request (hold) with id or zaaknummer '\(id)'") }
            guard let h = matching.first(where: { $0.isActive(on: date) }) else {
                let h = matching[0]
                throw .linkRefused(h.released.map { "the Woo request \(h.zaaknummer) was released on \($0.iso)" }
                    ?? "the Woo request \(h.zaaknummer) is received on \(h.received.iso), after today")
            }
            return .woo(h)
        }
    }

    /// `hotspot NAME` or `Woo-verzoek ZAAKNUMMER`, for messages.
    public var text: String {
        switch self {
        case .hotspot(let h): return "hotspot \(h.name)"
        case .woo(let h): return "Woo request \(h.zaaknummer)"
        }
    }
}

/// Senders matched to the personnel register by name.
public struct PersonMatcher: Sendable {
    private let byName: [String: String]

    /// Matches against `people`; a name two people share matches no one.
    public init(people: [Person]) {
        var map: [String: String?] = [:]
        for p in people where !p.name.isEmpty {
            let key = Self.key(p.name)
            map[key] = map[key] == nil ? .some(p.id) : .some(nil)
        }
        byName = map.compactMapValues { $0 }
    }

    /// The person_id whose name is `name` (ignoring case, accents and extra spaces), if exactly one person has it.
    public func personId(for name: String?) -> String? {
        guard let name else { return nil }
        return byName[Self.key(name)]
    }

    static func key(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
