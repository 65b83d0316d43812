// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// The stored side of access to archived mail: designations of gemachtigden, the policy in force for a person today,
/// and the access log (every read of content, as an entry of the hash-chained audit trail).
public struct AccessStore: Sendable {
    public let workspace: Workspace
    public init(workspace: Workspace) { self.workspace = workspace }

    private var today: CivilDate { AmsterdamTime.date(of: Instant(workspace.clock.now())) }

    /// Every designation, newest first.
    public func delegations() throws(RetentionError) -> [Delegation] {
        try workspace.catalog.read(throwing: RetentionError.self) { try DelegationRecord.all($0) }
    }

    /// The access policy in force today (registers, designations).
    public func policy(_ policy: Policy) throws(RetentionError) -> AccessPolicy {
        let registers = try RetentionStore(workspace: workspace).registers() ?? Registers()
        return AccessPolicy(registers: RegisterIndex(registers, policy: policy), delegations: try delegations(), today: today)
    }

    /// Designates `delegate` (a registered person) for `scope` from today until `validTo` (at most a year ahead), by
    /// `actor` (a registered person), for `reason`. Returns the designation.
    public func designate(_ delegate: String, scope: Delegation.Scope, validTo: CivilDate, reason: String,
                          actor: Actor) throws(RetentionError) -> Delegation {
        guard let grantedBy = actor.personId else { throw .refused("a designation is made by a registered person (a person id)") }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard why.count >= AccessPolicy.minimumReasonLength else {
            throw .invalidInput("a designation needs a reason of at least \(AccessPolicy.minimumReasonLength) characters")
        }
        let registers = try RetentionStore(workspace: workspace).registers() ?? Registers()
        guard registers.people.contains(where: { $0.id == delegate }) else {
            throw .refused("'\(SafeText.terminal(String(delegate.prefix(60))))' is not a person in the personnel register")
        }
        guard delegate != grantedBy else { throw .refused("one cannot designate oneself") }
        let from = today
        guard validTo >= from, validTo <= from.adding(days: 366) else {
            throw .invalidInput("the end date must lie between today (\(from.iso)) and one year ahead")
        }
        if case .mailboxes(let boxes) = scope {
            let known = Set(registers.mailboxes.map(\.address))
            guard !boxes.isEmpty, boxes.allSatisfy({ known.contains($0.lowercased()) }) else {
                throw .invalidInput("every mailbox of a designation must be in the mailbox register")
            }
        }
        if case .wooRequest(let holdId) = scope {
            guard try RetentionStore(workspace: workspace).holds().contains(where: { $0.id == holdId && $0.released == nil }) else {
                throw .invalidInput("there is no active Woo request '\(holdId)'")
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let scopeJSON = String(decoding: (try? encoder.encode(scope)) ?? Data("{}".utf8), as: UTF8.self)
        return try workspace.catalog.write(throwing: RetentionError.self) { db -> Delegation in
            let n = try DelegationRecord.fetchCount(db) + 1
            let d = Delegation(id: "machtiging-\(n)", delegate: delegate, grantedBy: grantedBy, scope: scope, validFrom: from, validTo: validTo)
            try DelegationRecord(id: d.id, delegate: delegate, grantedBy: grantedBy, scopeJSON: scopeJSON, validFrom: from.iso, validTo: validTo.iso,
                                 revokedOn: nil, reason: why, createdAt: ISOTimestamp.format(workspace.clock.now())).insert(db)
            try workspace.audit.append(db, kind: .delegation, command: "designate", actor: actor.auditText,
                                       objectIds: ["delegation:\(d.id)", "person:\(delegate)"],
                                       outcome: "gemachtigde \(delegate) tot en met \(validTo.iso) voor \(Self.describe(scope)): \(why)")
            return d
        }
    }

    /// Withdraws a designation from today on.
    public func revoke(_ id: String, actor: Actor) throws(RetentionError) {
        try workspace.catalog.write(throwing: RetentionError.self) { db in
            guard try DelegationRecord.revoke(db, id: id, on: today) else { throw RetentionError.notFound("an active designation '\(id)'") }
            try workspace.audit.append(db, kind: .delegation, command: "revoke designation", actor: actor.auditText,
                                       objectIds: ["delegation:\(id)"], outcome: "ingetrokken per \(today.iso)")
        }
    }

    static func describe(_ scope: Delegation.Scope) -> String {
        switch scope {
        case .wooRequest(let id): return "Woo-verzoek \(id)"
        case .mailboxes(let boxes): return "mailbox(en) " + boxes.joined(separator: ", ")
        }
    }

    /// What was read.
    public enum Reading: Sendable, Equatable {
        case body
        case attachment(String)
        case optOutPage

        var dutch: String {
            switch self {
            case .body: return "inhoud gelezen"
            case .attachment(let name): return "bijlage gedownload (\(name))"
            case .optOutPage: return "opt-outpagina bekeken"
            }
        }
    }

    /// Records one read of a conversation's messages (chat, sms) in the access log, as ``record(_:copyIds:mailbox:actor:role:basis:reason:)``
    /// does for a mail copy.
    public func recordConversation(_ conversationId: Int64, actor: Actor, role: ArchiveRole, basis: AccessBasis,
                                   reason: String) throws(RetentionError) {
        try workspace.catalog.write(throwing: RetentionError.self) { db in
            _ = try workspace.audit.append(db, kind: .access, command: "read", actor: actor.auditText, objectIds: ["chat:\(conversationId)"],
                                           outcome: "gesprek gelezen; rol \(role.dutch); grond: \(basis.dutch); reden: \(reason)")
        }
    }

    /// Records one read in the access log: an audit entry with who, in which role, which copy, on what ground and why.
    public func record(_ reading: Reading, copyIds: [Int64], mailbox: String, actor: Actor, role: ArchiveRole, basis: AccessBasis,
                       reason: String) throws(RetentionError) {
        try workspace.catalog.write(throwing: RetentionError.self) { db in
            _ = try workspace.audit.append(db, kind: .access, command: reading == .optOutPage ? "optout page" : "read", actor: actor.auditText,
                                           objectIds: copyIds.map { "copy:\($0)" } + ["mailbox:\(mailbox)"],
                                           outcome: "\(reading.dutch); rol \(role.dutch); grond: \(basis.dutch); reden: \(reason)")
        }
    }
}
