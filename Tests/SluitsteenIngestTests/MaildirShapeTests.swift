import Foundation
import SluitsteenTestSupport
import SluitsteenIngest
import Testing

/// A Maildir as exports really come: a folder may lack `new` or `tmp` (git and some exporters keep no empty folder).
/// Its messages are read; a dot-folder that is no Maildir folder is reported, never silently passed over.
@Suite struct MaildirShapeTests {
    @Test func foldersWithOnlyCurOrOnlyNewAreRead() throws {
        let tmp = try TemporaryDirectory("shape")
        let root = tmp.appending("Maildir")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("cur"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent(".Archief/cur"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent(".Concepten/new"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent(".Rommel"), withIntermediateDirectories: true)
        try Data("Subject: a\n\na\n".utf8).write(to: root.appendingPathComponent("cur/1.a:2,S"))
        try Data("Subject: b\n\nb\n".utf8).write(to: root.appendingPathComponent(".Archief/cur/2.b:2,S"))
        try Data("Subject: c\n\nc\n".utf8).write(to: root.appendingPathComponent(".Concepten/new/3.c"))
        try Data("Subject: d\n\nd\n".utf8).write(to: root.appendingPathComponent(".Rommel/4.d"))
        #expect(try MailboxFormat.detect(root) == .maildir)
        var reader = try MaildirReader(url: root)
        var folders: [String] = []
        while let m = try reader.next() { folders.append(m.folder) }
        #expect(folders == ["Archief", "Concepten", "INBOX"])
        #expect(reader.notices.contains { $0.contains(".Rommel") && $0.contains("not a Maildir folder") })
    }
}
