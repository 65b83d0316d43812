// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// A list with its items and approvals, as read in one snapshot.
public struct ListSnapshot: Sendable {
    public var list: DestructionList
    public var items: [ListItem]
    public var approvals: [Approval]

    /// Items still on the list (not excluded).
    public var onList: [ListItem] { items.filter { $0.state != .excluded } }
    public var excluded: [ListItem] { items.filter { $0.state == .excluded } }
    /// Categories over the items still on the list.
    public var categories: [CategoryTotals] { CategoryTotals.group(onList, texts: list.categoryTexts) }
    /// The roles that have not approved yet, in order.
    public var pendingRoles: [String] { list.approvalsRequired.filter { r in !approvals.contains { $0.role == r } } }

    static func read(_ db: Database, id: String) throws -> ListSnapshot {
        guard let list = try DestructionListRecord.find(db, id: id) else { throw DestroyError.unknownList(id) }
        return ListSnapshot(list: list, items: try DestructionItemRecord.items(db, listId: id),
                            approvals: try ApprovalRecord.approvals(db, listId: id))
    }
}

extension ListSnapshot {
    /// The list as one JSON object: id, status, dates, approvals, categories and items (with subjects when given).
    public func json(subjects: [Int64: String] = [:], extra: [(String, JSONText.Value)] = []) -> String {
        let l = list
        func str(_ s: String?) -> JSONText.Value { s.map { .string($0) } ?? .null }
        let apps = approvals.map {
            JSONText.object([("position", .int(Int64($0.position))), ("role", .string($0.role)), ("roleName", .string(l.roleName($0.role))),
                             ("name", .string($0.name)), ("personId", $0.personId.map { .string($0) } ?? .null), ("at", .string($0.at))])
        }
        var members: [(String, JSONText.Value)] = [
            ("listId", .string(l.id)), ("kind", .string(l.kind.rawValue)), ("status", .string(l.status.rawValue)), ("asOf", .string(l.asOf)),
            ("proposedAt", .string(l.proposedAt)), ("proposedBy", .string(l.proposedBy)),
            ("approvalsRequired", .strings(l.approvalsRequired)), ("approvals", .raw("[" + apps.joined(separator: ",") + "]")),
            ("pendingRoles", .strings(pendingRoles)), ("approvedAt", str(l.approvedAt)), ("bedenktijd", .string(l.bedenktijd.iso)),
            ("executableFrom", str(l.executableFrom?.iso)), ("itemListSHA256", str(l.itemListSHA256)),
            ("closedAt", str(l.closedAt)), ("closedBy", str(l.closedBy)), ("closeReason", str(l.closeReason)),
            ("executedAt", str(l.executedAt)), ("verklaringHtml", str(l.verklaringHtml)), ("verklaringJson", str(l.verklaringJson)),
            ("categories", .raw("[" + categories.map(\.json).joined(separator: ",") + "]")),
            ("itemCount", .int(Int64(onList.count))), ("excludedCount", .int(Int64(excluded.count))),
            ("items", .raw("[" + items.map { $0.json(subject: subjects[$0.copyId]) }.joined(separator: ",") + "]")),
        ]
        members += extra
        return JSONText.object(members)
    }
}
