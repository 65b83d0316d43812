// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// A thread that runs one closure and can be waited for: no stage of a pipeline is ever left running detached.
///
/// The thread starts when the value is made. ``join()`` waits until the closure has returned; everything the
/// closure did is visible to the thread that joined.
public final class WorkerThread: Sendable {
    private let finished = Locked(false)

    /// Starts `body` on a new thread named `name`, with a stack of `stackSize` bytes when given (the default of
    /// secondary threads is smaller than the main thread's).
    public init(name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
        let finished = self.finished
        let thread = Thread {
            body()
            finished.withLock { $0 = true }
        }
        thread.name = name
        if let stackSize { thread.stackSize = stackSize }
        thread.start()
    }

    /// Waits until the thread's closure has returned (at once when it has already).
    public func join() {
        finished.withLock(waitingUntil: { $0 }) { _ in }
    }
}
