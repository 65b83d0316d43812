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
        /// Why a flush failed (every later wait fails with it).
        var failure: ArchiveError?
    }

    private let progress: Locked<Progress>
    private let thread: WorkerThread

    /// `durable` false (tests only) lists the written entries without syncing the packs first.
    init(store: ContentStore, durable: Bool = true) {
        let progress = Locked(Progress())
        self.progress = progress
        thread = WorkerThread(name: "sluitsteen.ingest.flush") {
            while true {
                // The batches written since the last flush, or nil once stopped with nothing left to flush.
                let target: Int? = progress.withLock(waitingUntil: { $0.written != $0.durable || $0.stopped }) { p in
                    p.written == p.durable ? nil : p.written
                }
                guard let target else { return }
                do throws(ArchiveError) {
                    try store.flush(durable: durable)
                    progress.withLock { $0.durable = target }
                } catch {
                    progress.withLock { $0.failure = $0.failure ?? error; $0.durable = target }
                }
            }
        }
    }

    /// The files of batch `sequence` (and of every batch before it) are written.
    func written(_ sequence: Int) {
        progress.withLock { $0.written = max($0.written, sequence) }
    }

    /// Waits until the files of batch `sequence` are on disk.
    func waitUntilDurable(_ sequence: Int) throws(ArchiveError) {
        if let failure = progress.withLock(waitingUntil: { $0.durable >= sequence }, { $0.failure }) { throw failure }
    }

    /// Flushes what is still pending and ends the thread.
    func stop() {
        progress.withLock { $0.stopped = true }
        thread.join()
    }
}
