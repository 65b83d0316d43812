// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// A retention policy: the municipality's e-mail selection rules as data (one TOML file).
///
/// Another municipality adopts Sluitsteen by writing its own file; the shipped default is gemeente Krimpenerwaard's
/// (`Policy.krimpenerwaard`). Every rule carries the id that decisions cite (`staff-7y`, `key-person-b`, …).
public struct Policy: Sendable, Equatable, Encodable {
    /// Human-readable title of the policy.
    public var name: String
    /// The policy's version as the municipality names it (`[policy] version`); documents print it beside the name.
    public var version: String?
    /// Where residents respond to the published hotspot list (`[contact]`, optional).
    public var contact: PolicyContact?
    /// The day the selection list came into force.
    public var inForce: CivilDate
    /// The day Sluitsteen went live; staff who left before it are destroyed 3 months after leaving.
    public var goLive: CivilDate
    public var archiefvormer: Archiefvormer
    /// Roles whose holders are key persons (sleutelpersonen).
    public var keyRoles: [String]
    /// Other known roles (staff). A register role in neither list is an error.
    public var staffRoles: [String]
    /// Rule for key persons' mail (normally B after P10Y).
    public var keyPerson: RetentionRule
    /// Rule for staff mail (normally V after P7Y).
    public var staff: RetentionRule
    /// Rule for staff who left before go-live: V, `after` counted from `employed_to`.
    public var staffLeft: RetentionRule
    /// Rule for functional mailboxes (normally V after P1Y).
    public var functional: RetentionRule
    /// Transfer term for mail in a designated hotspot (counted from the message date).
    public var hotspotTransferAfter: ISODuration
    public var optOut: OptOutSettings
    public var destruction: DestructionSettings
    public var eDepot: EDepotSettings
    public var mdto: MDTOSettings
    /// The Woo workflow's terms and choices (the optional `[woo]` table; the law's terms when it is absent).
    public var woo: WooPolicySettings

    public init(
        name: String, inForce: CivilDate, goLive: CivilDate, archiefvormer: Archiefvormer, keyRoles: [String],
        staffRoles: [String], keyPerson: RetentionRule, staff: RetentionRule, staffLeft: RetentionRule,
        functional: RetentionRule, hotspotTransferAfter: ISODuration, optOut: OptOutSettings,
        destruction: DestructionSettings, eDepot: EDepotSettings, mdto: MDTOSettings, woo: WooPolicySettings = WooPolicySettings()
    ) {
        self.name = name
        self.inForce = inForce
        self.goLive = goLive
        self.archiefvormer = archiefvormer
        self.keyRoles = keyRoles
        self.staffRoles = staffRoles
        self.keyPerson = keyPerson
        self.staff = staff
        self.staffLeft = staffLeft
        self.functional = functional
        self.hotspotTransferAfter = hotspotTransferAfter
        self.optOut = optOut
        self.destruction = destruction
        self.eDepot = eDepot
        self.mdto = mdto
        self.woo = woo
    }

    /// True when `role` is one of the key roles.
    public func isKeyRole(_ role: String) -> Bool { keyRoles.contains(role) }

    /// True when `role` is a key or staff role of this policy.
    public func isKnownRole(_ role: String) -> Bool { keyRoles.contains(role) || staffRoles.contains(role) }
}

/// How residents reach the municipality about the published hotspot list (`[contact]` in the policy file).
public struct PolicyContact: Sendable, Equatable, Encodable {
    /// Who answers, e.g. "Team Informatiebeheer".
    public var name: String
    public var address: String?
    public var email: String?
    public var phone: String?
    public var web: String?
    /// What a resident is asked to include or what happens next, as the municipality words it.
    public var text: String?
    public init(name: String, address: String? = nil, email: String? = nil, phone: String? = nil, web: String? = nil,
                text: String? = nil) {
        self.name = name
        self.address = address
        self.email = email
        self.phone = phone
        self.web = web
        self.text = text
    }
}

/// The body whose archive this is (archiefvormer), with its TOOI organisation code.
public struct Archiefvormer: Sendable, Equatable, Encodable {
    public var name: String
    /// TOOI code, e.g. `gm1931` for gemeente Krimpenerwaard.
    public var tooi: String
    public init(name: String, tooi: String) {
        self.name = name
        self.tooi = tooi
    }
}

/// Waardering of a record: B (bewaren, permanent, transfer to the e-depot) or V (vernietigen, destroy when due).
public enum Waardering: String, Sendable, Hashable, Codable, CaseIterable {
    case bewaren = "B"
    case vernietigen = "V"
}

