import Foundation
import SluitsteenTestSupport
import GRDB
import SluitsteenArchive
@testable import SluitsteenIndex
@testable import SluitsteenIngest
@testable import SluitsteenMIME
import SluitsteenSupport
import Testing

/// Subjects, addresses, Message-IDs and dates exactly as the mail says (issue 11 point 4).
@Suite struct HeaderFidelityTests {
    let now = ISOTimestamp.parse("2026-06-01T10:00:00Z")!

    func parse(_ text: String) -> ParsedMessage {
        Data(text.utf8).withUnsafeBytes {
            MessageParser.parse($0, sha256: String(repeating: "ab", count: 32), fallbackDate: (now, .captureTime))
        }
    }

    func message(_ headers: String, body: String = "Tekst.\n") -> String {
        "From: a@b.example\n" + headers + "\n\n" + body
    }

    // MARK: - Encoded-words, word by word (RFC 2047 §6)

    @Test(arguments: [
        // Two base64 words in one charset, the first with "=" padding: GMime 3.2 stopped at the padding.
        ("=?utf-8?B?Q29uZmlybSB0aGUgdHJhbnNhY3Q=?= =?utf-8?B?aW9u?=", "Confirm the transaction"),
        // The same, folded over two lines, and with the padding on both words.
        // (White space inside an encoded-word is text: the trailing space stays, as in Python.)
        ("=?UTF-8?B?TXlTdXJ2ZXk=?=\n =?UTF-8?B?LmNvbTogIFk=?=\n =?UTF-8?B?b3UgaGF2ZSA=?=", "MySurvey.com:  You have "),
        // A base64 word without its padding: GMime dropped it.
        ("=?UTF-8?B?w7w?=", "ü"),
        ("Gr=?UTF-8?B?w7w?=e", "Grüe"),
        // An encoded-word glued inside a word: decoded, never dropped.
        ("f=?UTF-8?B?w7w?=r", "für"),
        ("f=?UTF-8?B?w7w=?=r", "für"),
        ("a=?UTF-8?Q?=C3=BC?=b", "aüb"),
        // A character split over two words (not allowed, but common): the bytes are joined before the charset.
        ("=?utf-8?B?4oI=?= =?utf-8?B?rA==?=", "€"),
        ("=?utf-8?Q?=C3?= =?utf-8?B?qQ==?=", "é"),
        // Different charsets: each word in its own; white space between encoded-words is dropped (RFC 2047 §6.2).
        ("=?utf-8?B?w6k=?= =?iso-8859-1?B?6Q==?=", "éé"),
        // Text between words stays, with its spaces.
        ("=?utf-8?B?w6k=?= en =?utf-8?B?w6k=?=", "é en é"),
        // Language suffix (RFC 2231) and case of the charset do not separate a run.
        ("=?UTF-8*nl?B?WmFhaw==?= =?utf-8?B?IDEyMw==?=", "Zaak 123"),
        // Things that only look like encoded-words stay as they are.
        ("=?utf-8?X?abc?= en =? nee ?=", "=?utf-8?X?abc?= en =? nee ?="),
    ])
    func subjectIsDecodedWordByWord(raw: String, decoded: String) {
        let p = parse(message("Subject: \(raw)"))
        #expect(p.subject == decoded)
    }

