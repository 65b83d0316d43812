// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenIndex
import SluitsteenSupport

/// The progress line of a full-text index run on standard error (drawn only when a command decides it may).
enum IndexProgressLine {
    static func draw(_ p: TextIndexProgress) {
        let rate = p.elapsed > 0 ? Double(p.messages) / p.elapsed : 0
        let line = String(format: "\rfull-text index: %d indexed, %d to go, %.0f msg/s   ", p.messages, p.pending, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Ends the line (call only after drawing it).
    static func end() { FileHandle.standardError.write(Data("\n".utf8)) }
}

/// Whether an index progress line is open on the terminal (set from the indexer's thread), so that it is ended
/// once, before the plan's own output.
struct IndexingNotice: Sendable {
    private let open = Locked(false)

    func drew() { open.withLock { $0 = true } }

    func endLine() {
        open.withLock { isOpen in
            if isOpen { IndexProgressLine.end(); isOpen = false }
        }
    }
}
