// SPDX-License-Identifier: EUPL-1.2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The kinds of mailbox export Sluitsteen takes in.
public enum MailboxFormat: String, Sendable, CaseIterable, Codable {
    case mbox, maildir, eml, pst

    /// Detects the format of `url` by its content, not its name: a PST/OST signature, an mbox `From ` line,
    /// a Maildir layout (`cur`/`new`), or `.eml` files / an RFC 5322 header block.
    public static func detect(_ url: URL) throws(IngestError) -> MailboxFormat {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDir) else { throw .notFound(url.path) }
        if isDir.boolValue {
            if MaildirReader.isMaildirFolder(url) { return .maildir }
            let children = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
            if children.contains(where: { $0.hasPrefix(".") && MaildirReader.isMaildirFolder(url.appendingPathComponent($0)) }) {
                return .maildir
            }
            if let walker = fm.enumerator(atPath: url.path) {
                for case let p as String in walker where (p as NSString).pathExtension.lowercased() == "eml" { return .eml }
            }
            throw .notAMailbox(url.path, reason: "the folder is neither a Maildir (cur/new) nor holds .eml files")
        }
        // A FIFO or device is refused here, before anything waits on it.
        let (file, _) = try InputFiles.openNamedFile(url.path)
        var head = Data(count: 4096)
        let n = head.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress!, $0.count, 0) }
        head.count = max(0, n)
        if head.starts(with: [0x21, 0x42, 0x44, 0x4E]) { return .pst }
        if head.starts(with: Array("From ".utf8)) { return .mbox }
        if url.pathExtension.lowercased() == "eml" || looksLikeHeaders(head) { return .eml }
        if head.isEmpty { throw .notAMailbox(url.path, reason: "the file is empty") }
        throw .notAMailbox(url.path, reason: "it is not an mbox (no 'From ' line at the start), not a PST/OST and not an e-mail message")
    }

    private static func looksLikeHeaders(_ data: Data) -> Bool {
        let head = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data
        guard let firstLine = head.split(separator: 0x0A, maxSplits: 1).first, let colon = firstLine.firstIndex(of: 0x3A) else { return false }
        let name = firstLine[firstLine.startIndex..<colon]
        return !name.isEmpty && name.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}
