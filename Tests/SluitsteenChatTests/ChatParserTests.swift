// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
@testable import SluitsteenChat
import SluitsteenTestSupport
import Testing

/// The fixture exports read as a person reading them would list them: how many messages, who sent each, when (with the
/// Amsterdam offset of that moment), what they say and which media they carry.
@Suite struct ChatParserTests {
    static let folder = PackagePaths.fixtures.appendingPathComponent("chat")

    static func read(_ name: String, dateOrder: DateOrder? = nil) throws -> ParsedChat {
        try ChatExportReader(dateOrder: dateOrder).read(folder.appendingPathComponent(name)).chat
    }

    /// (kind, sender, time, text) per message, for comparing with what a reader of the export sees.
    static func rows(_ chat: ParsedChat) -> [String] {
        chat.messages.map { m in
            [m.kind.rawValue, m.sender ?? "-", m.timeText, m.text, m.media.joined(separator: ","), m.mediaOmitted ? "omitted" : ""]
                .joined(separator: " | ")
        }
    }

    @Test func androidDutchExport() throws {
        let chat = try Self.read("WhatsApp Chat met Dijkteam.txt")
        #expect(chat.format == .whatsAppAndroid)
        // The first dates (01-03, 02-03, 05-03) read either way; 13-03-2024 on line 12 decides: day first.
        #expect(chat.dateOrder == .dmy)
        #expect(chat.title == "Dijkteam")
        #expect(Self.rows(chat) == [
            "system | - | 2024-03-01T08:59:00+01:00 | Berichten en oproepen zijn end-to-end versleuteld. Niemand buiten deze chat, zelfs "
                + "WhatsApp niet, kan ze lezen of beluisteren. Tik voor meer informatie. |  | ",
            "system | - | 2024-03-01T09:00:00+01:00 | Dora de Wit heeft de groep \"Dijkteam\" aangemaakt |  | ",
            "message | Dora de Wit | 2024-03-01T09:02:00+01:00 | Goedemorgen allemaal, de dijk bij Lekkerkerk lekt. |  | ",
            "message | Karel Smit | 2024-03-01T09:05:00+01:00 | Ik ben onderweg.\nBen er over tien minuten.\n\nNeem zandzakken mee! |  | ",
            "message | Karel Smit | 2024-03-02T10:15:00+01:00 | Foto van de bres | IMG-20240302-WA0005.jpg | ",
            "message | Karel Smit | 2024-03-02T10:16:00+01:00 | <Media weggelaten> |  | omitted",
            "deleted | Dora de Wit | 2024-03-05T11:00:00+01:00 | Dit bericht is verwijderd |  | ",
            "message | Jan de Vries | 2024-03-13T14:30:00+01:00 | \u{1F44D}\u{1F44D} |  | ",
            // Summer time began at 02:00 that night: 03:05 is +02:00. The no-break space and the embedding marks are gone.
            "message | Dora de Wit | 2024-03-31T03:05:00+02:00 | Om 10 uur overleg bij het gemaal. |  | ",
            "system | - | 2024-03-31T03:06:00+02:00 | Jan de Vries heeft de groep verlaten |  | ",
        ])
        #expect(chat.messages.map(\.line) == [1, 2, 3, 4, 8, 10, 11, 12, 13, 14])
        // A text-only export names a photo it does not hold: reported, not invented.
        #expect(chat.missingMedia == ["IMG-20240302-WA0005.jpg"])
    }

    @Test func iOSDutchZipWithMedia() throws {
        let chat = try Self.read("WhatsApp Chat - Dijkteam.zip")
        #expect(chat.format == .whatsAppIOS)
        #expect(chat.dateOrder == .dmy)
        #expect(chat.title == "Dijkteam")
        #expect(Self.rows(chat) == [
            "system | - | 2024-03-01T09:00:00+01:00 | Berichten en oproepen zijn end-to-end versleuteld. Niemand buiten deze chat, zelfs "
                + "WhatsApp niet, kan ze lezen of beluisteren. |  | ",
            "message | Dora de Wit | 2024-03-01T09:02:11+01:00 | Goedemorgen, de dijk lekt. |  | ",
            "message | Karel Smit | 2024-03-02T10:15:00+01:00 |  | 00000003-PHOTO-2024-03-02-10-15-00.jpg | ",
            "message | Karel Smit | 2024-03-02T10:16:30+01:00 | afbeelding weggelaten |  | omitted",
            "deleted | Dora de Wit | 2024-03-05T11:00:00+01:00 | Dit bericht is verwijderd. |  | ",
            // 02:30 happens twice on 27 October 2024: the first (summer-time) occurrence is taken.
            "message | Jan de Vries | 2024-10-27T02:30:00+02:00 | Eerste keer half drie |  | ",
            "message | Jan de Vries | 2024-10-27T03:30:00+01:00 | Regel een\nregel twee |  | ",
            "message | Karel Smit | 2024-10-28T08:00:00+01:00 |  | 00000007-AUDIO-2024-10-28-08-00-00.opus | ",
        ])
        #expect(chat.mediaFiles.map(\.name) == ["00000003-PHOTO-2024-03-02-10-15-00.jpg", "00000007-AUDIO-2024-10-28-08-00-00.opus"])
        #expect(chat.mediaFiles[0].data.prefix(2) == Data([0xFF, 0xD8]))
        #expect(chat.missingMedia.isEmpty)
    }

    @Test func androidUSEnglishMonthFirstTwelveHour() throws {
        let chat = try Self.read("WhatsApp Chat with Flood team.txt")
        #expect(chat.format == .whatsAppAndroid)
        // 3/1, 3/2, 3/5 read either way; 3/14/24 decides: month first.
        #expect(chat.dateOrder == .mdy)
        #expect(chat.title == "Flood team")
        #expect(Self.rows(chat) == [
            "system | - | 2024-03-01T09:00:00+01:00 | Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
                + "WhatsApp, can read or listen to them. Tap to learn more. |  | ",
            "message | Dora de Wit | 2024-03-01T09:02:00+01:00 | Good morning, the dike is leaking. |  | ",
            "message | Karel Smit | 2024-03-02T22:15:00+01:00 | <Media omitted> |  | omitted",
            "deleted | Dora de Wit | 2024-03-05T12:00:00+01:00 | This message was deleted |  | ",
            "message | Karel Smit | 2024-03-05T12:01:00+01:00 |  | IMG-20240305-WA0001.jpg | ",
            "message | Karel Smit | 2024-03-14T00:30:00+01:00 | \u{1F600}\u{1F600} |  | ",
            "message | Jan de Vries | 2024-03-14T13:05:00+01:00 | See you at\nthe pumping station. |  | ",
        ])
    }

    @Test func smsBackupAndRestore() throws {
        let chat = try Self.read("sms-backup.xml")
        #expect(chat.format == .smsBackupRestore)
        #expect(chat.dateOrder == nil)
        #expect(Self.rows(chat) == [
            "message | Karel Smit | 2024-03-01T10:02:00+01:00 | Dijk lekt bij Lekkerkerk, kom je? |  | ",
            // Sent from the phone: its owner is the sender. The emoji was written as two surrogate references.
            "message | eigenaar van de telefoon | 2024-03-01T10:07:00+01:00 | Ik kom eraan \u{1F44D} |  | ",
            "message | Karel Smit | 2024-03-02T10:00:00+01:00 | Foto van de bres | bres.png | ",
            "message | +31687654321 | 2024-03-31T03:05:00+02:00 | Zomertijd: regel\ntwee |  | ",
        ])
        #expect(chat.messages.map(\.senderAddress) == ["+31612345678", nil, "+31612345678", "+31687654321"])
        #expect(chat.mediaFiles.map(\.name) == ["bres.png"])
        #expect(chat.mediaFiles[0].data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func ambiguousDatesNeedAnOrder() throws {
        let url = Self.folder.appendingPathComponent("broken/ambiguous.txt")
        #expect {
            _ = try ChatExportReader().read(url)
        } throws: { error in
            guard case ChatError.ambiguousDateOrder = error else { return false }
            return "\(error)".contains("--date-order dmy")
        }
        let dmy = try ChatExportReader(dateOrder: .dmy).read(url).chat
        #expect(dmy.messages.map(\.timeText) == ["2024-03-01T09:02:00+01:00", "2024-03-02T09:03:00+01:00"])
        let mdy = try ChatExportReader(dateOrder: .mdy).read(url).chat
        #expect(mdy.messages.map(\.timeText) == ["2024-01-03T09:02:00+01:00", "2024-02-03T09:03:00+01:00"])
        // An order the file contradicts is refused, naming the line that shows it.
        #expect {
            _ = try Self.read("WhatsApp Chat met Dijkteam.txt", dateOrder: .mdy)
        } throws: { error in
            guard case ChatError.dateOrderContradicted(_, let line, .mdy) = error else { return false }
            return line == 12
        }
    }

    @Test(arguments: [
        ("broken/impossible-date.txt", "line 3", "31-02-2024 does not exist"),
        ("broken/not-a-chat.txt", "line 1 does not begin with a date", "not a chat export"),
        ("broken/mixed-platforms.txt", "line 2", "as WhatsApp on iOS writes"),
        ("broken/not-utf8.txt", "line 2", "not UTF-8"),
        ("broken/doctype.xml", "DOCTYPE", "not readable SMS Backup & Restore XML"),
    ])
    func brokenExportsAreRefusedWithFileAndLine(name: String, place: String, reason: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        do {
            _ = try ChatExportReader().read(url)
            Issue.record("\(name) was accepted")
        } catch {
            let text = error.description
            #expect(text.contains(url.path) || text.contains(name), "\(text)")
            #expect(text.contains(place), "\(text)")
            #expect(text.contains(reason), "\(text)")
            #expect(text.contains("Nothing was stored") || text.contains("nothing was stored"), "\(text)")
        }
    }

    @Test func headerLinesOfEveryKnownShape() {
        let cases: [(String, Int, Int, Int, Int, Int, Bool?)] = [
            ("12-03-2024 09:15 - Jan: x", 12, 3, 2024, 9, 15, nil),
            ("[12-03-2024 09:15:32] Jan: x", 12, 3, 2024, 9, 15, nil),
            ("[12-03-2024, 09:15:32] Jan: x", 12, 3, 2024, 9, 15, nil),
            ("3/12/24, 9:15 AM - John: x", 3, 12, 2024, 9, 15, false),
            ("3/12/24, 9:15 p.m. - John: x", 3, 12, 2024, 9, 15, true),
            ("[3/12/24, 9:15:02 PM] John: x", 3, 12, 2024, 9, 15, true),
            ("12.03.24, 21:15 - Jan: x", 12, 3, 2024, 21, 15, nil),
        ]
        for (line, a, b, y, h, m, pm) in cases {
            let header = WhatsAppParser.header(line)
            #expect(header?.first == a && header?.second == b && header?.year == y && header?.hour == h && header?.minute == m
                    && header?.pm == pm, "\(line)")
        }
        let notHeaders = ["Notulen", "12-03-2024 meeting", "12-03-2024 09:15 Jan: geen streepje", "1234-03-12 09:15 - x: y",
                          "[12-03-2024 09:15 Jan"]
        for line in notHeaders {
            #expect(WhatsAppParser.header(line) == nil, "\(line)")
        }
    }
}
