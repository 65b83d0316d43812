// SPDX-License-Identifier: EUPL-1.2

/// A role in the web service, as the municipality's policy names them (bijlage 3, point 9). A signed-in person gets
/// roles only through the configuration's role mapping (group or role claim value → role); the mapping is data.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Every employee: their own mailboxes and the opt-out page.
    case medewerker
    /// A team manager: the mailboxes of their own team, with a stated reason.
    case teammanager
    /// The Woo coordinator: all mailboxes within a Woo request or with a stated reason; designates delegates.
    case wooCoordinator = "woo-coordinator"
    /// A delegate of the Woo coordinator, for one request or mailbox set, until an end date.
    case gemachtigde
    /// Documentaire informatievoorziening: registers, plan, destruction lists; metadata but no bodies.
    case div
    /// The archivist: approving destruction lists, exports, transfer confirmation; metadata only.
    case archivaris
    /// The auditor: the audit trail, verification reports, the access log; no message content.
    case auditor
    /// The administrator of the service.
    case beheerder

    /// The role's name as the pages show it.
    public var displayName: String {
        switch self {
        case .medewerker: return "Medewerker"
        case .teammanager: return "Teammanager"
        case .wooCoordinator: return "Woo-coördinator"
        case .gemachtigde: return "Gemachtigde"
        case .div: return "DIV"
        case .archivaris: return "Archivaris"
        case .auditor: return "Auditor"
        case .beheerder: return "Beheerder"
        }
    }

    public static func < (a: Role, b: Role) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
