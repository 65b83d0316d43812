// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Where the tests find the package, its fixtures, the built executable and the shared corpora: found once, from
/// this file's place in the source tree (every test target used to walk up to `Package.swift` on its own).
public enum PackagePaths {
    /// The package's root folder (the one holding `Package.swift`).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        preconditionFailure("no Package.swift above \(#filePath)")
    }()

    /// `Fixtures/` (the demo mail, registers and configurations).
    public static let fixtures = root.appendingPathComponent("Fixtures")
    /// `Schemas/` (the pakbon schema, and the MDTO XSD once `make schemas` placed it).
    public static let schemas = root.appendingPathComponent("Schemas")
    /// `scripts/`.
    public static let scripts = root.appendingPathComponent("scripts")
    /// The debug build of the command-line tool that `make test` builds before the tests run.
    public static let binary = root.appendingPathComponent(".build/debug/sluitsteen")
    /// Whether the command-line tool has been built (CLI tests skip without it).
    public static var hasBinary: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    /// `../shared` beside the package: real corpora, the policy text and the MDTO schema. Tests that read it skip
    /// cleanly when it is absent.
    public static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")
    /// `../shared/corpora`, when present.
    public static var corpora: URL? {
        let url = shared.appendingPathComponent("corpora")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The MDTO 1.0.1 XSD: `Schemas/` (placed by `make schemas`) or `../shared/schemas/mdto/`; nil when neither exists.
    public static let mdtoXSD: URL? = {
        [schemas.appendingPathComponent("MDTO-XML1.0.1.xsd"), shared.appendingPathComponent("schemas/mdto/MDTO-XML1.0.1.xsd")]
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }()

    /// The web tests' virtualenv interpreter (`make deps` makes `.venv-tests`).
    public static let testPython = root.appendingPathComponent(".venv-tests/bin/python")

    /// The first executable called `name` on the PATH (or at `name` when it is a path); nil when there is none.
    public static func tool(_ name: String) -> URL? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? URL(fileURLWithPath: name) : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
