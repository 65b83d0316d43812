// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// An approval given to a list.
public struct Approval: Sendable, Equatable {
    /// 1-based position of the role in the required order.
    public var position: Int
    public var role: String
    /// The approver's name (from the personnel register).
    public var name: String
    /// ISO 8601 UTC.
    public var at: String
    /// The approver's person id (nil for approvals recorded before approvers were registered persons).
    public var personId: String?
    /// The operating-system account the approval was given from.
    public var osUser: String?
}
