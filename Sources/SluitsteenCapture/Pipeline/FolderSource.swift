// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenIngest
import SluitsteenSupport

/// IMAP flags and keywords in the archive's words: system flags as copy flags (the same names as a Maildir's), keywords
/// as keywords, decoded from modified UTF-7 (`Priv&AOk-` is `Privé`, as mail programs write a non-ASCII tag).
enum IMAPFlags {
    static func split(_ serverFlags: [String]) -> (flags: [String], keywords: [String]) {
        var flags: [String] = []
        var keywords: [String] = []
        for f in serverFlags {
            switch f.lowercased() {
            case "\\seen": flags.append("seen")
            case "\\answered": flags.append("replied")
            case "\\flagged": flags.append("flagged")
            case "\\deleted": flags.append("trashed")
            case "\\draft": flags.append("draft")
            case "\\recent": flags.append("new")
            case "$forwarded": flags.append("passed")
            default:
                if f.hasPrefix("\\") { flags.append(String(f.dropFirst()).lowercased()) } else { keywords.append(ModifiedUTF7.decode(f)) }
            }
        }
        return (flags, keywords)
    }
}

/// The messages handed to the ingest pipeline, in order, and how far the pipeline has committed them. Shared by the
/// folder sources (on the pipeline's reader thread) and the progress callback (on its committer thread).
final class CaptureLog: Sendable {
    private struct State {
        var entries: [CaptureEntry] = []
        var committed = 0
        var failure: CaptureError?
        var notices: [String] = []
    }
    private let state = Locked(State())

    func append(_ entry: CaptureEntry) { state.withLock { $0.entries.append(entry) } }

    /// The entries committed since the last call, given the pipeline's count of committed messages.
    func committed(upTo found: Int) -> ArraySlice<CaptureEntry> {
        state.withLock { s in
            let end = min(found, s.entries.count)
            defer { s.committed = max(s.committed, end) }
            return s.committed < end ? s.entries[s.committed..<end] : []
        }
    }

    /// Why the source stopped, when it was the server (for the retry decision).
    var failure: CaptureError? {
        state.withLock { $0.failure }
    }
    func fail(_ error: CaptureError) { state.withLock { $0.failure = error } }
    func note(_ text: String) { state.withLock { $0.notices.append(text) } }
    var notices: [String] { state.withLock { $0.notices } }
}

/// What to fetch from one folder.
struct FolderPlan: Sendable {
    var folderId: Int64
    /// The name on the server (modified UTF-7).
    var name: String
    /// The archive's folder path.
    var folder: String
    var uidValidity: UInt32
    /// The new UIDs, ascending, with their sizes.
    var uids: [UIDSummary]
    /// `imap://user@host:port/` (RFC 5092), user and folder percent-encoded.
    var account: String

    /// The provenance of one message: `imap://user@host:port/FOLDER;UIDVALIDITY=V/;UID=U` (RFC 5092).
    func provenance(_ uid: UInt32) -> String {
        account + FolderPlan.encode(name) + ";UIDVALIDITY=\(uidValidity)/;UID=\(uid)"
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$'()*+,&=:/")) ?? s
    }
}

/// One folder's new messages as a ``MessageSource``: fetched from the server in chunks (`BODY.PEEK[]`, bounded in
/// count and bytes, so memory does not grow with the folder) as the pipeline asks for them, bytes exactly as returned.
struct FolderSource: MessageSource {
    let connection: IMAPConnection
    let plan: FolderPlan
    let log: CaptureLog
    let chunkMessages: Int
    let chunkBytes: Int
    private var index = 0
    private var buffer: [FetchedMessage] = []
    private var position = 0
    let expectedBytes: Int64?
    private(set) var notices: [String] = []

    init(connection: IMAPConnection, plan: FolderPlan, log: CaptureLog, chunkMessages: Int, chunkBytes: Int) {
        self.connection = connection
        self.plan = plan
        self.log = log
        self.chunkMessages = max(1, chunkMessages)
        self.chunkBytes = max(1, chunkBytes)
        expectedBytes = plan.uids.reduce(Int64(0)) { $0 + Int64($1.size) }
    }

    mutating func next() throws(IngestError) -> RawMessage? {
        while position >= buffer.count {
            guard index < plan.uids.count else { return nil }
            var chunk: [UInt32] = []
            var bytes = 0
            while index < plan.uids.count, chunk.count < chunkMessages, chunk.isEmpty || bytes + plan.uids[index].size <= chunkBytes {
                chunk.append(plan.uids[index].uid)
                bytes += plan.uids[index].size
                index += 1
            }
            do throws(CaptureError) {
                if connection.selected != plan.name {
                    let status = try connection.examine(plan.name, condstore: false)
                    guard status.uidValidity == plan.uidValidity else {
                        throw .folder(server: "\(connection.server):\(connection.port)", folder: plan.folder,
                                      reason: "its UIDVALIDITY changed during the capture; the next run scans it again")
                    }
                }
                buffer = try connection.bodies(chunk)
            } catch {
                log.fail(error)
                throw .unreadable(plan.account + FolderPlan.encode(plan.name), reason: error.description)
            }
            position = 0
            CrashPoint.pass("capture-fetch")
            if buffer.count < chunk.count {
                let missing = chunk.count - buffer.count
                notices.append("\(plan.folder): \(missing) message\(missing == 1 ? " was" : "s were") expunged on the server before "
                    + "\(missing == 1 ? "it" : "they") could be fetched")
            }
        }
        let m = buffer[position]
        buffer[position].bytes = Data()
        position += 1
        let (flags, keywords) = IMAPFlags.split(m.flags)
        log.append(CaptureEntry(folderId: plan.folderId, uid: m.uid, sha256: Digest.hex(m.bytes), keywordsJSON: JSONText.array(keywords),
                                flagsJSON: JSONText.array(flags)))
        return RawMessage(bytes: m.bytes, folder: plan.folder, sourceFile: plan.provenance(m.uid), position: Int(m.uid),
                          keywords: keywords, flags: flags)
    }
}
