// SPDX-License-Identifier: EUPL-1.2
import SluitsteenArchive

/// Errors of chat ingest and review, worded for a records manager: what is wrong, where, and what to do.
///
/// Every refusal of an export is made before anything is stored: a refused export leaves the archive unchanged.
public enum ChatError: Error, CustomStringConvertible, Sendable {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not an export Sluitsteen knows (WhatsApp "Export chat" text or zip, SMS Backup & Restore XML).
    case unknownFormat(file: String, reason: String)
    /// A line that starts like a message of the export but cannot be read as one (impossible date or time, another
    /// platform's line format, text that is not UTF-8).
    case brokenLine(file: String, line: Int, reason: String)
    /// No date in the export shows whether it writes day-month or month-day.
    case ambiguousDateOrder(file: String, example: String)
    /// Some dates can only be day-month and others only month-day.
    case inconsistentDateOrder(file: String, dayFirstLine: Int, monthFirstLine: Int)
    /// `--date-order` says one order, but a date in the export can only be read in the other.
    case dateOrderContradicted(file: String, line: Int, given: DateOrder)
    /// A zip export that cannot be used (damaged, no chat text in it, too large).
    case zip(file: String, reason: String)
    /// SMS Backup & Restore XML that libxml2 refused, or that lacks what a message needs.
    case xml(file: String, reason: String)
    /// Chat is archived only under a hotspot or a Woo request: neither was given, or the one given cannot take it.
    case linkRefused(String)
    /// Not allowed now, or invalid input (a handed-over conversation, an unknown message number, …).
    case refused(String)
    /// A conversation (or message) that is not in the catalog.
    case notFound(String)
    /// The workspace failed.
    case archive(ArchiveError)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read \(file): \(reason). Check the path and the permissions."
        case .unknownFormat(let file, let reason):
            return "\(file) is not a chat export Sluitsteen can read: \(reason). Give the WhatsApp \"Export chat\" file "
                + "(.txt, or the .zip with media) or an SMS Backup & Restore .xml, unchanged; nothing was stored."
        case .brokenLine(let file, let line, let reason):
            return "\(file), line \(line): \(reason). Nothing was stored; check that the export is complete and unchanged, "
                + "and export the chat again if it is damaged."
        case .ambiguousDateOrder(let file, let example):
            return "\(file): no date in the export shows whether it writes day-month or month-day (e.g. \(example)). Nothing "
                + "was stored; give --date-order dmy (day first, as in Dutch exports) or --date-order mdy (month first, as in "
                + "US English exports), as the phone that made it shows dates."
        case .inconsistentDateOrder(let file, let dayFirst, let monthFirst):
            return "\(file): the date on line \(dayFirst) can only be day-month, the one on line \(monthFirst) only month-day. "
                + "Nothing was stored; the file mixes two exports or was edited: export the chat again."
        case .dateOrderContradicted(let file, let line, let given):
            return "\(file), line \(line): this date cannot be read as \(given.rawValue) (--date-order). Nothing was stored; "
                + "leave --date-order out (the order is then read from the file) or give the other order."
        case .zip(let file, let reason):
            return "\(file): \(reason). Nothing was stored; give the zip exactly as WhatsApp made it."
        case .xml(let file, let reason):
            return "\(file) is not readable SMS Backup & Restore XML: \(reason). Nothing was stored; make the backup again."
        case .linkRefused(let reason):
            return "\(reason). Chat and text messages are archived only when they concern a hotspot or a Woo request "
                + "(bijlage 5); nothing was stored."
        case .refused(let reason): return reason
        case .notFound(let what): return "\(what) was not found in the catalog."
        case .archive(let inner): return inner.description
        }
    }
}

extension ChatError: CatalogTransactionError {
    /// An error met in a catalog transaction: a chat error stays itself; anything else becomes ``archive(_:)``.
    public init(wrapping error: any Error) {
        if let chat = error as? ChatError { self = chat } else { self = .archive(ArchiveError(wrapping: error)) }
    }
}
