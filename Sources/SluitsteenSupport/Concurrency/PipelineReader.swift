// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// The first stage of the package's pipelines (reader → workers → committer): a thread of its own that reads
/// batches (exports, catalog rows) and hands them to the caller in order, at most `readAhead` batches ahead, so
/// that memory stays bounded while reading overlaps the work.
///
/// The caller takes the batches with ``next()``, works on each one (on every core with ``parallelMap(count:_:)``),
/// hands the results to a ``PipelineCommitter``, and ends with ``finish()`` (which rethrows the reader's failure)
/// or, when its own work failed, with ``cancel()``. Both wait for the thread: a reader is never left running.
///
/// The reader may keep state of its own (the open exports of an ingest): it is handed over when the reader is
/// made, used only by the reader's thread while it runs, and given back by ``finalState`` once it has ended.
public final class PipelineReader<Batch: Sendable, State, Failure: Error>: @unchecked Sendable {
    private struct Queue: Sendable {
        var batches: [Batch] = []
        var ended = false
        var cancelled = false
    }

    private let queue = Locked(Queue())
    private let readAhead: Int
    // Used by the reader's thread until it ends; by the caller only after `join()`.
    private var state: State
    private var failure: Failure?
    // Set once, right after the thread is made; used by the caller's thread only.
    private var thread: WorkerThread!
    private var joined = false

    /// Starts reading: `read` is called once, on a new thread, with the state and a function that hands a batch
    /// over (waiting while `readAhead` batches are waiting already) and returns false when the caller has
    /// cancelled (then `read` should return).
    public init(name: String, readAhead: Int, stackSize: Int? = nil, state: sending State,
                _ read: @escaping @Sendable (inout State, _ emit: (Batch) -> Bool) throws(Failure) -> Void) {
        self.readAhead = max(1, readAhead)
        self.state = state
        thread = WorkerThread(name: name, stackSize: stackSize) { [self] in
            do throws(Failure) {
                try read(&self.state, put)
            } catch {
                failure = error
            }
            queue.withLock { $0.ended = true }
        }
    }

    /// Hands `batch` to the caller, waiting while the queue is full; false once the caller has cancelled.
    private func put(_ batch: Batch) -> Bool {
        let readAhead = readAhead
        return queue.withLock(waitingUntil: { $0.batches.count < readAhead || $0.cancelled }) { q in
            guard !q.cancelled else { return false }
            q.batches.append(batch)
            return true
        }
    }

    /// The next batch, in the order read; nil when the reader has ended (after its last batch, or after a failure,
    /// which ``finish()`` throws).
    public func next() -> Batch? {
        queue.withLock(waitingUntil: { !$0.batches.isEmpty || $0.ended }) { q in
            q.batches.isEmpty ? nil : q.batches.removeFirst()
        }
    }

    /// Waits for the reader to end; throws its failure, if it had one.
    public func finish() throws(Failure) {
        join()
        if let failure { throw failure }
    }

    /// Stops the reader early (the caller's work failed) and waits for it to end.
    public func cancel() {
        queue.withLock { $0.cancelled = true }
        join()
    }

    /// The reader's state as it ended (after ``finish()`` or ``cancel()``).
    public var finalState: State {
        precondition(joined, "the reader's state is the caller's only once the reader has ended")
        return state
    }

    private func join() {
        if joined { return }
        thread.join()
        joined = true
    }
}

extension PipelineReader where State == Void {
    /// Starts a reader without state of its own (see ``init(name:readAhead:stackSize:state:_:)``).
    public convenience init(name: String, readAhead: Int, stackSize: Int? = nil,
                            _ read: @escaping @Sendable (_ emit: (Batch) -> Bool) throws(Failure) -> Void) {
        self.init(name: name, readAhead: readAhead, stackSize: stackSize, state: ()) { (_: inout Void, emit) throws(Failure) in
            try read(emit)
        }
    }
}