    /// The issue's reproduction: a zaak number in the lost tail of the subject was not in the catalog nor in the
    /// full-text index that Woo holds search, so the hold did not hold the message.
    @Test func zaakNumberInTheTailOfAnEncodedSubjectIsIndexed() throws {
        let subject = "Woo-verzoek over de kermis, zaak Z-2024-0042"
        let bytes = Array(subject.utf8)
        // Split like an encoder that pads each word: the first word ends in "=".
        let first = Data(bytes[..<26]).base64EncodedString(), second = Data(bytes[26...]).base64EncodedString()
        #expect(first.hasSuffix("="))
        let mbox = "From a@b.example Mon Jun  1 10:00:00 2026\n"
            + message("Subject: =?utf-8?B?\(first)?= =?utf-8?B?\(second)?=\nMessage-ID: <woo@b.example>\n"
                      + "Date: Mon, 1 Jun 2026 10:00:00 +0200")
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        let tmp = try TemporaryDirectory("mbox")
        let url = tmp.appending("Inbox.mbox")
        try Data(mbox.utf8).write(to: url)
        var ingestor = Ingestor(workspace: ws, now: now)
        ingestor.flushToDisk = false
        _ = try ingestor.run(IngestRequest(mailbox: "a@b.example", paths: [url], actor: "test"))
        try TextIndexer(workspace: ws).run()
        let stored = try ws.catalog.read { try String.fetchOne($0, sql: "SELECT subject FROM message") }
        #expect(stored == subject)
        let hits = try ws.catalog.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM messageText WHERE messageText MATCH ?", arguments: ["\"Z 2024 0042\""])
        }
        #expect(hits == 1)
    }

    @Test func displayNamesKeywordsAndAttachmentNamesAreDecodedWordByWord() {
        let words = "=?utf-8?B?Q29uZmlybSB0aGUgdHJhbnNhY3Q=?= =?utf-8?B?aW9u?="
        let p = parse("""
            From: \(words) <from@b.example>
            To: "\(words)" <to@b.example>, =?utf-8?B?SmFu?= =?utf-8?B?IEphbnNlbg==?= <jan@b.example>
            Keywords: \(words), =?utf-8?B?WmFhaw==?= =?utf-8?B?IDEyMw==?=
            Subject: x
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            Tekst.
            --b
            Content-Type: application/pdf; name="\(words).pdf"
            Content-Disposition: attachment; filename="\(words).pdf"

            JVBERi0=
            --b
            Content-Type: application/pdf; name="=?utf-8?B?QmlqbGFnZQ==?= =?utf-8?B?LnBkZg==?="

            JVBERi0=
            --b
            Content-Type: application/octet-stream
            Content-Disposition: attachment; name="alleen-name.zip"

            UEs=
            --b--

            """)
        #expect(p.from == [MailAddress(name: "Confirm the transaction", address: "from@b.example")])
        #expect(p.to == [MailAddress(name: "Confirm the transaction", address: "to@b.example"),
                         MailAddress(name: "Jan Jansen", address: "jan@b.example")])
        #expect(p.headerKeywords == ["Confirm the transaction", "Zaak 123"])
        // The third part has a Content-Disposition `name` only (not standard): its name is kept, not dropped.
        #expect(p.attachmentNames == ["Confirm the transaction.pdf", "Bijlage.pdf", "alleen-name.zip"])
    }

    @Test func attachedMessageIsNamedByItsFirstSubjectDecodedWordByWord() {
        let p = parse(message("""
            Subject: buiten
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"
            """, body: """
            --b
            Content-Type: message/rfc822

            Subject: =?utf-8?B?Q29uZmlybSB0aGUgdHJhbnNhY3Q=?= =?utf-8?B?aW9u?=
            Subject: tweede

            binnen
            --b--

            """))
        #expect(p.attachmentNames == ["Confirm the transaction.eml"])
    }

    // MARK: - Message-ID

    @Test(arguments: [
        ("<1234.5678@gemeente.example.>", "<1234.5678@gemeente.example.>"),  // trailing dot kept
        ("<a..b@x.example>", "<a..b@x.example>"),
        ("<id@a..b>", "<id@a..b>"),                                          // GMime kept only "<id@a>"
        ("<=?utf-8?B?Zm9v?=@x.example>", "<=?utf-8?B?Zm9v?=@x.example>"),    // never RFC 2047-decoded
        ("<\"quoted\"@x.example>", "<\"quoted\"@x.example>"),
        ("102.10200000000105", "<102.10200000000105>"),                      // no brackets: added
        ("<first@x.example> <second@x.example>", "<first@x.example>"),
        // RFC 5322's obsolete syntax: folding white space and comments between the parts are taken out.
        ("<1234   @   local(blah)  .machine .example>", "<1234@local.machine.example>"),
        ("\n <folded@x.example>", "<folded@x.example>"),
    ])
    func messageIdIsTakenAsWritten(raw: String, id: String) {
        let p = parse(message("Message-ID: \(raw)"))
        #expect(p.messageId == id)
        #expect(!p.messageIdSynthetic)
    }

    @Test func emptyMessageIdIsMissing() {
        let p = parse(message("Message-ID: <>"))
        #expect(p.messageIdSynthetic)
        #expect(p.defects.contains("missing-message-id"))
    }

    /// RFC 5322 allows one Subject, Date and Message-ID; of duplicates the first counts (as in Python), and the
    /// duplicate stays flagged.
    @Test func firstOfDuplicateHeadersIsTaken() {
        let p = parse(message("""
            Subject: eerste
            Message-ID: <eerste@x.example>
            Date: Mon, 1 Jun 2026 10:00:00 +0200
            Subject: tweede
            Message-ID: <tweede@x.example>
            Date: Tue, 2 Jun 2026 10:00:00 +0200
            """))
        #expect(p.subject == "eerste")
        #expect(p.messageId == "<eerste@x.example>")
        #expect(p.date.map { ISOTimestamp.format($0, offsetMinutes: p.dateOffsetMinutes) } == "2026-06-01T10:00:00+02:00")
        #expect(p.defects.contains("conflicting-header"))
    }

    // MARK: - Dates

    /// Zones RFC 5322 does not define are flagged and read as Python's email.utils reads them (checked against
    /// Python itself when it is installed); no zone, an unknown name or 24 hours or more is UTC.
    @Test(arguments: [
        ("+0200", "2026-06-01T10:00:00+02:00", false),
        ("-0330", "2026-06-01T10:00:00-03:30", false),
        ("-0060", "2026-06-01T10:00:00-01:00", true),
        ("+0480", "2026-06-01T10:00:00+05:20", true),
        ("-600", "2026-06-01T10:00:00-06:00", true),
        ("+1", "2026-06-01T10:00:00+00:01", true),
        ("cst", "2026-06-01T10:00:00-06:00", false),
        ("EDT", "2026-06-01T10:00:00-04:00", false),
        ("AST", "2026-06-01T10:00:00-04:00", true),
        ("+0100 (CET)", "2026-06-01T10:00:00+01:00", false),
        ("(CEST) +0200", "2026-06-01T10:00:00+02:00", false),
        ("PM EDT", "2026-06-01T10:00:00-04:00", false),
        ("+01:00", "2026-06-01T10:00:00+01:00", true),
        ("MEZ", "2026-06-01T10:00:00+00:00", true),
        ("GMT+1", "2026-06-01T10:00:00+00:00", true),
        ("A", "2026-06-01T10:00:00+00:00", true),
        ("+2400", "2026-06-01T10:00:00+00:00", true),
        ("", "2026-06-01T10:00:00+00:00", true),
    ])
    func dateZone(zone: String, iso: String, flagged: Bool) throws {
        let value = "Mon, 1 Jun 2026 10:00:00 \(zone)"
        let p = parse(message("Date: \(value)"))
        #expect(p.dateSource == .header)
        #expect(p.date.map { ISOTimestamp.format($0, offsetMinutes: p.dateOffsetMinutes) } == iso)
        #expect(p.defects.contains("invalid-date-zone") == flagged)
        // Python's reading of the same value. Where it differs, Python is wrong or has no reading: it takes
        // "+01:00" and a zone behind a comment or AM/PM as "no zone" (we read "+01:00" as
        // written, flagged, and a zone after a comment or AM/PM as the zone), and 24 hours or more is an error there.
        let pythonDiffers = ["+01:00", "+2400", "(CEST) +0200", "PM EDT"]
        if Python.available, !pythonDiffers.contains(zone) {
            let py = try Python.run(["-c", """
                import email.utils, sys
                d = email.utils.parsedate_to_datetime(sys.argv[1])
                print(d.isoformat() if d.tzinfo else d.isoformat() + '+00:00')
                """, value]).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(py == iso, "Python reads \(value) as \(py)")
        }
    }

    @Test func receivedDateZoneIsCheckedToo() {
        let p = parse(message("Received: from x by y; Mon, 1 Jun 2026 10:00:00 -0060"))
        #expect(p.dateSource == .received)
        #expect(p.date.map { ISOTimestamp.format($0, offsetMinutes: p.dateOffsetMinutes) } == "2026-06-01T10:00:00-01:00")
        #expect(p.defects.contains("invalid-date-zone"))
    }

    // MARK: - Recipients written with ";" (readpst, Outlook)

    /// readpst writes the recipients of a PST item as `To: a; b; …`: all 200 are recorded, not only the first.
    @Test func readpstRecipientListIsSplitAtSemicolons() {
        let to = (1...200).map { "medewerker\($0)@krimpenerwaard.example" }
        let cc = ["Jan Jansen", "Piet Pietersen <piet@x.example>", "Jansen, Kees"]
        let p = parse("""
            From: Saqib Razzaq <saqib@x.example>
            To: \(to.joined(separator: "; "))
            Cc: \(cc.joined(separator: "; "))
            Subject: Aan iedereen
            X-libpst-forensic-bcc: Mauro Sorrento; srs@sutor.example

            Tekst.

            """)
        #expect(p.to.map(\.address) == to)
        // A recipient known only by name is kept as a name (readpst writes Outlook's display names).
        #expect(p.cc == [MailAddress(name: "Jan Jansen", address: ""), MailAddress(name: "Piet Pietersen", address: "piet@x.example"),
                         MailAddress(name: "Jansen, Kees", address: "")])
        // Bcc of a PST item: readpst writes them in X-libpst-forensic-bcc.
        #expect(p.bcc == [MailAddress(name: "Mauro Sorrento", address: ""), MailAddress(name: nil, address: "srs@sutor.example")])
    }

    @Test func semicolonsThatBelongToTheAddressListStay() {
        let p = parse(message("""
            To: team: a@x.example, b@x.example;, "C; D" <c@x.example>, <d@x.example> (e; f)
            Cc: undisclosed-recipients:;
            Bcc: x@y.example
            X-libpst-forensic-bcc: genegeerd@y.example
            """))
        #expect(p.to.map(\.address) == ["a@x.example", "b@x.example", "c@x.example", "d@x.example"])
        #expect(p.to[2].name == "C; D")
        #expect(p.cc.isEmpty)
        #expect(p.bcc.map(\.address) == ["x@y.example"])
    }

    @Test func readpstRecipientKnownOnlyByNameIsKept() {
        let p = parse(message("To: Saqib Razzaq\nCc: Jansen, Kees"))
        #expect(p.to == [MailAddress(name: "Saqib Razzaq", address: "")])
        #expect(p.cc == [MailAddress(name: "Jansen, Kees", address: "")])
    }
}

