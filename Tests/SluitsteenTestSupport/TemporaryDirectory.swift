// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// A fresh folder under the system's temporary folder that removes itself (with everything in it) when the last
/// reference goes: a test keeps it in a local (or a fixture keeps it in a stored property) and leaves nothing behind,
/// even when an expectation fails.
///
/// Every temporary folder or file of the tests is made through this type (or, for a `static let` template built once
/// per test process, through ``forProcess(_:)``): `make test` runs the suite with a fresh `TMPDIR` and fails when
/// anything named `sluitsteen-*` (or anything else the tests made) is left in it.
public final class TemporaryDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// Makes the folder, named after `label` and a random part.
    public init(_ label: String = "test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// `name` inside the folder.
    public func appending(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// The folder's path.
    public var path: String { url.path }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Removes `url` and everything in it (for a `defer` where a helper hands out a workspace rather than a folder).
    public static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// A fresh path (not yet made) inside one folder that lives as long as the test process and is removed when it
    /// exits: for fixtures built once per run and kept in a `static let` (a template archive the tests copy), which
    /// no deinit would ever remove.
    public static func forProcess(_ label: String) throws -> URL {
        let root = try processRoot.get()
        return root.appendingPathComponent("\(label)-\(UUID().uuidString)")
    }

    private static let processRoot: Result<URL, any Error> = Result {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluitsteen-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { if case .success(let url) = TemporaryDirectory.processRoot { try? FileManager.default.removeItem(at: url) } }
        return url
    }
}
