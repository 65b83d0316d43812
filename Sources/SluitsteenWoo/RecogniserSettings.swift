// SPDX-License-Identifier: EUPL-1.2

/// A person from the registers whose name the recognisers should know: staff who are not key persons may have
/// their names suggested for redaction; key persons (sleutelpersonen) never.
public struct StaffMember: Sendable, Hashable, Codable {
    /// The name as the register gives it: "Jan de Vries", "J.P. de Vries" or "Vries, Jan de".
    public var name: String
    /// A key person: their name is never suggested (they act for the organisation in public).
    public var isKeyPerson: Bool

    public init(name: String, isKeyPerson: Bool) {
        self.name = name
        self.isKeyPerson = isKeyPerson
    }
}

/// What the recognisers need to know about the organisation.
public struct RecogniserSettings: Sendable, Hashable {
    /// The organisation's own mail domains (e.g. `krimpenerwaard.nl`); addresses there and in their subdomains are
    /// the organisation's own and are not suggested, except those in ``staffAddresses``.
    public var ownDomains: [String]
    /// Own-domain addresses of staff who are not key persons, to suggest as well (from the mailbox register's
    /// personal mailboxes); only used when ``redactStaffNames`` is on.
    public var staffAddresses: [String]
    /// People from the registers, with their key-person status.
    public var staff: [StaffMember]
    /// The policy setting: suggest the names of staff who are not key persons (a common practice under 5.1.2e).
    /// Off: staff names are not suggested at all, not even after a form of address.
    public var redactStaffNames: Bool

    public init(ownDomains: [String] = [], staffAddresses: [String] = [], staff: [StaffMember] = [], redactStaffNames: Bool = true) {
        self.ownDomains = ownDomains.map { $0.lowercased().trimmingPrefix("@") }.map(String.init)
        self.staffAddresses = staffAddresses.map { $0.lowercased() }
        self.staff = staff
        self.redactStaffNames = redactStaffNames
    }
}