/// Unbounded header values (issue 19 point 7): stored values are capped with a defect, and GMime is given a cut copy
/// of a huge header block, so memory stays bounded; the stored message keeps every byte.
@Suite struct HeaderLimitTests {
    let now = ISOTimestamp.parse("2026-06-01T10:00:00Z")!
    let sha = String(repeating: "cd", count: 32)

    /// A message whose Subject is `subjectBytes` long (a zaak number at its start and its end), followed by a To.
    func hugeSubject(_ subjectBytes: Int) -> Data {
        var data = Data("From: a@b.example\nSubject: Z-2024-0001 ".utf8)
        let line = Data((String(repeating: "x", count: 75) + "\n ").utf8)
        data.reserveCapacity(subjectBytes + 200)
        while data.count < subjectBytes { data.append(line) }
        data.append(Data("Z-2024-0099\nTo: b@c.example\nMessage-ID: <groot@b.example>\n".utf8))
        data.append(Data("Date: Mon, 1 Jun 2026 10:00:00 +0200\n\nDe tekst.\n".utf8))
        return data
    }

    @Test func hugeSubjectIsCutInMemoryAndFromAFileAlike() throws {
        let data = hugeSubject(3 << 20)
        let inMemory = data.withUnsafeBytes { MessageParser.parse($0, sha256: sha, fallbackDate: (now, .captureTime)) }
        let tmp = try TemporaryDirectory("big")
        let file = tmp.appending("m.eml")
        try data.write(to: file)
        let fromFile = try MessageParser.parse(file: file.path, sha256: sha, fallbackDate: (now, .captureTime))
        for p in [inMemory, fromFile] {
            #expect(p.subject.utf8.count <= StoredLimits.subjectBytes)
            #expect(p.subject.hasPrefix("Z-2024-0001 xxx"))
            #expect(p.defects.contains("header-field-cut"))
            #expect(p.defects.contains("subject-cut"))
            // The fields after the huge one are read as usual.
            #expect(p.to.map(\.address) == ["b@c.example"])
            #expect(p.messageId == "<groot@b.example>")
            #expect(p.dateSource == .header)
        }
        #expect(inMemory.defects == fromFile.defects)
        #expect(inMemory.subject == fromFile.subject)
        // The text index gets the subject up to the field limit and the body; not the whole subject.
        let text = data.withUnsafeBytes { MessageParser.text($0) }
        #expect(text == (try MessageParser.text(file: file.path)))
        #expect(text.hasPrefix("Z-2024-0001 "))
        #expect(text.contains("De tekst."))
        #expect(text.utf8.count < HeaderBlock.maxFieldBytes + 1000)
    }

