// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// Whether a message's bytes are in the store (`message.contentState`; the catalog refuses any other value): `stored`,
/// or gone with the last copy that held them, `destroyed` by a vernietigingslijst or `purged` by an opt-out purge.
public enum ContentState: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case stored, destroyed, purged
}
