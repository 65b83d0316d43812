// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// A bounded, ordered hand-over of batches from one producer thread to one consumer: the reading stage of a
/// pipeline runs ahead of the stage that uses its batches, by at most `capacity` batches (bounded memory).
package final class BatchChannel<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[Element]] = []
    private var finished = false
    private var cancelled = false
    package private(set) var failure: String?
    private let capacity: Int

    package init(capacity: Int) { self.capacity = capacity }

    /// Adds a batch, waiting while the channel is full. Returns false when the consumer has gone away.
    package func put(_ batch: [Element]) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// Marks the end of the stream (with the producer's error, if any).
    package func finish(error: String?) {
        condition.lock(); defer { condition.unlock() }
        finished = true
        failure = error
        condition.broadcast()
    }

    /// Stops the producer (the consumer failed).
    package func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
    }

    /// The next batch, or nil at the end of the stream.
    package func take() -> [Element]? {
        condition.lock(); defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }
}