    /// The cut copy keeps every field within the limits, and nothing else: a message within them is parsed as is.
    @Test func headerBlockScannerCutsOnlyWhatIsTooLong() throws {
        let small = Data("Subject: a\r\nTo: b@c.example\r\n\r\nbody".utf8)
        #expect(small.withUnsafeBytes { HeaderBlock.cut($0) } == nil)
        // Just over the limit in total, but every field within it: not cut.
        var many = Data()
        while many.count <= HeaderBlock.maxBlockBytes - 200 { many.append(Data("X-Filler: \(String(repeating: "y", count: 60))\r\n".utf8)) }
        many.append(Data("\r\n".utf8))
        many.append(Data(repeating: 0x41, count: 300))
        #expect(many.withUnsafeBytes { HeaderBlock.cut($0) } == nil)

        let data = hugeSubject(3 << 20)
        let cut = try #require(data.withUnsafeBytes { HeaderBlock.cut($0) })
        let bodyOffset = try #require(data.range(of: Data("\n\nDe tekst.".utf8))).lowerBound + 2
        #expect(cut.bodyOffset == Int64(bodyOffset))
        #expect(cut.fieldCut && !cut.blockCut)
        let header = String(decoding: cut.header, as: UTF8.self)
        #expect(header.hasSuffix("\nTo: b@c.example\nMessage-ID: <groot@b.example>\nDate: Mon, 1 Jun 2026 10:00:00 +0200\n\n"))
        #expect(cut.header.count < HeaderBlock.maxFieldBytes + 200)
        // Read from a file in chunks, the same cut.
        let tmp = try TemporaryDirectory("big")
        let file = tmp.appending("m.eml")
        try data.write(to: file)
        let fd = open(file.path, O_RDONLY)
        defer { close(fd) }
        let fromFile = try #require(try HeaderBlock.cut(fileDescriptor: FileDescriptor(rawValue: fd)))
        #expect(fromFile.header == cut.header && fromFile.bodyOffset == cut.bodyOffset)
    }

