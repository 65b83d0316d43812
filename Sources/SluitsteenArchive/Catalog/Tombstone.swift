// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing

/// What stays of a destroyed or purged copy: its row, with the folder name replaced by a one-way digest.
///
/// A folder name says something about the mail (`Sollicitatie Jansen`), so it must go with the mail. The copy row
/// stays, as proof that the copy existed and was destroyed, and as the reason that taking the same export in again
/// does not bring the copy back: ingest compares the digest of the folder it reads with the tombstone's.
public enum Tombstone {
    /// The digest that replaces a destroyed copy's folder name: `#` and 32 hex digits of SHA-256(mailbox NUL folder).
    public static func folderKey(mailbox: String, folder: String) -> String {
        "#" + Digest.hex(Data((mailbox + "\u{0}" + folder).utf8)).prefix(32)
    }

    /// True when `folder` is such a digest (as stored in a tombstone).
    public static func isFolderKey(_ folder: String) -> Bool {
        folder.utf8.count == 33 && folder.hasPrefix("#")
    }
}
