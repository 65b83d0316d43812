// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
import SluitsteenArchive

/// Sign-ins, refused sign-ins and sign-outs in the workspace's hash-chained audit trail.
///
/// A sign-in only succeeds when its entry is written: if the catalog cannot be written, the person is not signed in.
public struct WebAudit: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// A successful sign-in.
    public func signedIn(_ person: SignedInPerson, issuer: String) throws {
        let roles = person.roles.isEmpty ? "geen rollen" : person.roles.sorted().map(\.rawValue).joined(separator: ", ")
        try append(.signIn, actor: Actor(personId: person.personId, name: person.name), objectIds: ["person:\(person.personId)"],
                   outcome: "signed in through OpenID Connect (\(issuer)); roles: \(roles); session until \(ISOTimestamp.format(person.expiresAt))")
    }

    /// A refused sign-in: the reason code, and who it claimed to be when the token was genuine.
    public func refused(_ refusal: SignInRefusal, person: Actor?) throws {
        var detail = ""
        if case .unknownPerson(let value) = refusal { detail = " (claim value \(EventLog.clean(String(value.prefix(120)))))" }
        let actor = person ?? Actor(personId: nil, name: "onbekend (aanmelding geweigerd)")
        try append(.signIn, actor: actor, objectIds: person?.personId.map { ["person:\($0)"] } ?? [],
                   outcome: "refused: \(refusal.reason)\(detail)")
    }

    /// A sign-out.
    public func signedOut(_ person: SignedInPerson, expired: Bool = false) throws {
        try append(.signOut, actor: Actor(personId: person.personId, name: person.name), objectIds: ["person:\(person.personId)"],
                   outcome: expired ? "session expired" : "signed out")
    }

    private func append(_ kind: AuditKind, actor: Actor, objectIds: [String], outcome: String) throws {
        _ = try workspace.catalog.write { db in
            try workspace.audit.append(db, kind: kind, command: "serve", actor: actor.auditText, objectIds: objectIds, outcome: outcome)
        }
    }
}
