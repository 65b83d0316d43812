// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings for converting a PST/OST file with readpst.
public struct PSTExtractionOptions: Sendable, Equatable {
    /// The readpst program to run; nil searches `searchPath`.
    public var readpst: URL?
    /// Folders to search for readpst, `:`-separated; nil uses this process's `PATH`.
    public var searchPath: String?
    /// How long readpst may run; nil allows 120 seconds plus one second per megabyte of PST.
    public var timeout: Duration?
    /// Convert a PST that carries an Outlook password instead of refusing it. readpst ignores the password
    /// (it is only a checksum in the file), so this is a decision for the archivist, not a technical limit.
    public var allowPasswordProtected: Bool

    public init(readpst: URL? = nil, searchPath: String? = nil, timeout: Duration? = nil,
                allowPasswordProtected: Bool = false) {
        self.readpst = readpst
        self.searchPath = searchPath
        self.timeout = timeout
        self.allowPasswordProtected = allowPasswordProtected
    }
}

/// Converts a PST/OST file into one RFC 5322 file per mail item by running libpst's `readpst` as a separate
/// process (libpst is GPL-2+, so it is never linked, and a hostile file is parsed outside Sluitsteen).
/// The result tells where every item went; see `PSTExtraction`.
public enum PSTExtractor {
    /// The readpst arguments, apart from `-o DIR FILE`: one `.eml`/`.ics`/`.vcf` per item in a folder tree like
    /// the PST's (`-e`), deleted items included (`-D`), one process so the trace is in order (`-j 0`), no chatter
    /// (`-q`), and the trace readpst writes at debug level 2 sent to standard error (`-L 2 -d /dev/stderr`). The
    /// trace is also where the item's own times are: readpst writes a `Date` header only from the sent time.
    static let readpstArguments = ["-e", "-D", "-j", "0", "-q", "-L", "2", "-d", "/dev/stderr"]

    /// Finds readpst as the options say, or explains how to install it.
    public static func locateReadpst(_ options: PSTExtractionOptions = .init()) throws(PSTError) -> URL {
        let fileManager = FileManager.default
        if let explicit = options.readpst {
            guard fileManager.isExecutableFile(atPath: explicit.path) else {
                throw .readpstMissing(searched: explicit.path)
            }
            return explicit
        }
        let path = options.searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("readpst")
            if fileManager.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw .readpstMissing(searched: path.isEmpty ? "an empty PATH" : path)
    }

    /// Converts `file` into `workDirectory` (created if missing; it must be empty) and accounts for every item.
    /// On any error, what readpst wrote is removed again.
    public static func extract(file: URL, workDirectory: URL,
                               options: PSTExtractionOptions = .init()) throws(PSTError) -> PSTExtraction {
        let name = file.lastPathComponent
        let fileManager = FileManager.default
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try fileManager.attributesOfItem(atPath: file.path)
        } catch {
            throw .unreadable(file: name, reason: "it does not exist or cannot be opened")
        }
        guard fileManager.isReadableFile(atPath: file.path) else {
            throw .unreadable(file: name, reason: "permission denied")
        }
        guard PSTFile.hasSignature(at: file), let header = PSTHeader.read(at: file) else {
            throw .notAPSTFile(file: name)
        }
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        if header.declaredSize > size {
            throw .truncated(file: name, size: size, declaredSize: header.declaredSize)
        }
        let program = try locateReadpst(options)
        try prepare(workDirectory)

        let timeout = options.timeout ?? .seconds(120 + Int64(size / 1_000_000))
        let started = Date()
        let run: ReadpstRun
        do {
            run = try ReadpstRun.execute(
                program: program, file: file, workDirectory: workDirectory, timeout: timeout,
                refuseAtRoot: { checksum in
                    !options.allowPasswordProtected && isPasswordSet(checksum, header: header)
                })
        } catch {
            clear(workDirectory)
            throw error
        }
        let trace = run.trace

