// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// The roles people have in the archive (as the municipality names them; which sign-in groups map to them is
/// configuration). Informatiebeleid 2024–2028, bijlage 3 punt 9: access to archived mail only for those whose role
/// requires it — the Woo-coördinator, the teammanager, or a person they designate.
public enum ArchiveRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case medewerker
    case teammanager
    case wooCoordinator = "woo-coordinator"
    case gemachtigde
    case div
    case archivaris
    case auditor
    case beheerder

    /// The role's name for people (Dutch).
    public var dutch: String {
        switch self {
        case .medewerker: return "medewerker"
        case .teammanager: return "teammanager"
        case .wooCoordinator: return "Woo-coördinator"
        case .gemachtigde: return "gemachtigde"
        case .div: return "DIV-medewerker"
        case .archivaris: return "archivaris"
        case .auditor: return "auditor"
        case .beheerder: return "beheerder"
        }
    }

    public static func < (a: ArchiveRole, b: ArchiveRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A designation of a gemachtigde (delegate) by a Woo-coördinator or teammanager: for one Woo request or a set of
/// mailboxes, until an end date.
public struct Delegation: Sendable, Hashable, Codable {
    /// What the delegate may read.
    public enum Scope: Sendable, Hashable, Codable {
        /// The mail a Woo request (hold id) covers.
        case wooRequest(holdId: String)
        /// These mailboxes (lowercase addresses).
        case mailboxes([String])
    }
    public var id: String
    /// The delegate (gemachtigde), a person id.
    public var delegate: String
    /// Who designated them, a person id.
    public var grantedBy: String
    public var scope: Scope
    public var validFrom: CivilDate
    /// The last day (an end date is required).
    public var validTo: CivilDate
    /// The day it was withdrawn, if it was.
    public var revokedOn: CivilDate?

    public init(id: String, delegate: String, grantedBy: String, scope: Scope, validFrom: CivilDate, validTo: CivilDate,
                revokedOn: CivilDate? = nil) {
        self.id = id
        self.delegate = delegate
        self.grantedBy = grantedBy
        self.scope = scope
        self.validFrom = validFrom
        self.validTo = validTo
        self.revokedOn = revokedOn
    }

    /// True on `date` (from the first to the last day, unless withdrawn on or before it).
    public func isActive(on date: CivilDate) -> Bool {
        validFrom <= date && date <= validTo && (revokedOn.map { date < $0 } ?? true)
    }
}

/// Why someone reads a message's content: the Woo request it is for, or a reason in words.
public enum ReadReason: Sendable, Hashable {
    /// A registered Woo request (hold id).
    case wooRequest(holdId: String)
    /// A reason in words (at least a few characters).
    case stated(String)

    /// The text recorded in the access log.
    public var text: String {
        switch self {
        case .wooRequest(let id): return "Woo-verzoek \(id)"
        case .stated(let text): return text
        }
    }
}

/// On what ground a read was allowed (recorded with it).
public enum AccessBasis: Sendable, Hashable {
    case ownMailbox
    case team(String)
    case wooRequest(holdId: String)
    case statedReason
    case delegation(id: String)

    public var dutch: String {
        switch self {
        case .ownMailbox: return "eigen mailbox"
        case .team(let t): return "mailbox van een lid van team \(t)"
        case .wooRequest(let id): return "valt onder Woo-verzoek \(id)"
        case .statedReason: return "opgegeven reden"
        case .delegation(let id): return "machtiging \(id)"
        }
    }
}

/// The facts about one message copy that access depends on.
public struct CopyForAccess: Sendable, Hashable {
    /// Mailbox address (lowercase).
    public var mailbox: String
    /// The message date (Amsterdam day): a teammanager reads the mail a member wrote while in the team.
    public var messageDate: CivilDate
    /// The Woo holds (ids) that cover the copy now.
    public var heldBy: Set<String>

    public init(mailbox: String, messageDate: CivilDate, heldBy: Set<String> = []) {
        self.mailbox = mailbox.lowercased()
        self.messageDate = messageDate
        self.heldBy = heldBy
    }
}

/// Who may see what of the archived mail: decided in one place, from the person, their roles, the registers (people
/// ↔ mailboxes, teams and their managers), the designations (gemachtigden) and the Woo requests.
///
/// Content (a body or an attachment) is for the roles the policy names: a medewerker reads their own mailboxes; a
/// teammanager the mailboxes of their team's members, with a reason; the Woo-coördinator what a registered Woo request
/// covers, or anything with a stated reason; a gemachtigde what their designation covers. DIV and the archivaris see
/// metadata (to handle lists and transfers), never content; the auditor and beheerder see neither. Pure: no I/O.
public struct AccessPolicy: Sendable {
    public let registers: RegisterIndex
    public let delegations: [Delegation]
    /// The day access is decided on (today).
    public let today: CivilDate

    public init(registers: RegisterIndex, delegations: [Delegation], today: CivilDate) {
        self.registers = registers
        self.delegations = delegations
        self.today = today
    }

    /// The least length of a stated reason.
    public static let minimumReasonLength = 8

    /// The outcome for one read of content.
    public enum Decision: Sendable, Hashable {
        case allowed(AccessBasis)
        case refused(String)

        public var isAllowed: Bool { if case .allowed = self { return true } else { return false } }
    }

    /// Whether `person` (with `roles`) may read the content of `copy` for `reason`.
    public func content(of copy: CopyForAccess, person: String, roles: Set<ArchiveRole>, reason: ReadReason?) -> Decision {
        if roles.contains(.medewerker), registers.personalMailboxes(of: person).contains(copy.mailbox) {
            return .allowed(.ownMailbox)
        }
        if case .stated(let text)? = reason, text.trimmingCharacters(in: .whitespacesAndNewlines).count < Self.minimumReasonLength {
            return .refused("Geef een reden van ten minste \(Self.minimumReasonLength) tekens; die wordt vastgelegd in het toegangslogboek.")
        }
        if roles.contains(.wooCoordinator) {
            switch reason {
            case .wooRequest(let id)? where copy.heldBy.contains(id): return .allowed(.wooRequest(holdId: id))
            case .stated?: return .allowed(.statedReason)
            default: break
            }
        }
        if roles.contains(.teammanager), reason != nil {
            for team in registers.managedTeams(of: person, on: today) {
                let owners = registers.registers.mailboxes.filter { $0.address == copy.mailbox }.compactMap(\.personId)
                if owners.contains(where: { owner in
                    registers.registers.teams.contains { $0.personId == owner && $0.team == team && $0.period.contains(copy.messageDate) }
                }) {
                    return .allowed(.team(team))
                }
            }
        }
        if roles.contains(.gemachtigde) {
            for d in delegations where d.delegate == person && d.isActive(on: today) {
                switch d.scope {
                case .wooRequest(let id) where copy.heldBy.contains(id): return .allowed(.delegation(id: d.id))
                case .mailboxes(let boxes) where boxes.contains(copy.mailbox): return .allowed(.delegation(id: d.id))
                default: continue
                }
            }
        }
        if reason == nil, roles.contains(.teammanager) || roles.contains(.wooCoordinator) || roles.contains(.gemachtigde) {
            return .refused("Het lezen van archiefmail vraagt een reden: een Woo-verzoek of een omschrijving. Die wordt vastgelegd.")
        }
        return .refused("Uw rol geeft geen toegang tot de inhoud van dit bericht (bijlage 3 punt 9: alleen de Woo-coördinator, de "
            + "teammanager of een door hen aangewezen persoon, en ieder voor de eigen mailbox).")
    }

    /// Whether `roles` may see message metadata (sender, date, subject) at all: within their content scope for the
    /// roles that read content, and of every mailbox for DIV and the archivaris (to handle lists and transfers).
    public func seesAllMetadata(_ roles: Set<ArchiveRole>) -> Bool {
        roles.contains(.div) || roles.contains(.archivaris) || roles.contains(.wooCoordinator)
    }

    /// The mailboxes whose mail `person` may search without a Woo request: their own (medewerker), their team's
    /// (teammanager, members on any day of the team), their designations' mailboxes (gemachtigde); nil = every mailbox
    /// (Woo-coördinator, DIV, archivaris: metadata of all mail).
    public func searchableMailboxes(person: String, roles: Set<ArchiveRole>) -> Set<String>? {
        if seesAllMetadata(roles) { return nil }
        var boxes = Set<String>()
        if roles.contains(.medewerker) { boxes.formUnion(registers.personalMailboxes(of: person)) }
        if roles.contains(.teammanager) {
            for team in registers.managedTeams(of: person, on: today) {
                let members = Set(registers.registers.teams.filter { $0.team == team }.map(\.personId))
                for m in members { boxes.formUnion(registers.personalMailboxes(of: m)) }
            }
        }
        if roles.contains(.gemachtigde) {
            for d in delegations where d.delegate == person && d.isActive(on: today) {
                if case .mailboxes(let b) = d.scope { boxes.formUnion(b) }
            }
        }
        return boxes
    }

    /// The Woo requests (hold ids) `person` may search within: every request for the Woo-coördinator, the designated
    /// ones for a gemachtigde.
    public func searchableRequests(person: String, roles: Set<ArchiveRole>, all: [String]) -> Set<String> {
        if roles.contains(.wooCoordinator) { return Set(all) }
        guard roles.contains(.gemachtigde) else { return [] }
        return Set(delegations.compactMap { d -> String? in
            guard d.delegate == person, d.isActive(on: today), case .wooRequest(let id) = d.scope else { return nil }
            return id
        })
    }
}
