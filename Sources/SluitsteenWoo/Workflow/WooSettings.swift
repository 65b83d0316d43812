// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// The settings the Woo workflow runs with. The terms and whether staff names are suggested come from the policy in
/// force (its `[woo]` table, ``WooPolicySettings``: changing them is a policy change, `sluitsteen policy set`); the own
/// mail domains are kept per workspace (`wooSetting`) and changed only through ``WooWorkflow/setSettings(_:actor:)``,
/// which records the change in the audit trail.
public struct WooSettings: Sendable, Hashable {
    /// From receipt to the decision deadline (policy).
    public var decisionTerm: ISODuration
    /// The one extension of the deadline (policy).
    public var extensionTerm: ISODuration
    /// The objection period (bezwaartermijn) from the decision date (policy).
    public var objectionPeriod: ISODuration
    /// Days the hold lasts after the objection period has ended (policy).
    public var objectionMargin: ISODuration
    /// Suggest the names (and own-domain addresses) of staff who are not key persons (policy).
    public var redactStaffNames: Bool
    /// Own mail domains besides those of the mailbox register's addresses (their addresses are not suggested).
    public var ownDomains: [String] = []

    public init(policy: WooPolicySettings = WooPolicySettings(), ownDomains: [String] = []) {
        decisionTerm = policy.decisionTerm
        extensionTerm = policy.extensionTerm
        objectionPeriod = policy.objectionPeriod
        objectionMargin = policy.objectionMargin
        redactStaffNames = policy.redactStaffNames
        self.ownDomains = ownDomains
    }

    /// The keys set in the policy's `[woo]` table, not here.
    static let policyKeys = ["decision-term", "extension", "objection-period", "objection-margin", "redact-staff-names"]

    /// Applies one stored or typed key and value (only `own-domains` is kept per workspace).
    mutating func apply(key: String, value: String) throws(WooWorkflowError) {
        switch key {
        case "own-domains":
            ownDomains = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }.filter { !$0.isEmpty }
        case _ where Self.policyKeys.contains(key):
            throw .invalidInput("\(key) is set in the policy, in its [woo] table (e.g. objection-period = \"P6W\"): change the policy "
                + "file and make it the workspace's with `sluitsteen policy set`, so that the change is a recorded policy change")
        default:
            throw .invalidInput("unknown Woo setting '\(SafeText.terminal(String(key.prefix(60))))'; the workspace keeps own-domains, "
                + "the policy's [woo] table " + Self.policyKeys.joined(separator: ", "))
        }
    }
}

extension WooWorkflow {
    /// The settings in force: the policy's `[woo]` table and the workspace's own domains.
    public func settings() throws(WooWorkflowError) -> WooSettings {
        var settings = WooSettings(policy: policy.woo)
        let stored = try read { db in
            try Row.fetchAll(db, sql: "SELECT key, value FROM wooSetting ORDER BY key").map { ($0[0] as String, $0[1] as String) }
        }
        for (key, value) in stored where key == "own-domains" { try settings.apply(key: key, value: value) }
        return settings
    }

    /// Changes the workspace's settings (`own-domains` → comma-separated domains), all or nothing, recorded in the
    /// audit trail. The policy's keys are refused with where to set them. Returns the settings now in force.
    public func setSettings(_ changes: [(key: String, value: String)], actor: Actor) throws(WooWorkflowError) -> WooSettings {
        try requirePerson(actor)
        var updated = try settings()
        for change in changes { try updated.apply(key: change.key, value: change.value) }
        let final = updated
        try write { db in
            try db.execute(sql: "INSERT INTO wooSetting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: ["own-domains", final.ownDomains.joined(separator: ",")])
            try workspace.audit.append(db, kind: .woo, command: "woo settings", actor: actor.auditText, objectIds: ["woo:settings"],
                                       outcome: changes.map { "\($0.key) = \($0.value)" }.joined(separator: "; "))
        }
        return final
    }
}
