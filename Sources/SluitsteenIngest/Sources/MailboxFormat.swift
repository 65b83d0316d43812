// SPDX-License-Identifier: EUPL-1.2
import Foundation

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
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw .unreadable(url.path, reason: "permission denied or not a regular file")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
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

/// Errors of the ingest stage, worded for a records manager.
public enum IngestError: Error, CustomStringConvertible, Sendable {
    case notFound(String)
    case unreadable(String, reason: String)
    case notAMailbox(String, reason: String)
    case formatMismatch(String, expected: MailboxFormat)
    case invalidMailboxAddress(String)
    case pst(String)
    case archive(String)

    public var description: String {
        switch self {
        case .notFound(let p): return "\(p) does not exist. Check the path and try again."
        case .unreadable(let p, let r): return "cannot read \(p): \(r). Nothing was ingested from it."
        case .notAMailbox(let p, let r): return "\(p) is not a mailbox export: \(r). Give an mbox file, a Maildir, a folder of .eml files or a PST/OST file."
        case .formatMismatch(let p, let f): return "\(p) cannot be read as \(f.rawValue). Leave out --format to detect the format."
        case .invalidMailboxAddress(let a): return "'\(a)' is not a mailbox address (expected name@domain)."
        case .pst(let m): return m
        case .archive(let m): return m
        }
    }
}
