// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Runs `body` for every index in `0..<count` on every core and returns the results in index order.
///
/// Each result goes into a slot of its own, written by exactly one thread; the slots are read only after every
/// thread has finished. This is the worker stage of the package's pipelines (hashing and parsing in ingest, text
/// extraction in the indexer, message folders in export).
public func parallelMap<T: Sendable>(count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let slots = ResultSlots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in
        slots.set(i, body(i))
    }
    return slots.values()
}

/// Runs `body` for every index in `0..<count` on one thread per worker, handing each thread its own worker
/// (`workers[t]` is used by one thread at a time: a file reader, say) and the indices in chunks of `chunk`, so
/// that uneven work still keeps every thread busy. Returns the results in index order.
public func parallelMap<Worker, T: Sendable>(count: Int, workers: [Worker], chunk: Int = 4,
                                             _ body: @Sendable (Worker, Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    precondition(!workers.isEmpty, "parallelMap needs at least one worker")
    let threads = max(1, min(workers.count, (count + chunk - 1) / chunk))
    if threads == 1 { return (0..<count).map { body(workers[0], $0) } }
    let slots = ResultSlots<T>(count: count)
    let next = Locked(0)
    let pool = WorkerPool(workers)
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        let worker = pool.worker(t)
        while true {
            let start = next.withLock { n in
                defer { n += chunk }
                return n
            }
            if start >= count { break }
            for i in start..<min(start + chunk, count) { slots.set(i, body(worker, i)) }
        }
    }
    return slots.values()
}

/// The result slots of one ``parallelMap(count:_:)`` run: a buffer of `count` optional results, each written by
/// one thread through its own index (no two threads ever touch the same slot, and the array itself is never
/// mutated, only its elements through the buffer pointer).
private final class ResultSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ i: Int, _ value: T) { slots[i] = value }

    /// The results, once every thread has finished.
    func values() -> [T] { slots.map { $0! } }
}

/// The workers of one ``parallelMap(count:workers:chunk:_:)`` run: thread `t` alone uses worker `t`.
private final class WorkerPool<Worker>: @unchecked Sendable {
    private let workers: [Worker]
    init(_ workers: [Worker]) { self.workers = workers }
    func worker(_ t: Int) -> Worker { workers[t] }
}
