// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
@testable import SluitsteenIngest
import SluitsteenSupport
import Testing

/// PST handling that needs neither ../shared nor a PST: signature, missing readpst, the trace reader and the
/// boundary renumbering.
@Suite struct PSTExtractorTests {
    @Test func signatureDetection() throws {
        #expect(PSTFile.hasSignature([0x21, 0x42, 0x44, 0x4E, 0x00, 0x01]))
        #expect(PSTFile.hasSignature(Array("!BDN".utf8)))
        #expect(!PSTFile.hasSignature(Array("!BD".utf8)))
        #expect(!PSTFile.hasSignature(Array("From ".utf8)))
        #expect(!PSTFile.hasSignature([0x21, 0x42, 0x44, 0x6E]))  // case matters

        let folder = PSTCorpus.scratch("signature")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let named = folder.appendingPathComponent("looks-like-mbox.mbox")
        try Data([0x21, 0x42, 0x44, 0x4E] + [UInt8](repeating: 0, count: 60)).write(to: named)
        #expect(PSTFile.hasSignature(at: named))
        let empty = folder.appendingPathComponent("empty.pst")
        try Data().write(to: empty)
        #expect(!PSTFile.hasSignature(at: empty))
        #expect(!PSTFile.hasSignature(at: folder.appendingPathComponent("absent.pst")))
    }

    /// The header facts: a Unicode PST header of 512 bytes with client `SM` and ibFileEof at 0xB8.
    @Test func headerFacts() {
        var bytes = [UInt8](repeating: 0, count: 512)
        bytes[0..<4] = [0x21, 0x42, 0x44, 0x4E]
        bytes[8] = 0x53; bytes[9] = 0x4F; bytes[10] = 23
        bytes[0xB8] = 0x00; bytes[0xB9] = 0x10  // 4096
        let header = PSTHeader(Data(bytes))
        #expect(header == PSTHeader(Data(bytes)))
        #expect(header?.client == .ost)
        #expect(header?.declaredSize == 4096)
        #expect(header?.isUnicode == true)
        #expect(PSTExtractor.isPasswordSet(0xFFFF_FFFF, header: header!) == false)
    }

    @Test func missingReadpstSaysHowToInstall() throws {
        let empty = PSTCorpus.scratch("nopath")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let options = PSTExtractionOptions(searchPath: empty.path)
        #expect(throws: PSTError.readpstMissing(searched: empty.path)) {
            try PSTExtractor.locateReadpst(options)
        }
        do {
            _ = try PSTExtractor.locateReadpst(PSTExtractionOptions(readpst: empty.appendingPathComponent("readpst")))
            Issue.record("a missing program was accepted")
        } catch {
            #expect(error.description.contains("apt-get install pst-utils"))
            #expect(error.description.contains("make deps"))
        }

