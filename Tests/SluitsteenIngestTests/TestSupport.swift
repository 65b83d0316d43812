import Foundation
import SluitsteenArchive

/// Paths and temporary workspaces for the ingest tests.
enum TestPaths {
    /// The package root (the folder holding Package.swift).
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url = url.deletingLastPathComponent()
        }
        return url
    }()
    static let fixtures = packageRoot.appendingPathComponent("Fixtures/mailboxes")
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let corpora = shared.appendingPathComponent("corpora")
    static var hasCorpora: Bool { FileManager.default.fileExists(atPath: corpora.appendingPathComponent("README.md").path) }

    static func temporaryDirectory(_ name: String = "t") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func workspace() throws -> Workspace {
        try Workspace.create(at: temporaryDirectory("ws"))
    }
}

/// Runs Python 3 as an independent oracle and returns its standard output.
enum Python {
    static func run(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static var available: Bool {
        (try? run(["-c", "print('ok')"]))?.hasPrefix("ok") == true
    }
}
