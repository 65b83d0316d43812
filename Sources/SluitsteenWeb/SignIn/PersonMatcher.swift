// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenPolicy

/// Matches a signed-in person to a person in the registers.
///
/// The value of the configured identity claim (`email`, `upn` or `preferred_username`; compared without case) is
/// looked up:
/// 1. among the registers' **personal mailboxes** (mailboxes.csv, kind `personal`): the mailbox's owner is the person;
/// 2. else in the configuration's `[identity.people]` table, for staff without a personal mailbox (e.g. DIV or the
///    archivist): the claim value maps straight to a person id, which must be in people.csv.
///
/// Names are never matched (two people can share one). A person whose employment ended before `today` is refused, and
/// so is a claim value that matches no one, or an e-mail claim the provider marks as unverified (`email_verified`
/// false).
public struct PersonMatcher: Sendable {
    public let claim: IdentityClaim
    public let peopleByClaim: [String: String]

    public init(claim: IdentityClaim, peopleByClaim: [String: String]) {
        self.claim = claim
        self.peopleByClaim = peopleByClaim
    }

    public init(configuration: ServeConfiguration) {
        self.init(claim: configuration.identityClaim, peopleByClaim: configuration.peopleByClaim)
    }

    /// The registered person the claims name, or why there is none.
    public func person(for claims: IDTokenClaims, in registers: Registers?, today: CivilDate) throws(SignInRefusal) -> Person {
        guard let raw = claims.string(claim.rawValue)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            throw .missingClaim(claim.rawValue)
        }
        if claim == .email, case .bool(false)? = claims.claims["email_verified"] { throw .emailNotVerified }
        guard let registers else { throw .noRegisters }
        let value = raw.lowercased()
        let personId: String
        if let mailbox = registers.mailboxes.first(where: { $0.kind == .personal && $0.address == value }), let owner = mailbox.personId {
            personId = owner
        } else if let mapped = peopleByClaim[value] {
            personId = mapped
        } else {
            throw .unknownPerson(raw)
        }
        guard let person = registers.people.first(where: { $0.id == personId }) else { throw .unknownPerson(raw) }
        if let left = person.employedTo, left < today { throw .leftService(person.id) }
        return person
    }
}
