// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// Where a vernietigingslijst stands: proposed (approvals being collected), approved (bedenktijd running or over),
/// rejected or cancelled (closed, never executed), executing (interrupted or running), executed.
public enum ListStatus: String, Sendable, Codable, CaseIterable {
    case proposed, approved, rejected, cancelled, executing, executed

    /// The status in Dutch, for documents.
    public var dutch: String {
        switch self {
        case .proposed: return "voorgesteld (goedkeuring loopt)"
        case .approved: return "goedgekeurd"
        case .rejected: return "afgewezen"
        case .cancelled: return "ingetrokken"
        case .executing: return "vernietiging loopt (onderbroken of bezig)"
        case .executed: return "uitgevoerd"
        }
    }
}

/// What a row of `destructionList` is: a vernietigingslijst (approved by people) or an opt-out purge run (the
/// employee's own choice, no approvals).
public enum ListKind: String, Sendable, Codable {
    case vernietigingslijst
    case optOutPurge = "optout-purge"
}

/// A vernietigingslijst (or opt-out purge run) as stored in the catalog.
public struct DestructionList: Sendable, Equatable {
    public var id: String
    public var kind: ListKind
    public var status: ListStatus
    /// The decision date of the proposal.
    public var asOf: String
    public var mailboxes: [String]
    public var policyName: String
    public var policySource: String
    /// Roles whose approval is required, in order.
    public var approvalsRequired: [String]
    public var bedenktijd: ISODuration
    public var legalGround: String
    public var selectielijst: String
    public var archiefvormer: Archiefvormer
    public var proposedAt: String
    public var proposedBy: String
    public var withSubjects: Bool
    public var categoryTexts: [CategoryText]
    /// SHA-256 of the item list (CSV), fixed when the list is fully approved.
    public var itemListSHA256: String?
    public var approvedAt: String?
    public var approvedEpoch: Int64?
    public var closedAt: String?
    public var closedBy: String?
    public var closeReason: String?
    public var executionAsOf: String?
    public var executionAsOfEpoch: Int64?
    public var executionStartedAt: String?
    public var executedAt: String?
    public var executedBy: String?
    public var auditAnchorSeq: Int64?
    public var auditAnchorHash: String?
    public var verklaringHtml: String?
    public var verklaringJson: String?
    public var verklaringSHA256: String?
    /// What the documents call each approver role, from the policy the list was proposed under.
    public var roleNames: [String: String]
    /// The policy's version at proposal, when the policy names one.
    public var policyVersion: String? = nil

    /// The name of an approver role in documents ("DIV-medewerker"), never the code ("div").
    public func roleName(_ role: String) -> String {
        roleNames[role] ?? DutchWords.role(role)
    }

    /// The instant from which execution is allowed (full approval + bedenktijd), once fully approved.
    public var executableFrom: Instant? {
        guard let approvedEpoch else { return nil }
        return AmsterdamTime.adding(bedenktijd, to: Instant(secondsSinceEpoch: approvedEpoch))
    }
}
