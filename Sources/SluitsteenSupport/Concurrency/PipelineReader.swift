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
public final class PipelineReader<Batch: Sendable, State, Failure: Error>: Sendable {
    private struct Queue: Sendable {
        var batches: [Batch] = []
        var ended = false
        var cancelled = false
    }

    /// What the reader's thread hands back when it ends: its state, and its failure if it had one. Used by the
    /// reader's thread until it ends (which it announces through `queue`), then by the caller after `join()`.
    private final class Outcome: @unchecked Sendable {
        var state: State
        var failure: Failure?
        init(state: sending State) { self.state = state }
    }

    private let queue = Locked(Queue())
    private let outcome: Outcome
    private let thread: WorkerThread
    private let joined = Locked(false)

    /// Starts reading: `read` is called once, on a new thread, with the state and a function that hands a batch
    /// over (waiting while `readAhead` batches are waiting already) and returns false when the caller has
    /// cancelled (then `read` should return).
    public init(name: String, readAhead: Int, stackSize: Int? = nil, state: sending State,
                _ read: @escaping @Sendable (inout State, _ emit: (Batch) -> Bool) throws(Failure) -> Void) {
        let queue = queue
        let outcome = Outcome(state: state)
        let readAhead = max(1, readAhead)
        self.outcome = outcome
        // The thread does not touch `self`: only the queue and the outcome.
        thread = WorkerThread(name: name, stackSize: stackSize) {
            let emit = { (batch: Batch) -> Bool in
                queue.withLock(waitingUntil: { $0.batches.count < readAhead || $0.cancelled }) { q in
                    guard !q.cancelled else { return false }
                    q.batches.append(batch)
                    return true
                }
            }
            do throws(Failure) {
                try read(&outcome.state, emit)
            } catch {
                outcome.failure = error
            }
            queue.withLock { $0.ended = true }
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
        if let failure = outcome.failure { throw failure }
    }

    /// Stops the reader early (the caller's work failed) and waits for it to end.
    public func cancel() {
        queue.withLock { $0.cancelled = true }
        join()
    }

    /// The reader's state as it ended (after ``finish()`` or ``cancel()``).
    public var finalState: State {
        precondition(joined.current, "the reader's state is the caller's only once the reader has ended")
        return outcome.state
    }

    private func join() {
        thread.join()
        joined.withLock { $0 = true }
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
