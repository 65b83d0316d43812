// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Why a PST/OST file could not be taken in as a whole. Each case names the file and says what to do, in words
/// a records manager can act on; nothing of the file is handed on when one of these is thrown.
public enum PSTError: Error, Equatable, Sendable, CustomStringConvertible {
    /// readpst (Debian package pst-utils) is not installed or not on the search path.
    case readpstMissing(searched: String)
    /// The file does not start with the PST/OST signature.
    case notAPSTFile(file: String)
    /// The file could not be opened for reading (permissions, vanished).
    case unreadable(file: String, reason: String)
    /// The header records a larger size than the file has: an incomplete copy.
    case truncated(file: String, size: UInt64, declaredSize: UInt64)
    /// The PST carries an Outlook password (its password checksum is set).
    case passwordProtected(file: String)
    /// readpst could not read the file's header, index or root folder.
    case damaged(file: String, detail: String)
    /// readpst stopped with an error or crashed while converting.
    case conversionFailed(file: String, detail: String)
    /// readpst took longer than the allowed time and was stopped.
    case timedOut(file: String, seconds: Int)
    /// The temporary folder for readpst's output could not be prepared or was not empty.
    case workDirectoryUnusable(path: String, reason: String)

    public var description: String {
        switch self {
        case .readpstMissing(let searched):
            return "PST/OST import needs the program readpst, which was not found (looked in: \(searched)). "
                + "Install it with `sudo apt-get install pst-utils`, or run `make deps`."
        case .notAPSTFile(let file):
            return "\(file) is not an Outlook PST/OST file (it does not start with the PST signature). "
                + "Check that the right file was given."
        case .unreadable(let file, let reason):
            return "\(file) cannot be read: \(reason). Check that the file exists and that Sluitsteen may read it."
        case .truncated(let file, let size, let declaredSize):
            return "\(file) is incomplete: it holds \(size) bytes but its header says \(declaredSize). "
                + "The copy was cut off; ask for the export again."
        case .passwordProtected(let file):
            return "\(file) is password-protected. Remove the password in Outlook (File > Account Settings > "
                + "Data Files > Settings > Change Password) and export again; nothing of this file was taken in."
        case .damaged(let file, let detail):
            return "\(file) is damaged and cannot be opened (readpst: \(detail)). "
                + "Run Outlook's Inbox Repair Tool (scanpst.exe) on it or ask for a new export; nothing was taken in."
        case .conversionFailed(let file, let detail):
            return "\(file) could not be converted (readpst: \(detail)); nothing of this file was taken in. "
                + "Report this file to the Sluitsteen maintainers."
        case .timedOut(let file, let seconds):
            return "Converting \(file) took longer than \(seconds) seconds and was stopped; nothing was taken in. "
                + "Retry with a longer time limit, or split the PST in Outlook."
        case .workDirectoryUnusable(let path, let reason):
            return "The temporary folder \(path) cannot be used for PST conversion: \(reason)."
        }
    }
}
