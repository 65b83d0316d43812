// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// The last stage of the package's pipelines (reader → workers → committer): a thread of its own that commits
/// the results of the workers one at a time, in the order submitted, while the next batches are read and worked
/// on. At most `backlog` results wait for it or are being committed (bounded memory); the first failure stops
/// every later commit and is thrown to the caller by the next ``submit(_:)`` and by ``finish()``.
///
/// The committer keeps a state of its own (the totals of what it committed), changed only by `commit` on the
/// committer's thread and given back by ``finish()`` and ``drain()``.
public final class PipelineCommitter<Work: Sendable, State: Sendable, Failure: Error>: Sendable {
    private struct Queue: Sendable {
        var waiting: [Work] = []
        var busy = false
        var ended = false
        var failure: Failure?
        var state: State
    }

    private let queue: Locked<Queue>
    private let backlog: Int
    private let thread: WorkerThread

    /// Starts the committer's thread; `commit` is called for every submitted result, in order, with the state.
    public init(name: String, backlog: Int, state: State,
                _ commit: @escaping @Sendable (Work, inout State) throws(Failure) -> Void) {
        let queue = Locked(Queue(state: state))
        self.queue = queue
        self.backlog = max(1, backlog)
        thread = WorkerThread(name: name) {
            while true {
                let next: (work: Work, state: State, skip: Bool)? = queue.withLock(
                    waitingUntil: { !$0.waiting.isEmpty || $0.ended }
                ) { q in
                    guard !q.waiting.isEmpty else { return nil }
                    q.busy = true
                    return (q.waiting.removeFirst(), q.state, q.failure != nil)
                }
                guard let next else { return }
                var state = next.state
                var failure: Failure?
                if !next.skip {
                    do throws(Failure) { try commit(next.work, &state) } catch { failure = error }
                }
                queue.withLock { q in
                    q.busy = false
                    if !next.skip { q.state = state }
                    if q.failure == nil { q.failure = failure }
                }
            }
        }
    }

    /// Queues `work` for commit, waiting while `backlog` results are waiting or being committed. Throws the
    /// failure of an earlier commit, if one failed (then `work` is not queued).
    public func submit(_ work: Work) throws(Failure) {
        let backlog = backlog
        let failure: Failure? = queue.withLock(
            waitingUntil: { $0.waiting.count + ($0.busy ? 1 : 0) < backlog || $0.failure != nil }
        ) { q in
            if let failure = q.failure { return failure }
            q.waiting.append(work)
            return nil
        }
        if let failure { throw failure }
    }

    /// Waits until everything submitted is committed and ends the thread; rethrows the first failure; returns the
    /// state.
    public func finish() throws(Failure) -> State {
        let (state, failure) = end()
        if let failure { throw failure }
        return state
    }

    /// Waits until everything submitted is committed (or skipped after a failure) and ends the thread; returns
    /// the state of what was committed, whether or not a commit failed.
    @discardableResult
    public func drain() -> State { end().state }

    private func end() -> (state: State, failure: Failure?) {
        queue.withLock { $0.ended = true }
        thread.join()
        return queue.withLock { ($0.state, $0.failure) }
    }
}
