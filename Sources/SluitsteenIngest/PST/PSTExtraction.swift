// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Everything readpst made of one PST/OST file: the mail items as RFC 5322 files in a temporary folder, plus an
/// account of every item that is not mail or could not be converted, so that the ingest summary can show where
/// each item of the PST went (found = mail + not mail + failed).
public struct PSTExtraction: Sendable, Equatable {
    /// The PST/OST file that was converted.
    public let source: URL
    /// The PST's own display name (e.g. `Personal Folders`, `Outlook`, or the file name when the PST has none).
    /// readpst writes everything below a folder of this name; it is left out of every `folderPath`.
    public let storeName: String
    /// True when the PST carries an Outlook password and it was read anyway (only with `allowPasswordProtected`).
    public let passwordProtected: Bool
    /// Mail items, ordered by folder path, then position.
    public let items: [PSTItem]
    /// Items that are not mail, counted per folder and kind, ordered by folder path, then kind.
    public let notMail: [PSTFolderCount]
    /// Items readpst could not convert, ordered by folder path, then position.
    public let failures: [PSTItemFailure]
    /// Folders readpst named but did not open because it did not recognise them as folders (seen in go-pst's
    /// `support.pst`: localised default folders of class `IPF.*`). Their items, if any, are not in this
    /// extraction and not in `found`; `folderPath` is the folder's own path and `position` is nil.
    public let unopenedFolders: [PSTItemFailure]

    /// Every item in the PST that readpst reached: mail + not mail + failed.
    public var found: Int { items.count + notMail.reduce(0) { $0 + $1.count } + failures.count }
}

/// One mail item that readpst wrote as an RFC 5322 message file.
public struct PSTItem: Sendable, Equatable {
    /// Folder path in the PST with `/` between folder names, without the store name (e.g. `Inbox/Projecten/Brug`).
    /// A `/` inside a folder name is kept as is. Items directly in the store's root have an empty path.
    public let folderPath: String
    /// Zero-based index of the item among the folder's items, in the order the PST lists them (subfolders are not
    /// counted; items that are not mail or failed are). Stable across runs.
    public let position: Int
    /// The message file readpst wrote (inside the work directory), with its MIME boundaries made deterministic.
    public let file: URL
    /// What kind of mail item this is.
    public let kind: PSTItemKind
    /// Outlook categories of the item. readpst 0.6.76 does not export categories of mail items, so this is empty
    /// for now; a `Keywords` header in the message itself is read by the common ingest path.
    public let keywords: [String]
    /// Outlook state that readpst passes on.
    public let flags: PSTItemFlags
    /// What readpst reported as lost while converting this item (e.g. an attachment it could not read).
    public let warnings: [String]
    /// The item's own time from the PST, for a message without a date in its headers (readpst writes `Date` only
    /// from the item's sent time, which unsent and some received items lack): its delivery time, else its creation
    /// time, else its last modification time, to the second, as libpst traces them. Nil when the PST has none.
    public let ownTime: Date?
}

/// The kinds of mail item readpst writes as messages.
public enum PSTItemKind: String, Sendable, Equatable, CaseIterable {
    /// An ordinary e-mail (IPM.Note and similar).
    case mail
    /// A meeting request or response (IPM.Schedule.*), kept as a message with its text/calendar part.
    case meetingRequest
    /// A delivery or read report (REPORT.*), kept as a multipart/report message.
    case deliveryReport
}

/// Outlook message state that survives readpst.
public struct PSTItemFlags: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The item was read (readpst writes `Status: RO`). The follow-up flag is not exported by readpst 0.6.76.
    public static let read = PSTItemFlags(rawValue: 1)
}

/// How many items of one non-mail kind a folder holds that readpst either rendered to files or skipped
/// (one entry for each; `rendered` tells which).
public struct PSTFolderCount: Sendable, Equatable {
    public let folderPath: String
    public let kind: PSTNonMailKind
    public let count: Int
    /// Files readpst wrote for these items (`.ics` for calendar and journal, `.vcf` for contacts); empty when
    /// readpst skips this kind. These are not RFC 5322 messages and are not ingested as mail.
    public let renderedFiles: [URL]
    /// The Outlook message classes seen for these items (e.g. `IPM.Task`), when readpst names them.
    public let messageClasses: [String]

    /// True when readpst wrote a file for these items, false when it skipped them.
    public var rendered: Bool { !renderedFiles.isEmpty }
}

/// Items in a PST that are not mail.
public enum PSTNonMailKind: String, Sendable, Equatable, Comparable, CaseIterable {
    /// Calendar appointments; readpst renders them as iCalendar (`.ics`), not as messages.
    case appointment
    /// Contacts; readpst renders them as vCard (`.vcf`).
    case contact
    /// Journal entries; readpst renders them as iCalendar VJOURNAL (`.ics`).
    case journal
    /// Distribution lists (IPM.DistList); readpst skips them.
    case distributionList
    /// Tasks (IPM.Task); readpst skips them.
    case task
    /// Notes (IPM.StickyNote); readpst skips them.
    case stickyNote
    /// Hidden folder settings Outlook keeps with a folder (views, rules, calendar options); not user content.
    case folderSettings
    /// Any other item class readpst does not convert.
    case other

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// An item readpst could not convert; the rest of the PST is still extracted.
public struct PSTItemFailure: Sendable, Equatable {
    public let folderPath: String
    /// Position as in `PSTItem.position`; nil when readpst only reported a count for the folder.
    public let position: Int?
    public let reason: String
}
