// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// A category of a list: one message class × one selection rule (e.g. staff × `staff-7y`).
public struct CategoryKey: Sendable, Hashable, Comparable, Codable {
    public var messageClass: String
    public var rule: String
    public init(messageClass: String, rule: String) {
        self.messageClass = messageClass
        self.rule = rule
    }
    public static func < (a: CategoryKey, b: CategoryKey) -> Bool { (a.messageClass, a.rule) < (b.messageClass, b.rule) }
    /// `staff × staff-7y`.
    public var label: String { "\(messageClass) × \(rule)" }
}
