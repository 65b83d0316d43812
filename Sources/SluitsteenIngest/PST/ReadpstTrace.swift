// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenMIME

/// Follows readpst's debug trace (`-L 2 -d …`, one line per event, prefixed with readpst's process id) to learn
/// which folder and position each file or skipped item belongs to. readpst prints only per-folder totals on its
/// normal output; the trace is the only place where skipped and failed items can be told apart and placed.
///
/// Lines are matched on readpst 0.6.76's message texts, only when they carry readpst's own process id (message
/// subjects also appear in the trace and could imitate a line, but not guess the id reliably), and every folder's
/// tally is checked against readpst's own count for that folder.
struct ReadpstTrace {
    enum Verdict { case carryOn, stop }

    struct MailRecord {
        var folderPath: [String]
        var position: Int
        var relativeFile: String
        var warnings: [String]
        /// The item's own time (see ``PSTItem/ownTime``).
        var ownTime: Date?
    }

    /// The times libpst traces for the item being read (`Date 3 (Delivery Time) - Thu Jan  5 01:58:31 2017`, in
    /// UTC as readpst runs with `TZ=UTC`); only the item's own properties count, which come before its attachments'.
    struct ItemTimes {
        var delivered: Date?
        var created: Date?
        var modified: Date?

        /// Delivery time, else creation time, else last modification time.
        var best: Date? { delivered ?? created ?? modified }

        /// Takes a `Date …` trace message; the first of each kind counts.
        mutating func note(_ message: Substring) {
            let text = String(message)
            if text.hasPrefix("Date 3 (Delivery Time) - ") {
                delivered = delivered ?? FromLine.date(in: text)
            } else if text.hasPrefix("Date 4 (Item Creation Date) - ") {
                created = created ?? FromLine.date(in: text)
            } else if text.hasPrefix("Date 5 (Modify Date) - ") {
                modified = modified ?? FromLine.date(in: text)
            }
        }
    }

    struct NonMailRecord {
        var folderPath: [String]
        var kind: PSTNonMailKind
        var relativeFile: String?
        var messageClass: String?
    }

    struct FailureRecord {
        var folderPath: [String]
        var position: Int?
        var reason: String
    }

    private enum Current {
        case none
        case pending(position: Int)
        case mail(index: Int)
        case other
    }

    private struct Frame {
        var path: [String]
        var directory: String
        var done = 0
        var skipped = 0
        var itemCount = 0
        var current = Current.none
        var times = ItemTimes()
    }

    let pid: Int32
    private(set) var storeName: String?
    private(set) var passwordChecksum: UInt32?
    private(set) var mail: [MailRecord] = []
    private(set) var nonMail: [NonMailRecord] = []
    private(set) var failures: [FailureRecord] = []
    /// Folders readpst named but did not open (it did not recognise them as folders).
    private(set) var skippedFolders: [FailureRecord] = []
    /// The last lines that were not trace events (readpst's own messages), bounded, kept as bytes until asked.
    private var otherRaw: [[UInt8]] = []
    private var traceFatal: String?

    var otherLines: [String] {
        otherRaw.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }

    /// What readpst said when it could not go on (root record, index, output directory), if it did.
    var fatal: String? {
        traceFatal ?? otherLines.last(where: { isFatal(Substring($0)) })
    }

    private var stack: [Frame] = []
    private var pendingFolderName: String?
    private var lastWasCreate = false
    private let stopAtRoot: (UInt32?) -> Bool

    /// `stopAtRoot` is asked once the root record has been read, with the password checksum if any; returning
    /// true stops the trace before any folder is written.
    init(pid: Int32, stopAtRoot: @escaping (UInt32?) -> Bool) {
        self.pid = pid
        self.stopAtRoot = stopAtRoot
    }

    /// Where readpst is now (for a crash report).
    var currentPlace: String {
        guard let top = stack.last else { return "before the first folder" }
        let folder = top.path.isEmpty ? "the top folder" : "folder \(top.path.joined(separator: "/"))"
        return "\(folder), item \(top.itemCount)"
    }

