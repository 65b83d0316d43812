// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy

/// Reads the text of a WhatsApp "Export chat" (Android or iOS, Dutch or English) into messages.
///
/// A message starts on a line that begins with its date and time: `12-03-2024 09:15 - Naam: tekst` (Android),
/// `[12-03-2024 09:15:32] Naam: tekst` (iOS), `3/12/24, 9:15 AM - Name: text` (Android, US English); every other
/// line continues the message before it (a multi-line message). Whether dates are day-month or month-day is read from
/// the whole file: a date whose first number is above 12 shows day-month, one whose second is above 12 month-day;
/// when none does, the caller must say (``DateOrder``). Times are Europe/Amsterdam wall-clock time. Lines without
/// a sender (Android) or written by the app (iOS, marked with U+200E) are system lines; media markers
/// (`IMG-…-WA0005.jpg (bestand bijgevoegd)`, `<bijgevoegd: …>`, `<attached: …>`) give the message's media, and
/// `<Media weggelaten>` / `image omitted` say the export left the file out.
public struct WhatsAppParser: Sendable {
    /// Name of the export in errors (its path).
    public let source: String
    /// The date order to use when the file does not show it (`--date-order`); a file that contradicts it is refused.
    public let dateOrder: DateOrder?

    public init(source: String, dateOrder: DateOrder? = nil) {
        self.source = source
        self.dateOrder = dateOrder
    }

    /// The start of one message: its date and time as written and the rest of the line.
    struct Header {
        var bracketed: Bool
        var first: Int, second: Int, year: Int
        var dateText: String
        var hour: Int, minute: Int, secondOfMinute: Int
        /// `true` for PM, `false` for AM, nil for a 24-hour clock.
        var pm: Bool?
        var rest: String
    }

    /// One message being read: its header, line, and the lines that continue it.
    private struct Entry {
        var header: Header
        var line: Int
        /// The raw line contained `: U+200E` (iOS marks what the app wrote so).
        var appMarked: Bool
        var more: [String] = []
    }