        func fail(_ error: PSTError) -> PSTError {
            clear(workDirectory)
            return error
        }
        if run.timedOut {
            throw fail(.timedOut(file: name, seconds: Int(timeout.components.seconds)))
        }
        if run.stoppedAtRoot { throw fail(.passwordProtected(file: name)) }
        let detail = trace.fatal ?? trace.otherLines.last ?? "no message"
        if let signal = run.signal {
            throw fail(.conversionFailed(
                file: name, detail: "readpst stopped with signal \(signal) in \(trace.currentPlace)"))
        }
        if trace.storeName == nil {
            throw fail(.damaged(file: name, detail: detail))
        }
        if run.status != 0 {
            throw fail(.conversionFailed(file: name, detail: "\(detail) (exit status \(run.status))"))
        }
        let exportStamp = ReadpstMessageFile.Stamp(
            since: started,
            replacement: (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0))
        return assemble(trace: trace, file: file, workDirectory: workDirectory, stamp: exportStamp,
                        passwordProtected: isPasswordSet(trace.passwordChecksum, header: header))
    }

    /// A PST's password is a CRC-32 in its message store; 0 means none. OSTs have no such password (Outlook
    /// writes 0xFFFFFFFF there), so they are never treated as protected.
    static func isPasswordSet(_ checksum: UInt32?, header: PSTHeader) -> Bool {
        guard header.client != .ost, let checksum else { return false }
        return checksum != 0
    }

    // MARK: - Work directory

    private static func prepare(_ directory: URL) throws(PSTError) {
        let fileManager = FileManager.default
        let contents: [String]
        do {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
            contents = try fileManager.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .workDirectoryUnusable(path: directory.path, reason: "it cannot be created or listed")
        }
        if !contents.isEmpty { throw .workDirectoryUnusable(path: directory.path, reason: "it is not empty") }
    }

    private static func clear(_ directory: URL) {
        let fileManager = FileManager.default
        for entry in (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? [] {
            try? fileManager.removeItem(at: directory.appendingPathComponent(entry))
        }
    }

    // MARK: - Result

    private static func assemble(trace: ReadpstTrace, file: URL, workDirectory: URL, stamp: ReadpstMessageFile.Stamp,
                                 passwordProtected: Bool) -> PSTExtraction {
        var items: [(PSTItem, Int)] = []
        var failures: [(PSTItemFailure, Int)] = []
        for (order, record) in trace.failures.enumerated() {
            failures.append((PSTItemFailure(
                folderPath: record.folderPath.joined(separator: "/"), position: record.position,
                reason: record.reason), order))
        }
        for (order, record) in trace.mail.enumerated() {
            let url = workDirectory.appendingPathComponent(record.relativeFile)
            let folderPath = record.folderPath.joined(separator: "/")
            do {
                let facts = try ReadpstMessageFile.normalise(at: url, stamp: stamp)
                items.append((PSTItem(
                    folderPath: folderPath, position: record.position, file: url, kind: facts.kind,
                    keywords: [], flags: facts.flags, warnings: record.warnings, ownTime: record.ownTime), order))
            } catch {
                failures.append((PSTItemFailure(
                    folderPath: folderPath, position: record.position,
                    reason: "readpst counted this mail item but wrote no readable message file"),
                    trace.failures.count + order))
            }
        }

        struct Key: Hashable { let folder: String; let kind: PSTNonMailKind; let rendered: Bool }
        var groups: [Key: (count: Int, files: [URL], classes: Set<String>)] = [:]
        for record in trace.nonMail {
            var file: URL?
            if let relative = record.relativeFile {
                let url = workDirectory.appendingPathComponent(relative)
                if FileManager.default.fileExists(atPath: url.path) { file = url }
            }
            let key = Key(folder: record.folderPath.joined(separator: "/"), kind: record.kind, rendered: file != nil)
            var group = groups[key] ?? (0, [], [])
            group.count += 1
            if let file { group.files.append(file) }
            if let cls = record.messageClass { group.classes.insert(cls) }
            groups[key] = group
        }
        let notMail = groups.map { key, group in
            PSTFolderCount(folderPath: key.folder, kind: key.kind, count: group.count,
                           renderedFiles: group.files, messageClasses: group.classes.sorted())
        }.sorted { a, b in
            (a.folderPath, a.kind, a.rendered ? 0 : 1) < (b.folderPath, b.kind, b.rendered ? 0 : 1)
        }

        return PSTExtraction(
            source: file,
            storeName: trace.storeName ?? "",
            passwordProtected: passwordProtected,
            items: items.sorted { a, b in
                (a.0.folderPath, a.0.position, a.1) < (b.0.folderPath, b.0.position, b.1)
            }.map(\.0),
            notMail: notMail,
            failures: failures.sorted { a, b in
                (a.0.folderPath, a.0.position ?? Int.max, a.1) < (b.0.folderPath, b.0.position ?? Int.max, b.1)
            }.map(\.0),
            unopenedFolders: trace.skippedFolders.map {
                PSTItemFailure(folderPath: $0.folderPath.joined(separator: "/"), position: nil, reason: $0.reason)
            })
    }
}

/// One run of readpst: the process, its trace, and how it ended.
struct ReadpstRun {
    var trace: ReadpstTrace
    var status: Int32 = 0
    var signal: Int32?
    var timedOut = false
    var stoppedAtRoot = false

    /// Guards the kill of readpst against its normal end (the timeout fires on another thread).
    private struct Guard: Sendable {
        private struct State: Sendable {
            var finished = false
            var killed = false
        }
        private let state = Locked(State())
        let pid: Int32

