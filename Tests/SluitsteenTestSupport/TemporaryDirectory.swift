// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// A fresh folder under the system's temporary folder that removes itself (with everything in it) when the last
/// reference goes: a test keeps it in a local and leaves nothing behind, even when an expectation fails.
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

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
