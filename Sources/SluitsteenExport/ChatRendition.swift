// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenSupport

/// The readable rendition of a conversation in a transfer package: one HTML page in formal Dutch with, per message,
/// the sender, the time (Amsterdam) and the text, and links to the media files that are bestanden of their own beside
/// it. Messages the project lead stripped before the hand-over are absent; one line says how many were removed and on
/// whose review, never which or what.
///
/// Every text from the chat is HTML-escaped; the page has no script and its content security policy forbids loading
/// anything but the files beside it, so a message that holds markup stays text.
public enum ChatRendition {
    /// What the page shows.
    public struct Input: Sendable {
        public var title: String
        /// The kind of export in words (`WhatsApp (Android)`).
        public var formatName: String
        /// What the conversation was taken in for, in words (`de aangewezen hotspot Dijkdoorbraak`).
        public var takenInFor: String
        public var archiefvormer: String
        /// The name of the person who handed the export over, and when it was taken in (ISO 8601).
        public var handedOverByName: String
        public var capturedAt: String
        /// When it was handed over to DIV (ISO 8601).
        public var handoverAt: String?
        /// The messages kept, in export order.
        public var messages: [ChatMessageRecord]
        /// The strips of the review.
        public var strips: [ChatStripRecord]
        /// The file name in the package of each stored media file, by the name the messages use.
        public var mediaFiles: [String: String]

        public init(title: String, formatName: String, takenInFor: String, archiefvormer: String, handedOverByName: String,
                    capturedAt: String, handoverAt: String?, messages: [ChatMessageRecord], strips: [ChatStripRecord],
                    mediaFiles: [String: String]) {
            self.title = title
            self.formatName = formatName
            self.takenInFor = takenInFor
            self.archiefvormer = archiefvormer
            self.handedOverByName = handedOverByName
            self.capturedAt = capturedAt
            self.handoverAt = handoverAt
            self.messages = messages
            self.strips = strips
            self.mediaFiles = mediaFiles
        }
    }

    /// The page.
    public static func html(_ input: Input) -> String {
        let e = HTML.escape
        let kept = input.messages
        let period: String
        if let first = kept.first, let last = kept.last {
            period = "\(DutchWords.date(instant(first))) tot en met \(DutchWords.date(instant(last)))"
        } else {
            period = "geen berichten"
        }
        var h = """
            <!DOCTYPE html>
            <html lang="nl">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'self'">
            <title>Gesprek \(e(input.title))</title>
            <style>
            body { font-family: sans-serif; max-width: 50em; margin: 2em auto; line-height: 1.4; }
            table.gegevens th { text-align: left; padding-right: 1em; vertical-align: top; }
            ol.berichten { list-style: none; padding: 0; }
            ol.berichten li { border-top: 1px solid #ccc; padding: 0.5em 0; }
            .kop { margin: 0; color: #444; }
            .afzender { font-weight: bold; }
            .tekst { margin: 0.25em 0 0 0; white-space: normal; }
            .melding { font-style: italic; }
            .verwijderd { border: 1px solid #999; padding: 0.5em; }
            </style>
            </head>
            <body>
            <h1>Gesprek \(e(input.title))</h1>
            <p>Leesbare weergave van een gesprek dat \(e(input.archiefvormer)) bewaart. Het gesprek is opgenomen voor \
            \(e(input.takenInFor)).</p>
            <table class="gegevens">
            <tr><th>Soort gesprek</th><td>\(e(input.formatName))</td></tr>
            <tr><th>Periode</th><td>\(e(period))</td></tr>
            <tr><th>Aangeleverd door</th><td>\(e(input.handedOverByName)), op \(e(DutchWords.date(iso: input.capturedAt)))</td></tr>
            <tr><th>Overgedragen aan DIV</th><td>\(e(input.handoverAt.map { DutchWords.date(iso: $0) } ?? "nog niet"))</td></tr>
            <tr><th>Berichten in deze weergave</th><td>\(kept.count)</td></tr>
            </table>

            """
        if let line = strippedLine(input.strips) { h += "<p class=\"verwijderd\">\(e(line))</p>\n" }
        h += "<ol class=\"berichten\">\n"
        for m in kept { h += item(m, mediaFiles: input.mediaFiles) }
        h += "</ol>\n</body>\n</html>\n"
        return h
    }

    /// The one line about the review: how many messages were removed, on whose review; nil when none were.
    public static func strippedLine(_ strips: [ChatStripRecord]) -> String? {
        let count = strips.reduce(0) { $0 + $1.messageCount }
        guard count > 0 else { return nil }
        var names: [String] = []
        for s in strips {
            let name = personName(s.strippedBy)
            if !names.contains(name) { names.append(name) }
        }
        let who = names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " en " + (names.last ?? "")
        let what = count == 1 ? "is 1 bericht" : "zijn \(count) berichten"
        return "Vóór de overdracht aan DIV \(what) uit dit gesprek verwijderd als privébericht, na beoordeling door \(who) "
            + "(bijlage 4 van het informatiebeleid, privacy). Welke berichten dat waren, is niet vastgelegd."
    }

    /// A person's name from an actor's audit text (`P0010 Dora de Wit (OS-account dora)` → `Dora de Wit`).
    static func personName(_ auditText: String) -> String {
        var text = auditText
        if let r = text.range(of: " (OS-account ", options: .backwards) { text = String(text[..<r.lowerBound]) }
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2, let first = words[0].first, first.isLetter, words[0].dropFirst().allSatisfy(\.isNumber),
           words[0].count > 1 {
            text = words[1]
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    private static func instant(_ m: ChatMessageRecord) -> Date { Date(timeIntervalSince1970: TimeInterval(m.epoch)) }

    private static func item(_ m: ChatMessageRecord, mediaFiles: [String: String]) -> String {
        let e = HTML.escape
        let when = "<time datetime=\"\(e(m.time))\">\(e(DutchWords.dateTime(instant(m))))</time>"
        let text = e(m.text).replacingOccurrences(of: "\n", with: "<br>\n")
        var h: String
        switch m.kind {
        case .system:
            h = "<li id=\"bericht-\(m.seq)\" class=\"melding\"><p class=\"kop\">\(when), melding van de app</p>\n"
        case .deleted:
            h = "<li id=\"bericht-\(m.seq)\"><p class=\"kop\"><span class=\"afzender\">\(e(m.sender ?? "onbekende afzender"))</span>, "
                + "\(when) (door de afzender verwijderd bericht)</p>\n"
        case .message:
            h = "<li id=\"bericht-\(m.seq)\"><p class=\"kop\"><span class=\"afzender\">\(e(m.sender ?? "onbekende afzender"))</span>"
                + (m.senderAddress.map { " (\(e($0)))" } ?? "") + ", \(when)</p>\n"
        }
        if !m.text.isEmpty { h += "<p class=\"tekst\">\(text)</p>\n" }
        for name in m.media {
            if let file = mediaFiles[name] {
                h += "<p class=\"media\">Bijlage: <a href=\"\(e(file))\">\(e(name))</a></p>\n"
            } else {
                h += "<p class=\"media\">Bijlage \(e(name)): niet in de export aanwezig.</p>\n"
            }
        }
        if m.mediaOmitted { h += "<p class=\"media\">De export bevat de media van dit bericht niet.</p>\n" }
        return h + "</li>\n"
    }
}
