// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenSupport

/// A set of 64-bit fingerprints that keeps little of itself in memory (a run of ingest remembers every message it took
/// in): at most ``memoryLimit`` of them are held in a hash set (8 MiB at the default); the rest are in a scratch file,
/// written sorted in runs. Of each run only a Bloom filter (10 bits a fingerprint: about one "maybe" in a hundred for a
/// fingerprint that is not there) and the first fingerprint of every block of 512 stay in memory — 1.3 bytes a
/// fingerprint, 13 MB at 10,000,000 — so a look-up reads the file only when a run's filter says maybe, and then one
/// block of that run.
///
/// The file is unlinked as soon as it is made: nothing is left behind, whatever stops the run (a kill between the two
/// leaves it in its `ingest-` scratch folder, which the next ingest removes).
final class FingerprintSet {
    private struct Run {
        var offset: Int64
        var count: Int
        var firsts: [UInt64]
        var bloom: Bloom
    }

    /// A run's Bloom filter: 10 bits a fingerprint, 7 probes, placed by double hashing.
    private struct Bloom {
        private var words: [UInt64]

        init(count: Int) { words = Array(repeating: 0, count: max(1, (count * 10 + 63) / 64)) }

        mutating func insert(_ fingerprint: UInt64) {
            let hashes = Bloom.hashes(fingerprint)
            for probe in Bloom.probes {
                let b = bit(probe, hashes)
                words[b / 64] |= 1 << (b % 64)
            }
        }

        func mayContain(_ fingerprint: UInt64) -> Bool {
            let hashes = Bloom.hashes(fingerprint)
            return Bloom.probes.allSatisfy { probe in
                let b = bit(probe, hashes)
                return words[b / 64] & (1 << (b % 64)) != 0
            }
        }

        private static let probes: Range<UInt64> = 0..<7

        /// The bit of probe `probe`.
        private func bit(_ probe: UInt64, _ hashes: (UInt64, UInt64)) -> Int {
            Int((hashes.0 &+ probe &* hashes.1) % UInt64(words.count * 64))
        }

        /// Two independent 64-bit hashes of a fingerprint (SplitMix64's finaliser; the second odd, so the probes
        /// never repeat a bit within a filter of a power-of-two size).
        private static func hashes(_ fingerprint: UInt64) -> (UInt64, UInt64) {
            func mix(_ value: UInt64) -> UInt64 {
                var z = value
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
            return (mix(fingerprint), mix(fingerprint ^ 0x9E37_79B9_7F4A_7C15) | 1)
        }
    }

    /// Fingerprints in a block of a run (one read of 4 KiB).
    static let blockCount = 512

    /// How many fingerprints stay in memory before they go to the file (a hash set of 2^20 buckets, 8 MiB, at the
    /// default).
    let memoryLimit: Int
    private let makeFolder: () throws(IngestError) -> URL
    private var recent: Set<UInt64> = []
    private var runs: [Run] = []
    private var file: FileDescriptor?
    private var fileEnd: Int64 = 0
    private var block: [UInt64]

    /// `makeFolder` gives the private folder the file is made in, when the first run is written.
    init(memoryLimit: Int = 786_432, makeFolder: @escaping () throws(IngestError) -> URL) {
        self.memoryLimit = max(1, memoryLimit)
        self.makeFolder = makeFolder
        block = Array(repeating: 0, count: FingerprintSet.blockCount)
    }

    deinit { try? file?.close() }

    /// How many fingerprints went to the file.
    var spilled: Int { runs.reduce(0) { $0 + $1.count } }

    /// Adds `fingerprint`; true when it was not in the set before.
    func insert(_ fingerprint: UInt64) throws(IngestError) -> Bool {
        if recent.contains(fingerprint) { return false }
        for index in runs.indices {
            if try contains(fingerprint, inRun: index) { return false }
        }
        recent.insert(fingerprint)
        if recent.count >= memoryLimit { try spill() }
        return true
    }

    private func contains(_ fingerprint: UInt64, inRun index: Int) throws(IngestError) -> Bool {
        let run = runs[index]
        if !run.bloom.mayContain(fingerprint) { return false }
        // The last block whose first fingerprint is not above this one.
        var (low, high) = (0, run.firsts.count)
        while low < high {
            let mid = (low + high) / 2
            if run.firsts[mid] <= fingerprint { low = mid + 1 } else { high = mid }
        }
        guard low > 0, let file else { return false }
        let number = low - 1
        let count = min(FingerprintSet.blockCount, run.count - number * FingerprintSet.blockCount)
        let offset = run.offset + Int64(number * FingerprintSet.blockCount * 8)
        let read: Int
        switch block.withUnsafeMutableBytes({ buffer in
            Result { () throws(Errno) -> Int in
                try file.readFully(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(count * 8)]), at: offset)
            }
        }) {
        case .success(let n): read = n
        case .failure(let error): throw .archive(.cannotRead("the occurrence scratch file", reason: error.description))
        }
        guard read == count * 8 else { throw .archive(.cannotRead("the occurrence scratch file", reason: "it ended early")) }
        var (first, last) = (0, count)
        while first < last {
            let mid = (first + last) / 2
            if block[mid] < fingerprint { first = mid + 1 } else { last = mid }
        }
        return first < count && block[first] == fingerprint
    }

    /// Writes the fingerprints in memory to the file as one sorted run, with its filter and block index.
    private func spill() throws(IngestError) {
        let sorted = recent.sorted()
        let file: FileDescriptor
        if let open = self.file { file = open } else {
            file = try openFile()
            self.file = file
        }
        let end = fileEnd
        if case .failure(let error) = sorted.withUnsafeBytes({ bytes in Result { () throws(Errno) in try file.writeAll(bytes, at: end) } }) {
            throw .archive(.cannotWrite("the occurrence scratch file", reason: error.description))
        }
        var bloom = Bloom(count: sorted.count)
        for fingerprint in sorted { bloom.insert(fingerprint) }
        let firsts = stride(from: 0, to: sorted.count, by: FingerprintSet.blockCount).map { sorted[$0] }
        runs.append(Run(offset: fileEnd, count: sorted.count, firsts: firsts, bloom: bloom))
        fileEnd += Int64(sorted.count * 8)
        recent.removeAll(keepingCapacity: true)
    }

    /// Makes the scratch file in a new private folder and unlinks both at once: only the descriptor holds it.
    private func openFile() throws(IngestError) -> FileDescriptor {
        let folder = try makeFolder()
        let path = folder.appendingPathComponent("fingerprints").path
        defer {
            unlink(path)
            rmdir(folder.path)
        }
        do { return try FileDescriptor.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o600) } catch {
            throw .archive(.cannotWrite(path, reason: error.description))
        }
    }
}
