// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Shared state of one ``parallelMap`` run: result slots (each written by exactly one thread), the next index
/// to hand out and the first failure; the counter and failure are guarded by the lock.
private final class ParallelRun<T>: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<T?>
    private let lock = NSLock()
    private var next = 0
    private(set) var failure: Error?

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

    func fail(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if failure == nil { failure = error }
    }
}

/// Runs `body` for indices `0..<count` on `workers` threads (each with its own reader), collecting results in
/// index order. Work is handed out in small chunks so uneven file sizes still keep every core busy.
func parallelMap<T: Sendable>(
    count: Int, workers: Int, makeReader: @Sendable () throws -> any EntryReader,
    _ body: @Sendable (any EntryReader, Int) -> T
) throws -> [T] {
    guard count > 0 else { return [] }
    let run = ParallelRun<T>(count: count)
    let chunk = 8
    let threads = max(1, min(workers, (count + chunk - 1) / chunk))
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
        let reader: any EntryReader
        do {
            reader = try makeReader()
        } catch {
            run.fail(error)
            return
        }
        while true {
            let start = run.claim(chunk)
            if start >= count { break }
            for i in start..<min(start + chunk, count) {
                run.slots[i] = body(reader, i)
            }
        }
    }
    if let failure = run.failure { throw failure }
    return run.slots.map { $0! }
}