/// One retention rule: its id (cited by decisions), waardering and term.
public struct RetentionRule: Sendable, Equatable, Encodable {
    public var id: String
    public var waardering: Waardering
    /// Term after the rule's starting date (message date, or `employed_to` for `staffLeft`).
    public var after: ISODuration
    public init(id: String, waardering: Waardering, after: ISODuration) {
        self.id = id
        self.waardering = waardering
        self.after = after
    }
}

/// Opt-out settings: window length and the folder names and keywords that opt a message out (ground private).
public struct OptOutSettings: Sendable, Equatable, Encodable {
    public var window: ISODuration
    public var folders: [String]
    public var keywords: [String]
    public init(window: ISODuration, folders: [String], keywords: [String]) {
        self.window = window
        self.folders = folders
        self.keywords = keywords
    }
}

/// Settings for destruction (vernietiging): who approves, in which order, the bedenktijd, and the texts of the
/// verklaring van vernietiging.
public struct DestructionSettings: Sendable, Equatable, Encodable {
    /// Approver roles, in the order their approvals are required (default `div`, then `archivist`).
    public var approvals: [String]
    /// Time between the last approval and the actual destruction.
    public var bedenktijd: ISODuration
    /// Legal ground cited in the verklaring van vernietiging.
    public var legalGround: String
    /// The selection list the destruction is based on.
    public var selectielijst: String
    /// What documents call each approver role (`[destruction.role-names]`), beside ``defaultRoleNames``.
    public var roleNames: [String: String]
    public init(approvals: [String], bedenktijd: ISODuration, legalGround: String, selectielijst: String,
                roleNames: [String: String] = [:]) {
        self.approvals = approvals
        self.bedenktijd = bedenktijd
        self.legalGround = legalGround
        self.selectielijst = selectielijst
        self.roleNames = roleNames
    }

    /// The usual Dutch names of the approver roles the shipped policy uses.
    public static let defaultRoleNames = DutchWords.roleNames

    /// The name documents use for an approver role: the policy's, else the usual one, else the role as written.
    public func roleName(_ role: String) -> String {
        roleNames[role] ?? DutchWords.role(role)
    }
}

/// Where permanent mail goes: the e-depot aggregation it is added to and the contact named in the pakbon.
public struct EDepotSettings: Sendable, Equatable, Encodable {
    public var aggregationId: String
    public var contact: String
    public init(aggregationId: String, contact: String) {
        self.aggregationId = aggregationId
        self.contact = contact
    }
}

/// MDTO metadata texts fixed by policy.
public struct MDTOSettings: Sendable, Equatable, Encodable {
    /// Text of `beperkingGebruik` (who may consult the archived mail).
    public var beperkingGebruik: String
    public init(beperkingGebruik: String) { self.beperkingGebruik = beperkingGebruik }
}

/// One problem in a policy file, with the line it is on (when it can be found) and the key it concerns.
public struct PolicyDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The file name or path as given to the parser (nil for text without a file).
    public var file: String?
    /// 1-based line number; nil when the key is missing and its table is missing too.
    public var line: Int?
    /// Dotted key path, e.g. `rules.staff.after`.
    public var key: String
    public var message: String

    public init(file: String?, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = [file, line.map { "line \($0)" }].compactMap { $0 }.joined(separator: ", ")
        return (place.isEmpty ? "" : place + ": ") + (key.isEmpty ? "" : "\(key): ") + message
    }
}

/// Why a policy could not be loaded: the file is unreadable, or its content has errors (all of them listed).
public enum PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case invalid([PolicyDiagnostic])
    case missingDefault

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "Cannot read policy file \(file): \(reason). Check the path and permissions."
        case .invalid(let diagnostics):
            return "The policy has \(diagnostics.count) error(s); fix them and run `sluitsteen policy check`:\n"
                + diagnostics.map { "  " + $0.description }.joined(separator: "\n")
        case .missingDefault:
            return "The shipped default policy (krimpenerwaard.toml) is missing from the installation; reinstall Sluitsteen."
        }
    }
}