    @Test func tooManyHeaderFieldsAreLeftOutFlagged() {
        var data = Data("From: a@b.example\r\nSubject: eerst\r\n".utf8)
        let received = Data("Received: from x by y; Mon, 1 Jun 2026 10:00:00 +0200\r\n".utf8)
        while data.count <= HeaderBlock.maxBlockBytes + 100 { data.append(received) }
        data.append(Data("Subject: na de grens\r\nDate: Mon, 1 Jun 2026 10:00:00 +0200\r\n\r\ntekst\r\n".utf8))
        let p = data.withUnsafeBytes { MessageParser.parse($0, sha256: sha, fallbackDate: (now, .captureTime)) }
        #expect(p.defects.contains("header-block-cut"))
        #expect(!p.defects.contains("header-field-cut"))
        #expect(p.subject == "eerst")
        // The Date after the limit is not read; the newest Received gives the date.
        #expect(p.dateSource == .received)
    }

    @Test func storedValuesAreCappedWithADefect() {
        let longName = String(repeating: "n", count: 3000)
        let recipients = (0..<10_050).map { "r\($0)@x.example" }.joined(separator: ", ")
        let text = """
            From: "\(longName)" <\(String(repeating: "a", count: 2000))@b.example>
            To: \(recipients)
            Keywords: \(String(repeating: "k", count: 2000)), kort
            Message-ID: <\(String(repeating: "m", count: 2000))@x.example>
            Subject: \(String(repeating: "é", count: 5000))
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Disposition: attachment; filename="\(String(repeating: "f", count: 2000)).pdf"

            x
            --b--

            """
        let p = Data(text.utf8).withUnsafeBytes { MessageParser.parse($0, sha256: sha, fallbackDate: (now, .captureTime)) }
        #expect(p.from.count == 1)
        #expect(p.from[0].name?.utf8.count == StoredLimits.valueBytes)
        #expect(p.from[0].address.utf8.count == StoredLimits.valueBytes)
        #expect(p.to.count == StoredLimits.addresses)
        #expect(p.to.last?.address == "r9999@x.example")
        #expect(p.headerKeywords.map(\.utf8.count) == [StoredLimits.valueBytes, 4])
        #expect(p.messageId.utf8.count == StoredLimits.valueBytes && p.messageId.hasSuffix("mmm>"))
        // Cut at a character boundary: "é" is two bytes.
        #expect(p.subject == String(repeating: "é", count: StoredLimits.subjectBytes / 2))
        #expect(p.attachmentNames.map(\.utf8.count) == [StoredLimits.valueBytes])
        let own = ["subject-cut", "message-id-cut", "address-cut", "addresses-cut", "keywords-cut", "attachment-names-cut"]
        #expect(p.defects.filter { own.contains($0) } == own)
    }

