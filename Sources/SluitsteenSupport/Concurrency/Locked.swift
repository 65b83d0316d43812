// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// A value shared between threads, reached only with its lock held; a thread can also wait until the value is
/// in a given state (every change wakes the waiting threads).
///
/// The one lock-plus-value type of the package: counters, flags, first errors, hand-over queues and the state of
/// the pipeline stages are all built on it, so no other type needs `@unchecked Sendable` for a lock of its own.
/// It is built on a pthread mutex and condition (`NSCondition`) rather than `Synchronization.Mutex`: on Linux that
/// one is futex-based, which the thread sanitizer cannot see, so it reports races on correctly locked values.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    // Every access to `value` holds `condition`'s lock.
    private let condition = NSCondition()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value locked and wakes every thread waiting for a change.
    @discardableResult
    public func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body(&value)
    }

    /// Waits until `ready` holds for the value, then runs `body` with it still locked (and wakes every thread
    /// waiting for a change).
    @discardableResult
    public func withLock<R, E: Error>(waitingUntil ready: (Value) -> Bool, _ body: (inout Value) throws(E) -> R) throws(E) -> R {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        while !ready(value) { condition.wait() }
        return try body(&value)
    }

    /// A copy of the value as it is now.
    public var current: Value {
        condition.lock()
        defer { condition.unlock() }
        return value
    }
}
