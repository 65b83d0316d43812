// SPDX-License-Identifier: EUPL-1.2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a finished subprocess left: its exit status (or the signal that ended it) and everything it wrote.
public struct SubprocessResult: Sendable {
    /// The exit status, or the signal number when ``killed`` is true.
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    /// True when a signal ended the process (a crash test's deliberate SIGKILL, for instance).
    public var killed: Bool

    /// Standard output as text (invalid UTF-8 replaced).
    public var out: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as text (invalid UTF-8 replaced).
    public var err: String { String(decoding: stderr, as: UTF8.self) }
}

/// The tests' one way to run another program: both output pipes are read while the program runs, each on its own
/// thread, so a program that fills one pipe while the test waits on the other cannot dead-lock the test.
public enum Subprocess {
    /// Errors of starting a program (a program that runs and fails is a ``SubprocessResult`` with its status).
    public enum Failure: Error, CustomStringConvertible {
        case notFound(String)
        public var description: String {
            switch self {
            case .notFound(let name): return "\(name) is not installed (not on the PATH)"
            }
        }
    }

    /// Runs `executable` with `arguments` and waits for it. `environment` entries are added to (or, with a nil value,
    /// removed from) the test process's environment; `input`, when given, is written to its standard input.
    @discardableResult
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String?] = [:],
                           in directory: URL? = nil, input: Data? = nil) throws -> SubprocessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            var env = ProcessInfo.processInfo.environment
            for (key, value) in environment { env[key] = value }
            process.environment = env
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = input.map { _ in Pipe() }
        process.standardInput = stdin ?? FileHandle.nullDevice
        try process.run()
        let collected = Collected()
        let group = DispatchGroup()
        group.enter()
        Thread.detachNewThread {
            let data = out.fileHandleForReading.readDataToEndOfFile()
            collected.lock.withLock { collected.out = data }
            group.leave()
        }
        group.enter()
        Thread.detachNewThread {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            collected.lock.withLock { collected.err = data }
            group.leave()
        }
        if let input, let stdin {
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
        }
        group.wait()
        process.waitUntilExit()
        return collected.lock.withLock {
            SubprocessResult(status: process.terminationStatus, stdout: collected.out, stderr: collected.err,
                             killed: process.terminationReason == .uncaughtSignal)
        }
    }

    /// Runs the program called `name` from the PATH (or the path `name`).
    @discardableResult
    public static func run(tool name: String, _ arguments: [String], environment: [String: String?] = [:],
                           in directory: URL? = nil, input: Data? = nil) throws -> SubprocessResult {
        guard let url = PackagePaths.tool(name) else { throw Failure.notFound(name) }
        return try run(url, arguments, environment: environment, in: directory, input: input)
    }

    /// Both outputs, filled by the reader threads under the lock.
    private final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var out = Data()
        var err = Data()
    }
}