    /// Parses the export's bytes. Throws ``ChatError`` for text that is not UTF-8, a file that is not a WhatsApp export,
    /// impossible dates or times, and an undecidable or contradicted date order.
    public func parse(_ data: Data) throws(ChatError) -> (format: ChatFormat, dateOrder: DateOrder, messages: [ParsedChatMessage]) {
        let lines = try Self.utf8Lines(data, source: source)
        var entries: [Entry] = []
        var bracketed: Bool? = nil
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let visible = ChatText.visible(raw)
            if let header = Self.header(visible) {
                if let b = bracketed, b != header.bracketed {
                    throw .brokenLine(file: source, line: number, reason: "this line is written as WhatsApp on "
                        + "\(header.bracketed ? "iOS" : "Android") writes, the lines before it as on \(b ? "iOS" : "Android")")
                }
                bracketed = header.bracketed
                entries.append(Entry(header: header, line: number, appMarked: raw.contains(": \u{200E}")))
            } else if entries.isEmpty {
                if visible.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                throw .unknownFormat(file: source, reason: "line \(number) does not begin with a date and time as WhatsApp writes them "
                    + "(\"12-03-2024 09:15 - Naam: …\" or \"[12-03-2024 09:15:32] Naam: …\")")
            } else {
                entries[entries.count - 1].more.append(visible)
            }
        }
        guard !entries.isEmpty else { throw .unknownFormat(file: source, reason: "it holds no lines at all") }
        let order = try decideOrder(entries)
        let format: ChatFormat = bracketed == true ? .whatsAppIOS : .whatsAppAndroid
        var messages: [ParsedChatMessage] = []
        messages.reserveCapacity(entries.count)
        for e in entries {
            let instant = try instant(e.header, order: order, line: e.line)
            messages.append(Self.message(e, instant: instant, format: format))
        }
        return (format, order, messages)
    }

    /// The file's lines (without line ends), or the line that is not UTF-8.
    static func utf8Lines(_ data: Data, source: String) throws(ChatError) -> [String] {
        var lines: [String] = []
        var failed: Int? = nil
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            var number = 0
            func take(_ end: Int) {
                number += 1
                var stop = end
                if stop > start, bytes[stop - 1] == 0x0D { stop -= 1 }
                guard let line = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self) else {
                    if failed == nil { failed = number }
                    return
                }
                lines.append(line)
            }
            for i in 0..<bytes.count where bytes[i] == 0x0A {
                take(i)
                start = i + 1
            }
            if start < bytes.count { take(bytes.count) }
        }
        if let failed {
            throw .brokenLine(file: source, line: failed, reason: "this line is not UTF-8 text (WhatsApp writes UTF-8; was the file "
                + "converted or cut?)")
        }
        return lines
    }

    /// Day-month or month-day, from the whole file (or `dateOrder` when it does not show).
    private func decideOrder(_ entries: [Entry]) throws(ChatError) -> DateOrder {
        var dayFirst: Int? = nil
        var monthFirst: Int? = nil
        for e in entries {
            let h = e.header
            if h.first > 12 && h.second > 12 {
                throw .brokenLine(file: source, line: e.line, reason: "the date \(h.dateText) has no month (both numbers are above 12)")
            }
            if h.first > 12, dayFirst == nil { dayFirst = e.line }
            if h.second > 12, monthFirst == nil { monthFirst = e.line }
        }
        if let d = dayFirst, let m = monthFirst { throw .inconsistentDateOrder(file: source, dayFirstLine: d, monthFirstLine: m) }
        let read: DateOrder? = dayFirst != nil ? .dmy : monthFirst != nil ? .mdy : nil
        if let given = dateOrder {
            if let read, read != given { throw .dateOrderContradicted(file: source, line: dayFirst ?? monthFirst ?? 0, given: given) }
            return given
        }
        guard let read else { throw .ambiguousDateOrder(file: source, example: entries[0].header.dateText) }
        return read
    }

    /// The instant of a header, or the reason its date or time is impossible.
    private func instant(_ h: Header, order: DateOrder, line: Int) throws(ChatError) -> Instant {
        let (day, month) = order == .dmy ? (h.first, h.second) : (h.second, h.first)
        guard let date = CivilDate(year: h.year, month: month, day: day) else {
            let read = order == .dmy ? "day-month" : "month-day"
            throw .brokenLine(file: source, line: line, reason: "the date \(h.dateText) does not exist (read as \(read))")
        }
        var hour = h.hour
        if let pm = h.pm {
            guard (1...12).contains(hour) else {
                throw .brokenLine(file: source, line: line, reason: "the hour \(hour) does not exist on a 12-hour clock")
            }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard hour < 24, h.minute < 60, h.secondOfMinute < 60 else {
            throw .brokenLine(file: source, line: line, reason: "the time \(h.hour):\(h.minute) does not exist")
        }
        return ChatTime.amsterdam(date, hour: hour, minute: h.minute, second: h.secondOfMinute)
    }

    // MARK: Lines

    /// The header at the start of `line` (already stripped of invisible characters), or nil when it does not start a message.
    static func header(_ line: String) -> Header? {
        let b = Array(line.utf8)
        var i = 0
        func digits(_ min: Int, _ max: Int) -> (value: Int, count: Int)? {
            var v = 0, n = 0
            while i < b.count, n < max, b[i] >= 48, b[i] <= 57 { v = v * 10 + Int(b[i] - 48); i += 1; n += 1 }
            return n >= min ? (v, n) : nil
        }
        func skip(_ byte: UInt8) -> Bool {
            guard i < b.count, b[i] == byte else { return false }
            i += 1
            return true
        }
        let bracketed = skip(UInt8(ascii: "["))
        let dateStart = i
        guard let first = digits(1, 2), i < b.count else { return nil }
        let sep = b[i]
        guard sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/") || sep == UInt8(ascii: "."), skip(sep),
              let second = digits(1, 2), skip(sep), let year = digits(2, 4), year.count == 2 || year.count == 4 else { return nil }
        let dateText = String(decoding: b[dateStart..<i], as: UTF8.self)
        _ = skip(UInt8(ascii: ","))
        guard skip(UInt8(ascii: " ")) else { return nil }
        while skip(UInt8(ascii: " ")) {}
        guard let hour = digits(1, 2), skip(UInt8(ascii: ":")), let minute = digits(2, 2) else { return nil }
        var seconds = 0
        if skip(UInt8(ascii: ":")) {
            guard let s = digits(2, 2) else { return nil }
            seconds = s.value
        }
        var pm: Bool? = nil
        let beforeMeridiem = i
        while skip(UInt8(ascii: " ")) {}
        if i < b.count, b[i] | 0x20 == UInt8(ascii: "a") || b[i] | 0x20 == UInt8(ascii: "p") {
            let isPM = b[i] | 0x20 == UInt8(ascii: "p")
            i += 1
            _ = skip(UInt8(ascii: "."))
            if i < b.count, b[i] | 0x20 == UInt8(ascii: "m") {
                i += 1
                _ = skip(UInt8(ascii: "."))
                pm = isPM
            } else { i = beforeMeridiem }
        } else { i = beforeMeridiem }
        if bracketed {
            guard skip(UInt8(ascii: "]")), skip(UInt8(ascii: " ")) else { return nil }
        } else {
            guard skip(UInt8(ascii: " ")), skip(UInt8(ascii: "-")), skip(UInt8(ascii: " ")) else { return nil }
        }
        return Header(bracketed: bracketed, first: first.value, second: second.value,
                      year: year.count == 2 ? 2000 + year.value : year.value, dateText: dateText, hour: hour.value,
                      minute: minute.value, secondOfMinute: seconds, pm: pm, rest: String(decoding: b[i...], as: UTF8.self))
    }

    /// The message an entry makes: sender, kind, text and media.
    private static func message(_ e: Entry, instant: Instant, format: ChatFormat) -> ParsedChatMessage {
        let rest = e.header.rest
        guard let colon = rest.range(of: ": "), isSender(rest[..<colon.lowerBound]) else {
            // No sender: a line the app wrote (Android).
            let text = ([rest] + e.more).joined(separator: "\n")
            return ParsedChatMessage(line: e.line, kind: .system, sender: nil, instant: instant, text: text)
        }
        let sender = String(rest[..<colon.lowerBound]).trimmingCharacters(in: .whitespaces)
        let firstLine = String(rest[colon.upperBound...])
        let body = ([firstLine] + e.more).joined(separator: "\n")
        let trimmed = firstLine.trimmingCharacters(in: .whitespaces)
        if e.more.isEmpty, isDeletedNotice(trimmed) {
            return ParsedChatMessage(line: e.line, kind: .deleted, sender: sender, instant: instant, text: trimmed)
        }
        if let name = attachedName(trimmed) {
            let caption = e.more.joined(separator: "\n")
            return ParsedChatMessage(line: e.line, kind: .message, sender: sender, instant: instant, text: caption, media: [name])
        }
        if e.more.isEmpty, isOmittedMedia(trimmed) {
            return ParsedChatMessage(line: e.line, kind: .message, sender: sender, instant: instant, text: trimmed, mediaOmitted: true)
        }
        if format == .whatsAppIOS, e.appMarked {
            // iOS writes the app's own lines under the chat's name, marked with U+200E.
            return ParsedChatMessage(line: e.line, kind: .system, sender: nil, instant: instant, text: body)
        }
        return ParsedChatMessage(line: e.line, kind: .message, sender: sender, instant: instant, text: body)
    }

    /// Whether the text before the first `: ` can be a sender's name (not a system line that happens to hold a colon).
    private static func isSender(_ s: Substring) -> Bool {
        let t = s.trimmingCharacters(in: .whitespaces)
        return !t.isEmpty && t.count <= 100 && !t.contains("\"") && !t.contains("\u{201C}") && !t.contains("\u{201D}")
    }

    private static let deletedNotices: Set<String> = [
        "dit bericht is verwijderd", "je hebt dit bericht verwijderd", "u hebt dit bericht verwijderd",
        "this message was deleted", "you deleted this message",
    ]

    /// "Dit bericht is verwijderd." and its kin.
    static func isDeletedNotice(_ text: String) -> Bool {
        var t = text.lowercased()
        if t.hasSuffix(".") { t.removeLast() }
        return deletedNotices.contains(t)
    }

    private static let omittedWords = ["afbeelding", "video", "audio", "sticker", "gif", "document", "contactkaart", "image", "contact card"]

    /// `<Media weggelaten>`, `<Media omitted>`, and iOS's `afbeelding weggelaten` / `image omitted`.
    static func isOmittedMedia(_ text: String) -> Bool {
        let t = text.lowercased()
        if t == "<media weggelaten>" || t == "<media omitted>" { return true }
        for w in omittedWords where t == w + " weggelaten" || t == w + " omitted" { return true }
        return false
    }

    /// The file name of `IMG-…-WA0005.jpg (bestand bijgevoegd)`, `<bijgevoegd: …>` or `<attached: …>`, if the line is one.
    static func attachedName(_ text: String) -> String? {
        for suffix in [" (bestand bijgevoegd)", " (file attached)"] where text.hasSuffix(suffix) {
            let name = String(text.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : name
        }
        for prefix in ["<bijgevoegd:", "<attached:"] where text.lowercased().hasPrefix(prefix) && text.hasSuffix(">") {
            let name = String(text.dropFirst(prefix.count).dropLast()).trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : name
        }
        return nil
    }
}
