// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// Totals of one category over a set of items.
public struct CategoryTotals: Sendable, Equatable {
    public var key: CategoryKey
    public var text: CategoryText
    public var count: Int
    public var size: Int64
    /// Earliest and latest message date (Amsterdam).
    public var periodFrom: String?
    public var periodTo: String?
    public var mailboxes: [String]

    /// Groups `items` per class × rule, in key order.
    static func group(_ items: [ListItem], texts: [CategoryText]) -> [CategoryTotals] {
        var byKey: [CategoryKey: CategoryTotals] = [:]
        for item in items {
            let key = item.category
            let text = texts.first { $0.messageClass == key.messageClass && $0.rule == key.rule }
                ?? CategoryText(messageClass: key.messageClass, rule: key.rule, description: key.messageClass, selectionRule: key.rule)
            var t = byKey[key] ?? CategoryTotals(key: key, text: text, count: 0, size: 0, periodFrom: nil, periodTo: nil, mailboxes: [])
            t.count += 1
            t.size += item.size
            if let d = item.date {
                if t.periodFrom.map({ d < $0 }) ?? true { t.periodFrom = d }
                if t.periodTo.map({ d > $0 }) ?? true { t.periodTo = d }
            }
            if !t.mailboxes.contains(item.mailbox) { t.mailboxes.append(item.mailbox) }
            byKey[key] = t
        }
        return byKey.values.sorted { $0.key < $1.key }.map { var t = $0; t.mailboxes.sort(); return t }
    }
}

extension CategoryTotals {
    /// The category as a JSON object.
    public var json: String {
        JSONText.object([
            ("class", .string(key.messageClass)), ("rule", .string(key.rule)), ("description", .string(text.description)),
            ("selectionRule", .string(text.selectionRule)), ("periodFrom", periodFrom.map { .string($0) } ?? .null),
            ("periodTo", periodTo.map { .string($0) } ?? .null), ("messages", .int(Int64(count))), ("totalSize", .int(size)),
            ("mailboxes", .strings(mailboxes)),
        ])
    }
}