    /// A 20 MB Subject goes through the whole ingest (as a message too large for memory) and the text index: the
    /// catalog holds the cut subject, the store holds every byte.
    @Test func ingestAndIndexOfAHugeSubject() throws {
        let data = hugeSubject(20 << 20)
        let tmp = try TemporaryDirectory("huge")
        let dir = tmp.url
        try data.write(to: dir.appendingPathComponent("1.eml"))
        let ws = try TestPaths.workspace()
        defer { TemporaryDirectory.remove(ws.root) }
        var ingestor = Ingestor(workspace: ws, now: now)
        ingestor.flushToDisk = false
        let summary = try ingestor.run(IngestRequest(mailbox: "a@b.example", paths: [dir], format: .eml, actor: "test"))
        #expect(summary.found == 1 && summary.flagged == 1)
        try TextIndexer(workspace: ws).run()
        var copies: [CatalogCopy] = []
        try ws.catalog.forEachCopy { copies.append($0) }
        let copy = try #require(copies.first)
        #expect(copy.subject.utf8.count <= StoredLimits.subjectBytes)
        #expect(copy.size == Int64(data.count))
        #expect(try ws.store.read(copy.sha256) == data)
        let indexed = try ws.catalog.read { try String.fetchOne($0, sql: "SELECT text FROM messageText") } ?? ""
        #expect(indexed.hasPrefix("Z-2024-0001 ") && indexed.contains("De tekst."))
        #expect(indexed.utf8.count < HeaderBlock.maxFieldBytes + 1000)
    }
}