extension Policy {
    /// Loads and validates a policy file.
    public static func load(contentsOf url: URL) throws(PolicyError) -> Policy {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadable(file: url.path, reason: "\(error.localizedDescription)")
        }
        return try parse(text: text, file: url.path)
    }

    /// Parses and validates policy text; `file` names the source in diagnostics.
    public static func parse(text: String, file: String? = nil) throws(PolicyError) -> Policy {
        let reader = PolicyReader(text: text, file: file)
        let policy = reader.read()
        if let policy, reader.diagnostics.isEmpty { return policy }
        throw .invalid(reader.diagnostics)
    }

    /// Every error in the policy text, each with its line; empty when the policy is valid.
    public static func check(text: String, file: String? = nil) -> [PolicyDiagnostic] {
        let reader = PolicyReader(text: text, file: file)
        _ = reader.read()
        return reader.diagnostics
    }

    /// The text of the shipped default policy (gemeente Krimpenerwaard).
    public static func krimpenerwaardText() throws(PolicyError) -> String {
        guard let url = Bundle.module.url(forResource: "krimpenerwaard", withExtension: "toml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { throw .missingDefault }
        return text
    }

    /// The shipped default policy, gemeente Krimpenerwaard (go-live 2025-01-01).
    public static var krimpenerwaard: Policy {
        get throws(PolicyError) {
            try parse(text: krimpenerwaardText(), file: "krimpenerwaard.toml")
        }
    }

    /// Deterministic JSON (sorted keys, pretty-printed, dates as `YYYY-MM-DD`, durations as ISO 8601), for
    /// `policy show --json`.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding these plain value types cannot fail.
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A readable summary for `policy show`.
    public func renderedText() -> String {
        func list(_ a: [String]) -> String { a.joined(separator: ", ") }
        func rule(_ r: RetentionRule, _ from: String) -> String {
            "\(r.id): waardering \(r.waardering.rawValue), \(r.waardering == .bewaren ? "transfer" : "destroy") \(r.after.iso) after \(from)"
        }
        return """
            Policy: \(name)\(version.map { "\nVersion: \($0)" } ?? "")
            Archiefvormer: \(archiefvormer.name) (TOOI \(archiefvormer.tooi))
            In force from: \(inForce.iso)
            Go-live: \(goLive.iso)
            Key roles: \(list(keyRoles))
            Staff roles: \(list(staffRoles))
            Rules:
              \(rule(keyPerson, "the message date"))
              \(rule(staff, "the message date"))
              \(rule(staffLeft, "employed_to, for staff who left before \(goLive.iso)"))
              \(rule(functional, "the message date"))
              designated hotspot: waardering B, transfer \(hotspotTransferAfter.iso) after the message date
            Opt-out window: \(optOut.window.iso) from the later of message date and capture time (not for functional mailboxes)
              folders: \(list(optOut.folders))
              keywords: \(list(optOut.keywords))
            Destruction: approvals \(list(destruction.approvals)) (in this order), bedenktijd \(destruction.bedenktijd.iso)
              legal ground: \(destruction.legalGround)
              selectielijst: \(destruction.selectielijst)
            E-depot: aggregation \(eDepot.aggregationId), contact \(eDepot.contact)
            MDTO beperkingGebruik: \(mdto.beperkingGebruik)

            """
    }
}

/// The Woo workflow's settings in the policy (`[woo]`, every key optional). The terms follow the law: the decision
/// within four weeks of receipt, once extended by two (Woo art. 4.4); six weeks to object (Awb art. 6:7); the hold
/// lasts a margin longer, for an objection posted on the last day (Awb art. 6:9 lid 2: in time when it arrives within
/// a week after).
public struct WooPolicySettings: Sendable, Equatable, Encodable {
    /// From receipt to the decision deadline (`decision-term`).
    public var decisionTerm: ISODuration
    /// The one extension of the deadline (`extension`).
    public var extensionTerm: ISODuration
    /// The objection period (bezwaartermijn) from the decision date (`objection-period`).
    public var objectionPeriod: ISODuration
    /// How long the hold lasts after the objection period has ended (`objection-margin`).
    public var objectionMargin: ISODuration
    /// Suggest the names of staff who are not key persons for redaction (`redact-staff-names`; a common municipal
    /// practice under art. 5.1 lid 2 sub e).
    public var redactStaffNames: Bool

    public init(decisionTerm: ISODuration = ISODuration(weeks: 4), extensionTerm: ISODuration = ISODuration(weeks: 2),
                objectionPeriod: ISODuration = ISODuration(weeks: 6), objectionMargin: ISODuration = ISODuration(weeks: 1),
                redactStaffNames: Bool = true) {
        self.decisionTerm = decisionTerm
        self.extensionTerm = extensionTerm
        self.objectionPeriod = objectionPeriod
        self.objectionMargin = objectionMargin
        self.redactStaffNames = redactStaffNames
    }
}
