// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Makes a message file written by readpst reproducible and reads the Outlook facts readpst puts in it.
///
/// readpst seeds `rand()` with the clock and uses it for MIME boundaries (`--boundary-LibPST-iamunique-N_-_-`)
/// and for the names of meeting-request parts (`iN.ics`), so two conversions of the same PST give different bytes
/// and would defeat deduplication. The random numbers are replaced by their order of first appearance in the
/// file; nothing else is changed. This is not MIME parsing: only readpst's own fixed tokens are touched.
enum ReadpstMessageFile {
    struct Facts: Equatable {
        var kind: PSTItemKind
        var flags: PSTItemFlags
    }

    static let boundaryStem = Array("boundary-LibPST-iamunique-".utf8)
    static let boundaryTail = Array("_-_-".utf8)
    static let invitePrefix = Array("=\"i".utf8)
    static let inviteTail = Array(".ics\"".utf8)

    /// readpst also stamps the calendar parts it writes for meeting requests with the time of the conversion
    /// (`DTSTAMP:`). Stamps from that run (at or after `since`) are replaced by `replacement`, the PST file's
    /// modification time, so that converting the same file again gives the same bytes. Older stamps, which come
    /// from the mailbox itself, are left alone.
    struct Stamp {
        var since: Date
        var replacement: Date
    }

    static let dtstamp = Array("\nDTSTAMP:".utf8)

    /// Rewrites the file in place when it holds random tokens or conversion-time stamps, and returns its kind
    /// and flags.
    static func normalise(at url: URL, stamp: Stamp? = nil) throws -> Facts {
        let original = try Data(contentsOf: url)
        var bytes = [UInt8](original)
        let changedBoundaries = renumber(&bytes, stem: boundaryStem, tail: boundaryTail)
        let changedInvites = renumber(&bytes, stem: invitePrefix, tail: inviteTail)
        let changedStamps = stamp.map { restamp(&bytes, $0) } ?? false
        if changedBoundaries || changedInvites || changedStamps {
            try Data(bytes).write(to: url, options: .atomic)
        }
        return facts(of: bytes)
    }

    /// Replaces `DTSTAMP:YYYYMMDDTHHMMSSZ` values written during the conversion by the replacement stamp.
    static func restamp(_ bytes: inout [UInt8], _ stamp: Stamp) -> Bool {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let replacement = Array(formatter.string(from: stamp.replacement).utf8)
        var changed = false
        var i = 0
        while let start = find(dtstamp, in: bytes, from: i) {
            let valueStart = start + dtstamp.count
            let valueEnd = valueStart + 16
            i = valueStart
            guard valueEnd <= bytes.count,
                  let date = formatter.date(from: String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)),
                  date >= stamp.since.addingTimeInterval(-2) else { continue }
            bytes.replaceSubrange(valueStart..<valueEnd, with: replacement)
            changed = true
        }
        return changed
    }

    /// Replaces each `stem DIGITS tail` by `stem K tail`, K counting distinct DIGITS in order of appearance.
    static func renumber(_ bytes: inout [UInt8], stem: [UInt8], tail: [UInt8]) -> Bool {
        var numbers: [ArraySlice<UInt8>: Int] = [:]
        var output: [UInt8] = []
        var copied = 0
        var i = 0
        var changed = false
        while let start = find(stem, in: bytes, from: i) {
            var end = start + stem.count
            while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
            let digits = bytes[(start + stem.count)..<end]
            guard !digits.isEmpty, bytes.count >= end + tail.count,
                  bytes[end..<(end + tail.count)].elementsEqual(tail) else {
                i = start + 1
                continue
            }
            let number = numbers[digits] ?? numbers.count
            numbers[digits] = number
            let replacement = Array(String(number).utf8)
            if !digits.elementsEqual(replacement) {
                if !changed { output.reserveCapacity(bytes.count) }
                changed = true
                output.append(contentsOf: bytes[copied..<(start + stem.count)])
                output.append(contentsOf: replacement)
                copied = end
            }
            i = end + tail.count
        }
        guard changed else { return false }
        output.append(contentsOf: bytes[copied...])
        bytes = output
        return true
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            guard let hit = haystack[i...last].firstIndex(of: first) else { return nil }
            if haystack[hit..<(hit + needle.count)].elementsEqual(needle) { return hit }
            i = hit + 1
        }
        return nil
    }

    /// readpst writes LF line ends, the item's original header fields, then `Status: RO` for a read item,
    /// then its own MIME header fields; a blank line ends the header.
    static func facts(of bytes: [UInt8]) -> Facts {
        let headerEnd = find(Array("\n\n".utf8), in: bytes, from: 0) ?? bytes.count
        let header = String(decoding: bytes[..<headerEnd], as: UTF8.self)
        var flags: PSTItemFlags = []
        var kind = PSTItemKind.mail
        for line in header.split(separator: "\n", omittingEmptySubsequences: true) {
            let lower = line.lowercased()
            if lower.hasPrefix("status:"), line.dropFirst("status:".count).contains("R") {
                flags.insert(.read)
            }
            if lower.hasPrefix("content-type: multipart/report") { kind = .deliveryReport }
        }
        // After renumbering, the outer boundary is number 0; readpst puts a meeting request's calendar part
        // directly in the outer multipart.
        let meeting = Array("\n----boundary-LibPST-iamunique-0_-_-\nContent-Type: text/calendar; method=".utf8)
        if kind == .mail, find(meeting, in: bytes, from: headerEnd) != nil { kind = .meetingRequest }
        return Facts(kind: kind, flags: flags)
    }
}
