// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Dispatch
import Foundation
import SluitsteenArchive
import SluitsteenRetention
import SluitsteenWeb

/// `sluitsteen serve`: the web service (sign-in through OpenID Connect, the pages by role), or `--check` of its
/// configuration.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the web service of the archive (or check its configuration with --check).",
        discussion: """
            People sign in through the municipality's OpenID Connect provider (authorization code flow with PKCE); \
            their roles come from the configuration's role mapping and they are matched to the registers by e-mail \
            (or UPN). Run it behind a reverse proxy that terminates TLS. See the README, "The web service".
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @Option(name: .long, help: ArgumentHelp("Address to listen on (HOST:PORT).", valueName: "HOST:PORT"))
    var listen: String = "127.0.0.1:8080"
    @Option(name: .long, help: ArgumentHelp("The service's configuration (TOML).", valueName: "FILE"))
    var config: String
    @Flag(name: .long, help: "Only check the configuration: print every error with its line; exit 1 on errors.")
    var check = false

    func run() throws {
        if check { return try checkConfiguration() }
        guard let address = ListenAddress(listen) else {
            throw CLIError("--listen '\(listen)' is not HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)")
        }
        let configuration = try attempt { try ServeConfiguration.load(file: config) }
        for w in configuration.warnings() { printError(w) }
        let ws = try workspace.open()
        if (try? RetentionStore(workspace: ws).registers()) == nil {
            printError("warning: no registers imported in \(ws.root.path): no one can sign in until `sluitsteen register import …` has run")
        }
        let app = try attempt { try WebApp(workspace: ws, configuration: configuration, routeGroups: ArchivePages.groups) }
        print("Sluitsteen serves \(ws.root.path) on http://\(address) (public address \(configuration.publicOrigin)); stop with Ctrl-C.")
        fflush(nil)  // the line reaches a log (systemd, a file) at once
        // The command line is synchronous; the service runs on Swift concurrency's threads until SIGINT or SIGTERM.
        let finished = DispatchSemaphore(value: 0)
        let outcome = ServeOutcome()
        Task.detached {
            do { try await app.run(host: address.host, port: address.port) } catch { outcome.set(error) }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error { throw CLIError("the web service stopped: \(error)") }
    }

    private func checkConfiguration() throws {
        let text: String
        do { text = try String(contentsOfFile: config, encoding: .utf8) } catch {
            throw CLIError("cannot read \(config): \(error.localizedDescription)")
        }
        let diagnostics = ServeConfiguration.check(text: text, file: config)
        if diagnostics.isEmpty {
            if let loaded = try? ServeConfiguration.load(file: config) { for w in loaded.warnings() { printError(w) } }
            print("\(config): the service configuration is valid.")
            return
        }
        for d in diagnostics { print(d.description) }
        printError("\(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s") in \(config)")
        throw ExitCode(1)
    }
}

/// The error that ended the service, handed from its task to the command.
private final class ServeOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?
    var error: (any Error)? { lock.withLock { stored } }
    func set(_ error: any Error) { lock.withLock { stored = error } }
}
