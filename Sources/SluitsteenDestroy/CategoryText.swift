// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// The fixed texts of a category, written at proposal from the policy then in force.
public struct CategoryText: Sendable, Codable, Equatable {
    public var messageClass: String
    public var rule: String
    /// What the messages are, in Dutch ("E-mail in functionele mailboxen").
    public var description: String
    /// The selection rule in Dutch, with its id and term.
    public var selectionRule: String

    public init(messageClass: String, rule: String, description: String, selectionRule: String) {
        self.messageClass = messageClass
        self.rule = rule
        self.description = description
        self.selectionRule = selectionRule
    }

    /// The texts for a class and rule id under `policy`.
    public static func make(messageClass: MessageClass, rule: String, policy: Policy) -> CategoryText {
        let description: String
        switch messageClass {
        case .functional: description = "E-mail in functionele mailboxen"
        case .staff: description = "E-mail van medewerkers zonder sleutelfunctie (overig personeel)"
        case .keyPerson: description = "E-mail van sleutelpersonen"
        case .unclassified: description = "E-mail in niet-geregistreerde mailboxen"
        }
        let rules = [policy.staff, policy.staffLeft, policy.functional, policy.keyPerson]
        var selection = rule
        if let r = rules.first(where: { $0.id == rule }) {
            let action = r.waardering == .vernietigen ? "vernietigen" : "bewaren en overbrengen"
            let from = r.id == policy.staffLeft.id
                ? "na de datum van uitdiensttreding (medewerkers die vóór \(DutchText.date(policy.goLive)) uit dienst gingen)"
                : "na de berichtdatum"
            selection = "\(action.prefix(1).uppercased() + action.dropFirst()) \(DutchText.duration(r.after)) \(from) "
                + "(waardering \(r.waardering.rawValue), beleidsregel \(r.id))"
        }
        return CategoryText(messageClass: messageClass.rawValue, rule: rule, description: description, selectionRule: selection)
    }
}
