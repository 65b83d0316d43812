// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenRetention

/// `--home DIR`: which archive workspace a command works on.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Archive workspace folder (default: $SLUITSTEEN_HOME, else ./archief).", valueName: "DIR"))
    var home: String?

    var directory: URL { Workspace.resolveDirectory(explicit: home) }

    func open(allowingLegacyStore: Bool = false) throws -> Workspace {
        do { return try Workspace.open(at: directory, allowingLegacyStore: allowingLegacyStore) } catch {
            throw CLIError(error.description, status: ExitStatus(error))
        }
    }
}

/// `--by PERSON`: who performs a state-changing command, for the audit trail and the documents.
struct ActorOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Who performs this action: a person_id from the personnel register (recorded with their name), or a name. "
            + "The OS account is recorded beside it.", valueName: "PERSON"))
    var by: String?

    /// The actor: the registered person whose id `--by` gives, else the name as given (checked: no control
    /// characters, not empty), else "not given" (the audit trail still records the OS account).
    func resolve(_ workspace: Workspace) throws -> Actor {
        guard let by else { return Actor(personId: nil, name: "niet opgegeven (zonder --by)") }
        let name: String
        do { name = try SafeText.checkedName(by, field: "--by") } catch { throw CLIError(error.description) }
        if let person = try? RetentionStore(workspace: workspace).registeredActor(name) { return person }
        return Actor(personId: nil, name: name)
    }
}

/// `--by PERSON_ID` where only a registered person may act (approving a destruction list).
struct PersonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The person_id (people.csv) of the person who acts, e.g. P0007.", valueName: "PERSON_ID"))
    var by: String

    func resolve(_ workspace: Workspace) throws -> Actor {
        do { _ = try SafeText.checkedName(by, field: "--by") } catch { throw CLIError(error.description) }
        return try attempt { try RetentionStore(workspace: workspace).registeredActor(by) }
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

/// An error the CLI prints as one line and exits with (``ExitStatus/refused`` unless it stands for a library error,
/// see ``attempt(_:)``). The message is made safe for the terminal: control characters shown, overlong values cut.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    let status: ExitStatus
    init(_ message: String, status: ExitStatus = .refused) {
        description = SafeText.terminalLines(message)
        self.status = status
    }
}

/// The clock of a command that works on no workspace (verify): the system clock, or SLUITSTEEN_NOW when set (the
/// report then says that its time was replayed).
func standaloneClock() throws -> ReplayableClock {
    do { return try ReplayableClock() } catch { throw CLIError(error.description) }
}

/// Runs a library call and turns its typed error into a one-line CLI error with the error's exit status.
func attempt<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch {
        switch error {
        case is CLIError, is ExitCode: throw error
        case let e as CustomStringConvertible: throw CLIError(e.description, status: ExitStatus(error))
        default: throw error
        }
    }
}

/// Writes a line to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// `--copy NUMBER`, or `--message-id ID` with `--mailbox ADDRESS`: the copy a command works on. The number is the copy's
/// number in the catalog (the first column of `messages` and `search`; never reused, so it stays valid); a Message-ID
/// without a mailbox is accepted when the message is in one mailbox only, else the candidates are listed.
struct CopyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The copy's number (first column of `messages` and `search`).", valueName: "NUMBER"))
    var copy: Int64?
    @Option(name: .customLong("message-id"), help: ArgumentHelp("Message-ID (with or without < >), instead of --copy.", valueName: "ID"))
    var messageId: String?
    @Option(name: .long, help: ArgumentHelp("Mailbox of the message (needed with --message-id when the message is in several).",
                                            valueName: "ADDRESS"))
    var mailbox: String?

    func validate() throws {
        guard copy != nil || messageId != nil else {
            throw ValidationError("name the message: --copy NUMBER (see `sluitsteen messages` or `sluitsteen search`), or --message-id ID")
        }
    }

    /// The copies named (every state; at least one, all in one mailbox).
    func resolve(_ workspace: Workspace) throws -> [CatalogCopy] {
        try attempt { try workspace.catalog.copies(number: copy, messageId: messageId, mailbox: mailbox) }
    }
}
