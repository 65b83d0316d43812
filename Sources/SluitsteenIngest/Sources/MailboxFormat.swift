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

/// Errors of the ingest stage, worded for a records manager.
public enum IngestError: Error, CustomStringConvertible, Sendable {
    case notFound(String)
    case unreadable(String, reason: String)
    case notAMailbox(String, reason: String)
    case formatMismatch(String, expected: MailboxFormat)
    case invalidMailboxAddress(String)
    case pst(String)
    case archive(String)
    /// An mbox changed while it was read (a mail program wrote to it, truncated or replaced it).
    case changedWhileRead(String, detail: String)
    /// The run stopped for `reason` after it had begun: `committed` is what it had committed by then (batch,
    /// counts), which stays in the archive. The failure is in the audit trail and the ingest batch's status.
    indirect case stopped(reason: IngestError, committed: IngestSummary)

    public var description: String {
        switch self {
        case .unreadable: return cause + " Nothing was ingested from it."
        case .stopped(let reason, let s):
            let what = s.found == 0
                ? "Nothing was committed before that"
                : "\(s.found) message copies (\(s.storedNew) new, \(s.alreadyPresent) already present) were committed before that "
                    + "and stay in the archive"
            return "\(reason.cause) The ingest stopped there. \(what) (batch \(s.batchId)). Run the same ingest again once this is "
                + "solved: it adds only what is missing."
        default: return cause
        }
    }

    /// What went wrong, without saying what the run did about it (``stopped(reason:committed:)`` says that).
    public var cause: String {
        switch self {
        case .notFound(let p): return "\(p) does not exist. Check the path and try again."
        case .unreadable(let p, let r): return "cannot read \(p): \(r)."
        case .notAMailbox(let p, let r): return "\(p) is not a mailbox export: \(r). Give an mbox file, a Maildir, a folder of .eml files or a PST/OST file."
        case .formatMismatch(let p, let f): return "\(p) cannot be read as \(f.rawValue). Leave out --format to detect the format."
        case .invalidMailboxAddress(let a): return "'\(a)' is not a mailbox address (expected name@domain)."
        case .pst(let m): return m
        case .archive(let m): return m
        case .changedWhileRead(let p, let d):
            return "\(p) changed while it was being read: \(d). A program (a mail client?) was writing to it, so messages read from it "
                + "may be incomplete or missing. Close that program, or ingest a copy of the file."
        case .stopped(let reason, _): return reason.cause
        }
    }
}
