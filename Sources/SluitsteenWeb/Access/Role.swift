// SPDX-License-Identifier: EUPL-1.2
import SluitsteenPolicy

/// A role in the web service: the archive's roles as the policy names them (bijlage 3, point 9), decided in one place
/// by ``AccessPolicy``. A signed-in person gets roles only through the configuration's role mapping (group or role claim
/// value → role); the mapping is data.
public typealias Role = ArchiveRole

extension ArchiveRole {
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
}
