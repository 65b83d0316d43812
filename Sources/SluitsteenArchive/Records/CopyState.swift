// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// Where a mailbox copy stands (`copy.state`; the catalog refuses any other value).
///
/// A copy is `present` from capture; `transferred` once the e-depot confirmed the package holding it; `destroyed` by
/// a vernietigingslijst or `purged` by an opt-out purge, after which only its tombstone remains (see ``Tombstone``).
public enum CopyState: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case present, transferred, destroyed, purged

    /// True while the copy is in the archive (present or transferred), false for a tombstone.
    public var isInArchive: Bool { self == .present || self == .transferred }
}
