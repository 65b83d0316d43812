// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// One message as read from an export, before it is catalogued.
public struct ParsedChatMessage: Sendable, Hashable {
    /// Line of the export where it starts (1-based; for XML the line of its element).
    public var line: Int
    public var kind: ChatMessageKind
    /// The sender as the export names them (a contact name or a phone number); nil for system lines.
    public var sender: String?
    /// The sender's phone number, when the export gives one apart from the name (SMS).
    public var senderAddress: String?
    /// When it was sent (the export's local time read as Europe/Amsterdam, or the SMS backup's epoch time).
    public var instant: Instant
    /// The text, with WhatsApp's invisible direction marks removed and line breaks kept.
    public var text: String
    /// File names of the media it carries (in the zip or the backup), in order.
    public var media: [String]
    /// The export left the media out (`<Media weggelaten>`, `image omitted`).
    public var mediaOmitted: Bool

    public init(line: Int, kind: ChatMessageKind, sender: String?, senderAddress: String? = nil, instant: Instant, text: String,
                media: [String] = [], mediaOmitted: Bool = false) {
        self.line = line
        self.kind = kind
        self.sender = sender
        self.senderAddress = senderAddress
        self.instant = instant
        self.text = text
        self.media = media
        self.mediaOmitted = mediaOmitted
    }

    /// The time as ISO 8601 with the Amsterdam offset of that moment (`2024-03-31T03:05:00+02:00`).
    public var timeText: String { ChatTime.isoText(instant) }
}

/// A media file that came with an export (a zip member, or an MMS part), with its bytes.
public struct ChatMediaFile: Sendable, Hashable {
    /// The name the messages refer to it by.
    public var name: String
    public var data: Data
    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}

/// An export read whole: its format, the date order used, its title, its messages and its media.
public struct ParsedChat: Sendable {
    public var format: ChatFormat
    /// The order of day and month used to read the dates (nil for SMS XML, which has epoch times).
    public var dateOrder: DateOrder?
    /// The chat's name: from the zip's or text file's name (`WhatsApp Chat met Dijkteam`), else the file name.
    public var title: String
    public var messages: [ParsedChatMessage]
    public var mediaFiles: [ChatMediaFile]

    public init(format: ChatFormat, dateOrder: DateOrder?, title: String, messages: [ParsedChatMessage], mediaFiles: [ChatMediaFile] = []) {
        self.format = format
        self.dateOrder = dateOrder
        self.title = title
        self.messages = messages
        self.mediaFiles = mediaFiles
    }

    /// Names of media the messages refer to that the export does not hold (a text-only export of a chat with media).
    public var missingMedia: [String] {
        let present = Set(mediaFiles.map(\.name))
        var seen = Set<String>()
        return messages.flatMap(\.media).filter { !present.contains($0) && seen.insert($0).inserted }
    }
}

/// Chat times: Amsterdam wall-clock time in, ISO 8601 with the offset of that moment out.
public enum ChatTime {
    /// `instant` as ISO 8601 with its Europe/Amsterdam offset: `2024-03-12T09:15:00+01:00`.
    public static func isoText(_ instant: Instant) -> String {
        ISOTimestamp.format(instant.date, offsetMinutes: AmsterdamTime.utcOffset(at: instant) / 60)
    }

    /// The instant Amsterdam clocks showed `hour:minute:second` on `date` (a time skipped by the spring change is read
    /// with the winter offset; one that occurs twice in autumn as its first, summer-time occurrence).
    public static func amsterdam(_ date: CivilDate, hour: Int, minute: Int, second: Int) -> Instant {
        AmsterdamTime.instant(date: date, secondOfDay: hour * 3600 + minute * 60 + second)
    }
}

/// The characters WhatsApp puts in exports that a reader does not see.
enum ChatText {
    /// Removes direction marks and embeddings (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the byte-order mark
    /// (U+FEFF), and turns no-break spaces (U+00A0, U+202F, U+2007) into plain spaces.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value >= 0xA0 && isSpecial($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.value {
            case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: continue
            case 0x00A0, 0x202F, 0x2007: out.append(" ")
            default: out.append(s)
            }
        }
        return String(out)
    }

    private static func isSpecial(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF, 0x00A0, 0x202F, 0x2007: return true
        default: return false
        }
    }
}