    mutating func consume(line: Substring) -> Verdict {
        guard let message = traceMessage(line) else {
            remember(line)
            return .carryOn
        }
        let isCreate = message.hasPrefix("about to try creating ")
        defer { lastWasCreate = isCreate }

        if isCreate {
            let directory = String(message.dropFirst("about to try creating ".count))
            if lastWasCreate, !stack.isEmpty {
                stack[stack.count - 1].directory = directory  // readpst retries with a number when the name exists
            } else if let parent = stack.last {
                let name = pendingFolderName ?? directory
                stack.append(Frame(path: parent.path + [name], directory: directory))
            } else {
                stack.append(Frame(path: [], directory: directory))
            }
            pendingFolderName = nil
        } else if message.hasPrefix("Root Folder Name: ") {
            storeName = String(message.dropFirst("Root Folder Name: ".count))
            if stopAtRoot(passwordChecksum) { return .stop }
        } else if message.hasPrefix("Password checksum - ") {
            // "Password checksum - 296263079 0x11a89da7"; printf's %#x writes a zero as plain "0".
            if let last = message.split(separator: " ").last {
                passwordChecksum = last.hasPrefix("0x") ? UInt32(last.dropFirst(2), radix: 16) : UInt32(last)
            }
        } else if message == "New item record" {
            guard !stack.isEmpty else { return .carryOn }
            stack[stack.count - 1].current = .pending(position: stack[stack.count - 1].itemCount)
            stack[stack.count - 1].times = ItemTimes()
        } else if message.hasPrefix("Date "), let top = stack.indices.last, case .pending = stack[top].current {
            stack[top].times.note(message)
        } else if message.hasPrefix("Processing Folder \"") {
            guard !stack.isEmpty else { return .carryOn }
            stack[stack.count - 1].done += 1
            stack[stack.count - 1].current = .none
            pendingFolderName = String(message.dropFirst("Processing Folder \"".count).dropLast())
        } else if message == "Processing Email" {
            if case let (frame, position)? = beginItem(done: true) {
                mail.append(MailRecord(
                    folderPath: frame.path, position: position,
                    relativeFile: file(in: frame, extension: "eml"), warnings: [], ownTime: frame.times.best))
                stack[stack.count - 1].current = .mail(index: mail.count - 1)
            }
        } else if message == "Processing Contact" {
            rendered(.contact, extension: "vcf")
        } else if message == "Processing Appointment Entry" {
            rendered(.appointment, extension: "ics")
        } else if message == "Processing Journal Entry" {
            rendered(.journal, extension: "ics")
        } else if message.hasPrefix("ERROR item's desc record is NULL") || message == "A NULL item was seen" {
            if case let (frame, position)? = beginItem(done: false) {
                failures.append(FailureRecord(
                    folderPath: frame.path, position: position,
                    reason: "readpst could not read this item from the PST (its record is damaged or missing)"))
            }
        } else if message.hasPrefix("item with message store content, type ") {
            // "item with message store content, type 13 IPM.Configuration.Calendar, skipping it"
            let rest = message.dropFirst("item with message store content, type ".count)
            let cls = rest.split(separator: " ").dropFirst().first.map { String($0.dropLast()) }
            skipped(messageClass: cls)
        } else if message.hasPrefix("Unknown item type ") {
            // "Unknown item type 13 (IPM.Task) name (Bellen)"; the class may be "(null)".
            var cls: String?
            var itemName: String?
            if let open = message.firstIndex(of: "("), let close = message.range(of: ") name (") {
                cls = String(message[message.index(after: open)..<close.lowerBound])
                itemName = String(message[close.upperBound...].dropLast(while: { $0 == ")" }))
            }
            if cls == "(null)" { cls = nil }
            if let cls, cls.uppercased().hasPrefix("IPF") {
                skippedFolder(name: itemName ?? "", messageClass: cls)
            } else {
                skipped(messageClass: cls)
            }
        } else if message.hasPrefix("processed item count for folder ") {
            closeFolder(message)
        } else if message.hasPrefix("write_embedded_message: pst_parse_item was unable") {
            warn("an attached (embedded) message could not be read and is missing from this message")
        } else if message.hasPrefix("Couldn't find ID pointer") || message.hasPrefix("Couldn't find i_id") {
            warn("an attachment could not be found in the PST and is missing from this message")
        } else if isFatal(message) {
            traceFatal = message.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return .carryOn
    }

    // MARK: - Events

    private mutating func beginItem(done: Bool) -> (Frame, Int)? {
        guard !stack.isEmpty else { return nil }
        let top = stack.count - 1
        let position: Int
        if case .pending(let p) = stack[top].current { position = p } else { position = stack[top].itemCount }
        stack[top].itemCount = position + 1
        if done { stack[top].done += 1 } else { stack[top].skipped += 1 }
        stack[top].current = .other
        return (stack[top], position)
    }

    private func file(in frame: Frame, extension ext: String) -> String {
        (stack.map(\.directory) + ["\(frame.done).\(ext)"]).joined(separator: "/")
    }

    private mutating func rendered(_ kind: PSTNonMailKind, extension ext: String) {
        guard case let (frame, _)? = beginItem(done: true) else { return }
        nonMail.append(NonMailRecord(
            folderPath: frame.path, kind: kind, relativeFile: file(in: frame, extension: ext), messageClass: nil))
    }

    private mutating func skipped(messageClass: String?) {
        guard case let (frame, position)? = beginItem(done: false) else { return }
        let cls = messageClass ?? ""
        let upper = cls.uppercased()
        let isMailClass = upper.hasPrefix("IPM.NOTE") || upper.hasPrefix("IPM.SCHEDULE")
            || upper.hasPrefix("REPORT.") || upper == "IPM"
        if isMailClass && !upper.hasPrefix("IPM.NOTE.RULES.") {
            failures.append(FailureRecord(
                folderPath: frame.path, position: position,
                reason: "readpst could not convert this mail item (class \(cls.isEmpty ? "unknown" : cls))"))
            return
        }
        nonMail.append(NonMailRecord(
            folderPath: frame.path, kind: Self.kind(ofClass: upper), relativeFile: nil, messageClass: messageClass))
    }

    /// A folder readpst could not open: it counts it as a skipped item, but it is a folder, not an item.
    private mutating func skippedFolder(name: String, messageClass: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].skipped += 1
        stack[stack.count - 1].current = .other
        skippedFolders.append(FailureRecord(
            folderPath: stack[stack.count - 1].path + [name], position: nil,
            reason: "readpst did not open this folder (class \(messageClass)); items in it, if any, are missing"))
    }

