// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// The kinds of export Sluitsteen reads.
public enum ChatFormat: String, Sendable, Hashable, Codable, CaseIterable, DatabaseValueConvertible {
    /// WhatsApp "Export chat" from Android: `dd-mm-jjjj HH:MM - Naam: tekst` (or `M/D/YY, h:mm AM - …`).
    case whatsAppAndroid = "whatsapp-android"
    /// WhatsApp "Export chat" from iOS: `[dd-mm-jjjj HH:MM:SS] Naam: tekst`, in `_chat.txt`.
    case whatsAppIOS = "whatsapp-ios"
    /// SMS Backup & Restore (Android app) XML: `<sms>` and `<mms>` elements.
    case smsBackupRestore = "sms-backup-restore"

    /// Name for people.
    public var displayName: String {
        switch self {
        case .whatsAppAndroid: return "WhatsApp (Android)"
        case .whatsAppIOS: return "WhatsApp (iOS)"
        case .smsBackupRestore: return "SMS Backup & Restore"
        }
    }
}

/// The order of day and month in an export's dates.
public enum DateOrder: String, Sendable, Hashable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Day first (`12-03-2024`): Dutch and most European locales.
    case dmy
    /// Month first (`3/12/24`): US English.
    case mdy
}

/// What a line of a chat is.
public enum ChatMessageKind: String, Sendable, Hashable, Codable, CaseIterable, DatabaseValueConvertible {
    /// A message someone sent (text, media, or both).
    case message
    /// A line the app wrote (group created, someone added, encryption notice).
    case system
    /// A message its sender deleted ("Dit bericht is verwijderd").
    case deleted
}

/// Where a conversation is in its review (bijlage 4, privacy): under review by the project lead, who may strip private
/// messages, or handed over to DIV, after which it is read-only.
public enum ChatConversationState: String, Sendable, Hashable, Codable, CaseIterable, DatabaseValueConvertible {
    case review
    case handedOver = "handed-over"
}

/// Whether the export file as received is still in the store: removed at hand-over when messages were stripped from
/// it (the stripped messages must not reach DIV); its SHA-256 and size stay in the catalog.
public enum ChatExportState: String, Sendable, Hashable, Codable, CaseIterable, DatabaseValueConvertible {
    case stored
    case removed
}

/// A media file of a conversation: stored; named by a message but not in the export (`missing`); or belonging to a
/// stripped message (`stripped`: its bytes are removed at hand-over, then its row).
public enum ChatMediaState: String, Sendable, Hashable, Codable, CaseIterable, DatabaseValueConvertible {
    case stored
    case missing
    case stripped
}
