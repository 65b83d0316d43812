// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenIndex

/// The progress line of a full-text index run on standard error (drawn only when a command decides it may).
enum IndexProgressLine {
    static func draw(_ p: TextIndexProgress) {
        let rate = p.elapsed > 0 ? Double(p.messages) / p.elapsed : 0
        FileHandle.standardError.write(Data(String(format: "\rfull-text index: %d indexed, %d to go, %.0f msg/s   ", p.messages, p.pending, rate).utf8))
    }

    /// Ends the line (call only after drawing it).
    static func end() { FileHandle.standardError.write(Data("\n".utf8)) }
}

/// Whether an index progress line is open on the terminal (set from the indexer's thread), so that it is ended
/// once, before the plan's own output.
final class IndexingNotice: @unchecked Sendable {
    private let lock = NSLock()
    private var open = false
    func drew() { lock.lock(); open = true; lock.unlock() }
    func endLine() {
        lock.lock(); defer { lock.unlock() }
        if open { IndexProgressLine.end(); open = false }
    }
}
