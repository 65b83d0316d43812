// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport

/// A command-line program the attachments are redacted with (poppler's pdfinfo, pdftotext and pdftoppm;
/// LibreOffice's soffice), found on the PATH or in the given folders, and run with a time limit.
struct ExternalTool {
    let name: String
    let url: URL

    /// The outcome of one run: exit status, whether the time limit killed it, and its error output (cut short).
    struct Outcome {
        var status: Int32
        var timedOut: Bool
        var errorOutput: String
    }

    /// Finds `name` in `directories` (nil: the PATH, then /usr/bin and /bin).
    static func find(_ name: String, in directories: [String]?) -> ExternalTool? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = directories ?? (path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin"])
        for folder in folders where !folder.isEmpty {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return ExternalTool(name: name, url: url) }
        }
        return nil
    }

    /// Runs the tool in `folder` with standard output into `output` (nil: discarded), killed after `timeout`.
    func run(_ arguments: [String], in folder: URL, output: URL? = nil, timeout: Duration) -> Outcome {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = folder
        // A private HOME: LibreOffice writes its profile there, and nothing reads the user's own settings.
        process.environment = ["PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "TZ": "UTC", "HOME": folder.path]
        let errors = folder.appendingPathComponent(".\(name)-\(UUID().uuidString).stderr")
        guard FileManager.default.createFile(atPath: errors.path, contents: nil),
              let errorHandle = try? FileHandle(forWritingTo: errors) else {
            return Outcome(status: -1, timedOut: false, errorOutput: "no scratch file for its messages in \(folder.path)")
        }
        defer {
            try? errorHandle.close()
            try? FileManager.default.removeItem(at: errors)
        }
        var outputHandle: FileHandle?
        if let output {
            guard FileManager.default.createFile(atPath: output.path, contents: nil),
                  let handle = try? FileHandle(forWritingTo: output) else {
                return Outcome(status: -1, timedOut: false, errorOutput: "cannot write \(output.lastPathComponent)")
            }
            outputHandle = handle
        }
        defer { try? outputHandle?.close() }
        process.standardOutput = outputHandle ?? FileHandle.nullDevice
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return Outcome(status: -1, timedOut: false, errorOutput: "\(name) could not be started (\(error))")
        }
        // The kill and the end of the run exclude each other, so that a finished (and reaped) process is never killed.
        let state = Locked((finished: false, killed: false))
        let pid = process.processIdentifier
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            state.withLock { s in
                guard !s.finished, !s.killed else { return }
                s.killed = true
                _ = kill(pid, SIGKILL)
            }
        }
        process.waitUntilExit()
        let killed = state.withLock { s in
            s.finished = true
            return s.killed
        }
        let message = (try? Data(contentsOf: errors)).map { String(decoding: $0.prefix(4096), as: UTF8.self) } ?? ""
        return Outcome(status: process.terminationStatus, timedOut: killed, errorOutput: message)
    }
}

/// A private scratch folder (mode 0700, from mkdtemp), removed with everything in it when the value goes.
final class ScratchFolder {
    let url: URL

    init(file: String) throws(PDFProductionError) {
        let template = (NSTemporaryDirectory() as NSString).appendingPathComponent("sluitsteen-pdf-XXXXXX")
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else {
            throw .cannotRedactReliably(file: file, reason: "no private scratch folder could be made in "
                                        + "\(NSTemporaryDirectory()) (\(String(cString: strerror(errno))))")
        }
        url = URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `data` to `name` in the folder, readable by the owner only.
    func write(_ data: Data, to name: String, file: String) throws(PDFProductionError) -> URL {
        let target = url.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: target.path, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw .cannotRedactReliably(file: file, reason: "it could not be written to the scratch folder \(url.path)") }
        return target
    }
}