        // Through extract: a PST-looking file, a PATH without readpst.
        let pst = empty.appendingPathComponent("a.pst")
        var bytes = [UInt8](repeating: 0, count: 512)
        bytes[0..<4] = [0x21, 0x42, 0x44, 0x4E]
        bytes[8] = 0x53; bytes[9] = 0x4D; bytes[10] = 23
        try Data(bytes).write(to: pst)
        #expect(throws: PSTError.readpstMissing(searched: empty.path)) {
            try PSTExtractor.extract(file: pst, workDirectory: empty.appendingPathComponent("out"), options: options)
        }
    }

    @Test func errorsNameTheFile() {
        let errors: [PSTError] = [
            .notAPSTFile(file: "x.pst"), .unreadable(file: "x.pst", reason: "r"),
            .truncated(file: "x.pst", size: 1, declaredSize: 2), .passwordProtected(file: "x.pst"),
            .damaged(file: "x.pst", detail: "d"), .conversionFailed(file: "x.pst", detail: "d"),
            .timedOut(file: "x.pst", seconds: 3),
        ]
        for error in errors { #expect(error.description.contains("x.pst")) }
    }

    /// Two readpst outputs that differ only in readpst's random numbers become identical; other digits stay.
    @Test func boundaryRenumbering() {
        func message(_ a: String, _ b: String) -> [UInt8] {
            Array("""
            Subject: boundary-LibPST-iamunique-77 is not a boundary
            Status: RO
            MIME-Version: 1.0
            Content-Type: multipart/mixed;
            \tboundary="--boundary-LibPST-iamunique-\(a)_-_-"

            ----boundary-LibPST-iamunique-\(a)_-_-
            Content-Type: text/calendar; method="REQUEST"; charset="utf-8"

            ----boundary-LibPST-iamunique-\(a)_-_-
            Content-Type: message/rfc822
            Content-Type: multipart/mixed; boundary="--boundary-LibPST-iamunique-\(b)_-_-"
            Content-Disposition: attachment; filename="i\(b).ics"
            ----boundary-LibPST-iamunique-\(b)_-_---
            ----boundary-LibPST-iamunique-\(a)_-_---

            """.utf8)
        }
        var first = message("1804289383", "846930886")
        var second = message("1681692777", "1714636915")
        #expect(first != second)
        #expect(ReadpstMessageFile.renumber(&first, stem: ReadpstMessageFile.boundaryStem,
                                            tail: ReadpstMessageFile.boundaryTail))
        _ = ReadpstMessageFile.renumber(&first, stem: ReadpstMessageFile.invitePrefix,
                                        tail: ReadpstMessageFile.inviteTail)
        _ = ReadpstMessageFile.renumber(&second, stem: ReadpstMessageFile.boundaryStem,
                                        tail: ReadpstMessageFile.boundaryTail)
        _ = ReadpstMessageFile.renumber(&second, stem: ReadpstMessageFile.invitePrefix,
                                        tail: ReadpstMessageFile.inviteTail)
        #expect(first == second)
        #expect(first == message("0", "1").replacingInvite(from: "i1.ics", to: "i0.ics"))
        let facts = ReadpstMessageFile.facts(of: first)
        #expect(facts == .init(kind: .meetingRequest, flags: [.read]))
        var unchanged = Array("Subject: boundary-LibPST-iamunique-12 x\n\nbody\n".utf8)
        #expect(!ReadpstMessageFile.renumber(&unchanged, stem: ReadpstMessageFile.boundaryStem,
                                             tail: ReadpstMessageFile.boundaryTail))
        #expect(ReadpstMessageFile.facts(of: unchanged) == .init(kind: .mail, flags: []))
    }

    /// A hand-written trace in readpst 0.6.76's wording: nested folders, a duplicate folder name, a damaged
    /// item, an unconvertible mail item, a task, folder settings, and a folder count readpst could not explain.
    @Test func traceAccountsForEveryItem() {
        let pid: Int32 = 4242
        let lines = """
        004242 No Function libpst.c(2941) Password checksum - 0 0
        004242 No Function readpst.c(654) Root Folder Name: Persoonlijke mappen
        004242 No Function readpst.c(897) about to try creating Persoonlijke mappen
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(271) Processing Folder "Postvak IN"
        004242 No Function readpst.c(897) about to try creating Postvak IN
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(324) Processing Email
        004242 No Function readpst.c(955) opening next file to save email type mbox
        004242 No Function readpst.c(267) item->subject = fake
        004241 No Function readpst.c(324) Processing Email
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(271) Processing Folder "Projecten"
        004242 No Function readpst.c(897) about to try creating Projecten
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(271) Processing Folder "Brug"
        004242 No Function readpst.c(897) about to try creating Brug
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(324) Processing Email
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(244) A NULL item was seen
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(401) Unknown item type 13 (IPM.Note) name ((null))
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(324) Processing Email
        004242 No Function readpst.c(1220) Couldn't find ID pointer. Cannot save attachment to file
        004242 No Function readpst.c(2396) processed item count for folder Brug is 2, skipped 2, total 4 
        004242 No Function readpst.c(2396) processed item count for folder Projecten is 1, skipped 0, total 0 
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(271) Processing Folder "Projecten"
        004242 No Function readpst.c(897) about to try creating Projecten
        004242 No Function readpst.c(897) about to try creating Projecten1
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(401) Unknown item type 13 (IPM.Task) name (Bellen)
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(397) item with message store content, type 13 IPM.Configuration.RssRule, skipping it
        004242 No Function readpst.c(2396) processed item count for folder Projecten is 0, skipped 3, total 2 
        004242 No Function readpst.c(2396) processed item count for folder Postvak IN is 3, skipped 0, total 1 
        004242 No Function readpst.c(249) New item record
        004242 No Function readpst.c(401) Unknown item type 1 (IPF.Note) name (Posta in arrivo)
        004242 No Function readpst.c(2396) processed item count for folder Persoonlijke mappen is 1, skipped 1, total 0 
        """
        var trace = ReadpstTrace(pid: pid) { _ in false }
        for line in lines.split(separator: "\n") { _ = trace.consume(line: line) }

        #expect(trace.storeName == "Persoonlijke mappen")
        #expect(trace.passwordChecksum == 0)
        #expect(trace.mail.map { $0.folderPath.joined(separator: "/") }
            == ["Postvak IN", "Postvak IN/Projecten/Brug", "Postvak IN/Projecten/Brug"])
        #expect(trace.mail.map(\.position) == [0, 0, 3])
        #expect(trace.mail.map(\.relativeFile) == [
            "Persoonlijke mappen/Postvak IN/1.eml",
            "Persoonlijke mappen/Postvak IN/Projecten/Brug/1.eml",
            "Persoonlijke mappen/Postvak IN/Projecten/Brug/2.eml",
        ])
        #expect(trace.mail[2].warnings.count == 1)
        #expect(trace.failures.map(\.position) == [1, 2, nil])
        #expect(trace.failures.map { $0.folderPath.joined(separator: "/") }
            == ["Postvak IN/Projecten/Brug", "Postvak IN/Projecten/Brug", "Postvak IN/Projecten"])
        #expect(trace.nonMail.map(\.kind) == [.task, .folderSettings])
        #expect(trace.skippedFolders.map { $0.folderPath.joined(separator: "/") } == ["Posta in arrivo"])
        #expect(trace.nonMail.map { $0.folderPath.joined(separator: "/") } == ["Postvak IN/Projecten",
                                                                                "Postvak IN/Projecten"])
    }

    /// libpst traces the item's own times while reading it (before "Processing Email"); those of an attached
    /// message (read while writing the item) and of items that are not mail do not count.
    @Test func traceCarriesTheItemsOwnTimes() {
        let lines = """
        000009 No Function readpst.c(654) Root Folder Name: Personal folders
        000009 No Function readpst.c(897) about to try creating Personal folders
        000009 No Function readpst.c(249) New item record
        000009 No Function readpst.c(271) Processing Folder "Inbox"
        000009 No Function readpst.c(897) about to try creating Inbox
        000009 No Function readpst.c(249) New item record
        000009 No Function libpst.c(2478) Date 3 (Delivery Time) - Thu Jan  5 01:58:31 2017
        000009 No Function libpst.c(2566) Date 4 (Item Creation Date) - Mon Feb  6 15:42:11 2017
        000009 No Function libpst.c(2566) Date 4 (Item Creation Date) - Tue Feb  7 15:42:11 2017
        000009 No Function readpst.c(324) Processing Email
        000009 No Function libpst.c(2478) Date 3 (Delivery Time) - Fri Jan  6 01:58:31 2017
        000009 No Function readpst.c(249) New item record
        000009 No Function libpst.c(2566) Date 4 (Item Creation Date) - Mon Feb  6 15:42:12 2017
        000009 No Function libpst.c(2569) Date 5 (Modify Date) - Mon Feb  6 15:42:13 2017
        000009 No Function readpst.c(324) Processing Email
        000009 No Function readpst.c(249) New item record
        000001 No Function libpst.c(2478) Date 3 (Delivery Time) - Thu Jan  5 01:58:31 2017
        000009 No Function readpst.c(324) Processing Email
        000009 No Function readpst.c(2396) processed item count for folder Inbox is 3, skipped 0, total 3 
        """
        var trace = ReadpstTrace(pid: 9) { _ in false }
        for line in lines.split(separator: "\n") { _ = trace.consume(line: line) }
        #expect(trace.mail.map { $0.ownTime.map { ISOTimestamp.format($0) } } == [
            "2017-01-05T01:58:31Z",  // delivery time first; the attached message's later one is not the item's
            "2017-02-06T15:42:12Z",  // no delivery time: creation time
            nil,                     // a line of another process does not count
        ])
    }

    @Test func traceStopsAtRootWhenAsked() {
        var seen: UInt32?
        var trace = ReadpstTrace(pid: 7) { checksum in seen = checksum; return true }
        #expect(trace.consume(line: "000007 No Function libpst.c(2941) Password checksum - 296263079 0x11a89da7")
            == .carryOn)
        #expect(trace.consume(line: "000007 No Function readpst.c(654) Root Folder Name: Personal folders") == .stop)
        #expect(seen == 0x11A8_9DA7)
    }
}

private extension Array where Element == UInt8 {
    func replacingInvite(from: String, to: String) -> [UInt8] {
        Array(String(decoding: self, as: UTF8.self).replacingOccurrences(of: from, with: to).utf8)
    }
}
