// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// The settings of the Woo workflow, kept per workspace (`wooSetting`) and changed only through
/// ``WooWorkflow/setSettings(_:actor:)``, which records the change in the audit trail, like a policy change.
///
/// The terms follow the law (Woo art. 4.4: four weeks, once two more; Awb art. 6:7: six weeks to object); the margin
/// keeps the hold a little longer, for an objection posted on the last day (Awb art. 6:9 lid 2: on time when it
/// arrives within a week after).
public struct WooSettings: Sendable, Hashable {
    /// From receipt to the decision deadline.
    public var decisionTerm: ISODuration = ISODuration(weeks: 4)
    /// The one extension of the deadline.
    public var extensionTerm: ISODuration = ISODuration(weeks: 2)
    /// The objection period (bezwaartermijn) from the decision date.
    public var objectionPeriod: ISODuration = ISODuration(weeks: 6)
    /// Days the hold lasts after the objection period has ended.
    public var objectionMargin: ISODuration = ISODuration(weeks: 1)
    /// Suggest the names (and own-domain addresses) of staff who are not key persons (a common practice under 5.1.2e).
    public var redactStaffNames: Bool = true
    /// Own mail domains besides those of the mailbox register's addresses (their addresses are not suggested).
    public var ownDomains: [String] = []

    public init() {}

    /// The stored keys and values.
    var entries: [(String, String)] {
        [("decision-term", decisionTerm.iso), ("extension", extensionTerm.iso), ("objection-period", objectionPeriod.iso),
         ("objection-margin", objectionMargin.iso), ("redact-staff-names", redactStaffNames ? "yes" : "no"),
         ("own-domains", ownDomains.joined(separator: ","))]
    }

    /// Applies one stored or typed key and value.
    mutating func apply(key: String, value: String) throws(WooWorkflowError) {
        func duration() throws(WooWorkflowError) -> ISODuration {
            guard let d = ISODuration(iso: value.uppercased()) else {
                throw .invalidInput("\(key) '\(value)' is not a duration such as P6W (six weeks) or P42D")
            }
            return d
        }
        switch key {
        case "decision-term": decisionTerm = try duration()
        case "extension": extensionTerm = try duration()
        case "objection-period": objectionPeriod = try duration()
        case "objection-margin": objectionMargin = try duration()
        case "redact-staff-names":
            switch value.lowercased() {
            case "yes", "ja", "on", "true": redactStaffNames = true
            case "no", "nee", "off", "false": redactStaffNames = false
            default: throw .invalidInput("redact-staff-names is yes or no, not '\(value)'")
            }
        case "own-domains":
            ownDomains = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }.filter { !$0.isEmpty }
        default:
            throw .invalidInput("unknown Woo setting '\(key)'; the settings are "
                + WooSettings().entries.map(\.0).joined(separator: ", "))
        }
    }

    /// The settings stored in the catalog (defaults for keys never set).
    static func load(_ db: Database) throws -> WooSettings {
        var settings = WooSettings()
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM wooSetting ORDER BY key") {
            try settings.apply(key: row[0], value: row[1])
        }
        return settings
    }
}

extension WooWorkflow {
    /// The settings in force.
    public func settings() throws(WooWorkflowError) -> WooSettings {
        try read { db in try WooSettings.load(db) }
    }

    /// Changes settings (`key` → value as ``WooSettings`` names them: `objection-period P6W`, `redact-staff-names no`,
    /// …), all or nothing, recorded in the audit trail. Returns the settings now in force.
    public func setSettings(_ changes: [(key: String, value: String)], actor: Actor) throws(WooWorkflowError) -> WooSettings {
        try requirePerson(actor)
        var updated = try settings()
        for change in changes { try updated.apply(key: change.key, value: change.value) }
        let final = updated
        try write { db in
            for (key, value) in final.entries {
                try db.execute(sql: "INSERT INTO wooSetting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key, value])
            }
            try workspace.audit.append(db, kind: .woo, command: "woo settings", actor: actor.auditText, objectIds: ["woo:settings"],
                                       outcome: changes.map { "\($0.key) = \($0.value)" }.joined(separator: "; "))
        }
        return final
    }
}