    static func kind(ofClass upper: String) -> PSTNonMailKind {
        if upper.hasPrefix("IPM.TASK") { return .task }
        if upper.hasPrefix("IPM.STICKYNOTE") { return .stickyNote }
        if upper.hasPrefix("IPM.DISTLIST") { return .distributionList }
        if upper.hasPrefix("IPM.CONTACT") { return .contact }
        if upper.hasPrefix("IPM.APPOINTMENT") { return .appointment }
        if upper.hasPrefix("IPM.ACTIVITY") { return .journal }
        let settings = ["IPM.CONFIGURATION", "IPM.MICROSOFT", "IPM.MESSAGEMANAGER", "IPM.EXTENDEDRULE",
                        "IPM.RULEORGANIZER", "IPM.RULE.", "IPM.NOTE.RULES.", "IPM.AGGREGATION", "IPM.VIEWS"]
        if settings.contains(where: { upper.hasPrefix($0) }) { return .folderSettings }
        return .other
    }

    private mutating func warn(_ text: String) {
        guard let top = stack.last, case .mail(let index) = top.current else { return }
        if !mail[index].warnings.contains(text) { mail[index].warnings.append(text) }
    }

    /// "processed item count for folder Inbox is 14, skipped 9, total 12 "
    private mutating func closeFolder(_ message: Substring) {
        guard let frame = stack.popLast() else { return }
        let words = message.split(separator: " ")
        func number(after word: String) -> Int? {
            guard let i = words.lastIndex(where: { $0 == word }), i + 1 < words.count else { return nil }
            return Int(words[i + 1].trimmingCharacters(in: CharacterSet(charactersIn: ",")))
        }
        if let reportedDone = number(after: "is"), reportedDone > frame.done {
            failures.append(FailureRecord(
                folderPath: frame.path, position: nil,
                reason: "readpst converted \(reportedDone - frame.done) item(s) it did not account for"))
        }
        if let reportedSkipped = number(after: "skipped"), reportedSkipped > frame.skipped {
            failures.append(FailureRecord(
                folderPath: frame.path, position: nil,
                reason: "readpst skipped \(reportedSkipped - frame.skipped) item(s) without saying why"))
        }
        pendingFolderName = nil
    }

    private func isFatal(_ message: Substring) -> Bool {
        ["Could not get root record", "Top of folders record not found", "Error opening File", "Index Error",
         "Cannot change to output dir", "Cannot create directory", "Cannot open file to save",
         "Cannot change to directory", "Out Of memory"].contains { message.contains($0) }
    }

    // MARK: - Line handling

    /// The message of a trace line from readpst.c or libpst.c written by readpst's own process, or nil.
    /// Format: `%06d <indent><function> <file>(<line>) <message>`.
    private func traceMessage(_ line: Substring) -> Substring? {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 6, let id = Int32(digits), id == pid else { return nil }
        for source in ["readpst.c(", "libpst.c("] {
            guard let range = line.range(of: source) else { continue }
            guard let close = line[range.upperBound...].firstIndex(of: ")") else { return nil }
            let after = line.index(after: close)
            let message = line[after...].drop { $0 == " " }
            return message.dropLast(while: { $0 == " " })
        }
        return nil
    }

    /// Keeps a line that is not part of the trace (readpst's own messages), bounded to the last 20.
    mutating func noteOther(_ line: UnsafeRawBufferPointer) {
        otherRaw.append([UInt8](line.prefix(300)))
        if otherRaw.count > 40 { otherRaw.removeFirst(otherRaw.count - 20) }
    }

    private mutating func remember(_ line: Substring) {
        otherRaw.append(Array(line.utf8.prefix(300)))
        if otherRaw.count > 40 { otherRaw.removeFirst(otherRaw.count - 20) }
    }
}

private extension Substring {
    func dropLast(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