        /// Kills readpst unless it has finished or was killed already; true when this call killed it.
        func kill() -> Bool {
            state.withLock { s in
                guard !s.finished, !s.killed else { return false }
                s.killed = true
                _ = Foundation.kill(pid, SIGKILL)
                return true
            }
        }

        func finish() { state.withLock { $0.finished = true } }
    }

    static func execute(program: URL, file: URL, workDirectory: URL, timeout: Duration,
                        refuseAtRoot: @escaping (UInt32?) -> Bool) throws(PSTError) -> ReadpstRun {
        let process = Process()
        process.executableURL = program
        process.arguments = PSTExtractor.readpstArguments + ["-o", workDirectory.path, file.path]
        process.currentDirectoryURL = workDirectory
        process.environment = ["PATH": "/usr/bin:/bin", "TZ": "UTC", "LC_ALL": "C"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .conversionFailed(file: file.lastPathComponent, detail: "readpst could not be started (\(error))")
        }
        try? pipe.fileHandleForWriting.close()

        let guardian = Guard(pid: process.processIdentifier)
        let timedOut = Locked(false)
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            if guardian.kill() { timedOut.withLock { $0 = true } }
        }

        var run = ReadpstRun(trace: ReadpstTrace(pid: process.processIdentifier, stopAtRoot: refuseAtRoot))
        var stopped = false
        var reader = LineReader(fd: pipe.fileHandleForReading.fileDescriptor)
        reader.forEachLine { line in
            // Most of the trace is libpst's own detail; only readpst's events and the password line are parsed.
            guard LineReader.isTraceLine(line) else {
                run.trace.noteOther(line)
                return
            }
            guard !stopped, LineReader.contains(line, "readpst.c(") || LineReader.contains(line, "Password checksum")
                    || (LineReader.contains(line, "libpst.c(") && LineReader.contains(line, ") Date "))
            else { return }
            let text = String(decoding: line, as: UTF8.self)
            if run.trace.consume(line: Substring(text)) == .stop {
                stopped = true
                if guardian.kill() { run.stoppedAtRoot = true }
            }
        }
        try? pipe.fileHandleForReading.close()
        guardian.finish()
        process.waitUntilExit()

        run.timedOut = timedOut.current
        switch process.terminationReason {
        case .exit: run.status = process.terminationStatus
        case .uncaughtSignal: if !run.timedOut && !run.stoppedAtRoot { run.signal = process.terminationStatus }
        @unknown default: run.status = process.terminationStatus
        }
        return run
    }
}

/// Reads readpst's output line by line with bounded memory: an over-long line (a dumped header block) is cut.
struct LineReader {
    let fd: Int32
    static let maximumLine = 1 << 14

    mutating func forEachLine(_ body: (UnsafeRawBufferPointer) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var carry: [UInt8] = []
        var cut = false
        let file = FileDescriptor(rawValue: fd)
        while true {
            // A read error ends the trace as the end of the output does (readpst's exit status tells the rest).
            let count = buffer.withUnsafeMutableBytes { (try? file.read(into: $0)) ?? 0 }
            if count == 0 { break }
            buffer.withUnsafeBytes { raw in
                var start = 0
                while start < count {
                    guard let newline = memchr(raw.baseAddress! + start, 0x0A, count - start) else {
                        if !cut {
                            let room = Self.maximumLine - carry.count
                            carry.append(contentsOf: raw[start..<min(count, start + max(room, 0))])
                            cut = count - start > room
                        }
                        return
                    }
                    let end = raw.baseAddress!.distance(to: newline)
                    if carry.isEmpty && !cut {
                        body(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                    } else {
                        if !cut { carry.append(contentsOf: raw[start..<min(end, start + Self.maximumLine)]) }
                        carry.withUnsafeBytes { body($0) }
                        carry.removeAll(keepingCapacity: true)
                        cut = false
                    }
                    start = end + 1
                }
            }
        }
        if !carry.isEmpty { carry.withUnsafeBytes { body($0) } }
    }

    /// A trace line starts with readpst's process id as six or more digits and a space.
    static func isTraceLine(_ line: UnsafeRawBufferPointer) -> Bool {
        var digits = 0
        for byte in line {
            if byte >= 0x30 && byte <= 0x39 { digits += 1; continue }
            return byte == 0x20 && digits >= 6
        }
        return false
    }

    static func contains(_ line: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        let length = needle.utf8CodeUnitCount
        guard line.count >= length, let base = line.baseAddress else { return false }
        let first = Int32(needle.utf8Start.pointee)
        var offset = 0
        while offset <= line.count - length {
            guard let hit = memchr(base + offset, first, line.count - length - offset + 1) else { return false }
            if memcmp(hit, needle.utf8Start, length) == 0 { return true }
            offset = base.distance(to: UnsafeRawPointer(hit)) + 1
        }
        return false
    }
}
