import Foundation
import SluitsteenSupport
import Testing

@Suite("Shared machinery: locked values, parallel map, the pipeline stages")
struct ConcurrencyTests {
    struct Stop: Error, Equatable { let at: Int }

    @Test func parallelMapKeepsIndexOrder() {
        let squares = parallelMap(count: 10_000) { $0 * $0 }
        #expect(squares == (0..<10_000).map { $0 * $0 })
        #expect(parallelMap(count: 0) { $0 }.isEmpty)
    }

    @Test func parallelMapGivesEachThreadItsOwnWorker() {
        // A worker that is not Sendable and counts its own uses: no two threads may use one at a time.
        final class Worker {
            let id: Int
            var busy = false
            init(_ id: Int) { self.id = id }
        }
        let workers = (0..<4).map(Worker.init)
        let clashes = Locked(0)
        let results = parallelMap(count: 1_000, workers: workers, chunk: 3) { worker, i in
            if worker.busy { clashes.withLock { $0 += 1 } }
            worker.busy = true
            defer { worker.busy = false }
            return i * 2
        }
        #expect(results == (0..<1_000).map { $0 * 2 })
        #expect(clashes.current == 0)
    }

    @Test func lockedCountsEveryIncrementAndWaits() {
        let counter = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<1_000 { counter.withLock { $0 += 1 } }
        }
        #expect(counter.current == 8_000)
        let flag = Locked(false)
        let thread = WorkerThread(name: "test.setter") { flag.withLock { $0 = true } }
        #expect(flag.withLock(waitingUntil: { $0 }) { $0 })
        thread.join()
        thread.join()
    }

    @Test func readerHandsOverEveryBatchInOrderWithItsState() throws {
        let reader = PipelineReader<[Int], [String], Stop>(name: "test.reader", readAhead: 2, state: []) { log, emit throws(Stop) in
            for b in 0..<50 {
                log.append("batch \(b)")
                guard emit(Array(b * 10..<(b + 1) * 10)) else { return }
            }
        }
        var seen: [Int] = []
        while let batch = reader.next() { seen += batch }
        try reader.finish()
        #expect(seen == Array(0..<500))
        #expect(reader.finalState.count == 50)
    }

    @Test func aReaderFailureComesAfterItsBatches() {
        let reader = PipelineReader<Int, Void, Stop>(name: "test.failing", readAhead: 1) { emit throws(Stop) in
            for i in 0..<3 { _ = emit(i) }
            throw Stop(at: 3)
        }
        var seen: [Int] = []
        while let n = reader.next() { seen.append(n) }
        #expect(seen == [0, 1, 2])
        #expect(throws: Stop(at: 3)) { try reader.finish() }
    }

    @Test func cancellingStopsTheReaderAndWaitsForIt() {
        let emitted = Locked(0)
        let reader = PipelineReader<Int, Void, Never>(name: "test.endless", readAhead: 2) { emit in
            var i = 0
            while emit(i) {
                emitted.withLock { $0 += 1 }
                i += 1
            }
        }
        #expect(reader.next() == 0)
        reader.cancel()
        // At most the batches it could queue ahead, plus the one it held when cancelled.
        #expect(emitted.current <= 4)
    }

    @Test func committerCommitsInOrderWithABoundedBacklog() throws {
        let inFlight = Locked((now: 0, most: 0))
        let committer = PipelineCommitter<Int, [Int], Stop>(name: "test.commit", backlog: 3, state: []) { n, done throws(Stop) in
            done.append(n)
            inFlight.withLock { $0.now -= 1 }
        }
        for n in 0..<200 {
            inFlight.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            try committer.submit(n)
        }
        #expect(try committer.finish() == Array(0..<200))
        #expect(inFlight.current.most <= 4)
    }

    @Test func aCommitFailureStopsLaterCommitsAndIsThrown() {
        let committer = PipelineCommitter<Int, [Int], Stop>(name: "test.commit-fail", backlog: 2, state: []) { n, done throws(Stop) in
            if n == 5 { throw Stop(at: n) }
            done.append(n)
        }
        var refused: Stop?
        for n in 0..<100 {
            do throws(Stop) { try committer.submit(n) } catch { refused = error; break }
        }
        #expect(refused == Stop(at: 5))
        #expect(committer.drain() == [0, 1, 2, 3, 4])
        #expect(throws: Stop(at: 5)) { _ = try committer.finish() }
    }
}
