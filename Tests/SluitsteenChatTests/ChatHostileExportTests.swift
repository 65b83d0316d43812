// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenChat
import SluitsteenTestSupport
import Testing
import ZIPFoundation

/// Exports that are damaged, odd or hostile: refused with a clear reason, or read exactly as the clean ones.
@Suite struct ChatHostileExportTests {
    let dir: TemporaryDirectory
    init() throws { dir = try TemporaryDirectory("chat-hostile") }

    static let chatText = "13-03-2024 09:02 - Dora de Wit: IMG-20240313-WA0001.jpg (bestand bijgevoegd)\n"

    func zip(_ name: String, _ members: [(String, Data)]) throws -> URL {
        let url = dir.appending(name)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in members {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }

    func refusal(_ url: URL) -> String? {
        do {
            _ = try ChatExportReader().read(url)
            return nil
        } catch { return error.description }
    }

    @Test func zipWithoutChatText() throws {
        let url = try zip("media-only.zip", [("IMG-20240313-WA0001.jpg", Data([1, 2, 3]))])
        #expect(refusal(url)?.contains("it holds no chat text") == true)
    }

    @Test func zipWithTwoFilesOfOneName() throws {
        let url = try zip("twice.zip", [("_chat.txt", Data(Self.chatText.utf8)), ("a/IMG-20240313-WA0001.jpg", Data([1])),
                                        ("b/IMG-20240313-WA0001.jpg", Data([2]))])
        #expect(refusal(url)?.contains("two files named IMG-20240313-WA0001.jpg") == true)
    }

    @Test func zipWithTwoUnnamedTexts() throws {
        let url = try zip("texts.zip", [("een.txt", Data(Self.chatText.utf8)), ("twee.txt", Data(Self.chatText.utf8))])
        #expect(refusal(url)?.contains("2 text files and none is named _chat.txt") == true)
    }

    @Test func truncatedZip() throws {
        let good = try zip("good.zip", [("_chat.txt", Data(Self.chatText.utf8)),
                                        ("IMG-20240313-WA0001.jpg", Data(repeating: 7, count: 4096))])
        let bytes = try Data(contentsOf: good)
        let cut = dir.appending("cut.zip")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        #expect(refusal(cut)?.contains("not a readable zip") == true)
        // The whole zip reads, with its media.
        let chat = try ChatExportReader().read(good).chat
        #expect(chat.messages.map(\.media) == [["IMG-20240313-WA0001.jpg"]] && chat.mediaFiles.first?.data.count == 4096)
    }

    @Test func windowsLineEndsReadAsTheOriginal() throws {
        let original = PackagePaths.fixtures.appendingPathComponent("chat/WhatsApp Chat met Dijkteam.txt")
        let text = try String(contentsOf: original, encoding: .utf8).replacingOccurrences(of: "\n", with: "\r\n")
        let crlf = dir.appending("WhatsApp Chat met Dijkteam.txt")
        try Data(text.utf8).write(to: crlf)
        let a = try ChatExportReader().read(original).chat.messages
        let b = try ChatExportReader().read(crlf).chat.messages
        #expect(a == b)
    }

    @Test func emptyAndFolder() throws {
        let empty = dir.appending("leeg.txt")
        try Data().write(to: empty)
        #expect(refusal(empty)?.contains("the file is empty") == true)
        #expect(refusal(dir.url)?.contains("it is a folder") == true)
        #expect(refusal(dir.appending("er-niet.txt"))?.contains("there is no such file") == true)
    }

    @Test func smsBackupWithoutMessagesOrOfAnotherKind() throws {
        let none = dir.appending("leeg.xml")
        try Data("<?xml version='1.0'?><smses count=\"0\"></smses>".utf8).write(to: none)
        #expect(refusal(none)?.contains("holds no <sms> or <mms>") == true)
        let other = dir.appending("ander.xml")
        try Data("<calls><call number=\"1\"/></calls>".utf8).write(to: other)
        #expect(refusal(other)?.contains("not <smses>") == true)
        let noDate = dir.appending("zonder-datum.xml")
        try Data("<smses>\n<sms type=\"1\" body=\"x\" address=\"1\"/></smses>".utf8).write(to: noDate)
        #expect(refusal(noDate)?.contains("line 2: <sms> has no valid date") == true)
    }
}

/// Rewrites a WhatsApp zip with a line added to its chat text (a second, different export of the same chat).
enum ChatHostileZip {
    static func rewrite(_ zipBytes: Data, to url: URL, appendingLine line: String) throws {
        let source = try Archive(data: zipBytes, accessMode: .read)
        let target = try Archive(url: url, accessMode: .create)
        for entry in source {
            var data = Data()
            _ = try source.extract(entry) { data.append($0) }
            if entry.path == "_chat.txt" { data.append(Data(line.utf8)) }
            let bytes = data
            try target.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(bytes.count),
                                compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }
}
