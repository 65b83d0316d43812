// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Shared state of one ``parallelMap`` run: result slots (each written by exactly one thread) and the next index
/// to hand out, guarded by the lock.
private final class ParallelRun<T>: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<T?>
    private let lock = NSLock()
    private var next = 0

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func claim(_ chunk: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        let start = next
        next += chunk
        return start
    }
}

/// One reader per worker thread, made once per verification (a zip reader indexes the archive when made).
final class ReaderPool: @unchecked Sendable {
    // Each reader is used by one thread at a time: thread `t` of a ``parallelMap`` run uses `readers[t]`.
    let readers: [any EntryReader]

    init(store: any PackageStore, workers: Int) throws {
        readers = try (0..<max(1, workers)).map { _ in try store.makeReader() }
    }
}

/// Runs `body` for indices `0..<count` on the pool's threads (each with its own reader), collecting results in
/// index order. Work is handed out in small chunks so uneven file sizes still keep every core busy.
func parallelMap<T: Sendable>(
    count: Int, pool: ReaderPool, _ body: @Sendable (any EntryReader, Int) -> T
) -> [T] {
    guard count > 0 else { return [] }
    let run = ParallelRun<T>(count: count)
    let chunk = 4
    let threads = max(1, min(pool.readers.count, (count + chunk - 1) / chunk))
    if threads == 1 {
        return (0..<count).map { body(pool.readers[0], $0) }
    }
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        let reader = pool.readers[t]
        while true {
            let start = run.claim(chunk)
            if start >= count { break }
            for i in start..<min(start + chunk, count) {
                run.slots[i] = body(reader, i)
            }
        }
    }
    return run.slots.map { $0! }
}
