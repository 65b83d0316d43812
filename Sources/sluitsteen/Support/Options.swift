// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive

/// `--home DIR`: which archive workspace a command works on.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Archive workspace folder (default: $SLUITSTEEN_HOME, else ./archief).", valueName: "DIR"))
    var home: String?

    var directory: URL { Workspace.resolveDirectory(explicit: home) }

    func open() throws -> Workspace {
        do { return try Workspace.open(at: directory) } catch { throw CLIError(error.description) }
    }
}

/// `--by NAME`: who performs a state-changing command, for the audit trail.
struct ActorOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Who performs this action, for the audit trail (default: the OS user).", valueName: "NAME"))
    var by: String?

    var actor: String {
        if let by, !by.trimmingCharacters(in: .whitespaces).isEmpty { return by }
        return ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
    }
}

/// `--quiet` and `--json` of the long-running commands (ingest, index, export): a progress line on a terminal
/// unless asked not to, and the closing summary as text or as one JSON object.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: "Print no progress line.")
    var quiet = false

    @Flag(name: .long, help: "Print the summary as JSON.")
    var json = false

    /// Whether to draw the progress line: only on a terminal, and never with `--quiet` or `--json`.
    var showsProgress: Bool { !quiet && !json && isatty(STDERR_FILENO) == 1 }
}

/// An error the CLI prints as one line and exits with (code 1 unless given).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// The clock every command uses ("now", or SLUITSTEEN_NOW).
func commandNow() throws -> Date {
    do { return try ReplayableClock().now() } catch { throw CLIError(error.description) }
}

/// Runs a library call and turns its typed error into a one-line CLI error.
func attempt<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as CLIError { throw e } catch let e as ExitCode { throw e } catch let e as CustomStringConvertible {
        throw CLIError(e.description)
    }
}

/// Writes a line to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}
