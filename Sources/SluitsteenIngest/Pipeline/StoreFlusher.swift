// SPDX-License-Identifier: EUPL-1.2
import SluitsteenArchive
import SluitsteenSupport

/// Makes the store's files durable on a thread of its own, while ingest goes on: batches are numbered as their
/// files are written, each flush covers every batch written before it started, and the committer waits for its
/// batch's number before committing. Successive batches share one flush, so the disk works while the cores parse.
final class StoreFlusher: Sendable {
    private struct Progress: Sendable {
        /// The last batch whose files are written, and the last one whose files are durable.
        var written = 0
        var durable = 0
        var stopped = false
    }

    private let progress: Locked<Progress>
    private let thread: WorkerThread

    init(store: ContentStore) {
        let progress = Locked(Progress())
        self.progress = progress
        thread = WorkerThread(name: "sluitsteen.ingest.flush") {
            while true {
                // The batches written since the last flush, or nil once stopped with nothing left to flush.
                let target: Int? = progress.withLock(waitingUntil: { $0.written != $0.durable || $0.stopped }) { p in
                    p.written == p.durable ? nil : p.written
                }
                guard let target else { return }
                store.flush()
                progress.withLock { $0.durable = target }
            }
        }
    }

    /// The files of batch `sequence` (and of every batch before it) are written.
    func written(_ sequence: Int) {
        progress.withLock { $0.written = max($0.written, sequence) }
    }

    /// Waits until the files of batch `sequence` are on disk.
    func waitUntilDurable(_ sequence: Int) {
        progress.withLock(waitingUntil: { $0.durable >= sequence }) { _ in }
    }

    /// Flushes what is still pending and ends the thread.
    func stop() {
        progress.withLock { $0.stopped = true }
        thread.join()
    }
}
