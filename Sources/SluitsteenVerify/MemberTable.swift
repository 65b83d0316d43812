// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// The members of a tar or zip (or of one large folder) as a package tree, kept on disk so that memory does not grow
/// with the number of members: an external merge sort writes every member, sorted by parent folder and then by
/// name, to a ``ScratchFile``; a folder's children are one run of it, found through a sparse index (one key per
/// ``sampleEvery`` records) and read in walk order by a ``Cursor``.
///
/// Memory: one sort buffer of at most ``runBytes`` while members are added, 64 KiB per sorted run while they are
/// merged, and then the sparse index, about 1/``sampleEvery`` of the folder paths (some 2 MB for 4,000,000
/// members). A cursor holds one block and the folders of its run whose place in walk order is still to come
/// (a folder sorts as its name followed by `/`), normally none or one.
///
/// As a tree (a tar's or zip's members), folders that appear only in paths are added, and a path listed twice keeps one
/// entry: a folder over a file (so what lies below it is still read), else the first; the others are reported as
/// problems (a repeated folder is harmless and is not).
final class MemberTable: @unchecked Sendable {
    // Immutable after `finish`; read from several threads.

    /// Bytes of members sorted in memory before they are written as one sorted run.
    static let runBytes = 16 << 20
    static let sampleEvery = 64
    private static let headSize = 33

    private static let kinds: [PackageEntry.Kind] = [
        .file, .directory, .other("harde koppeling"), .other("symbolische koppeling"), .other("apparaatbestand"),
        .other("named pipe (FIFO)"), .other("speciaal bestand"),
    ]

    private var pending: [UInt8] = []
    private var starts: [Int] = []
    private var runs: [(start: Int64, end: Int64)] = []
    private let runFile = ScratchFile()
    private var sequence: Int64 = 0
    private var lastParent: [UInt8] = []
    /// A tar's or zip's members (implied folders added, duplicates dropped), else one folder's plain listing.
    private let tree: Bool

    private let sorted = ScratchFile()
    /// Folder key and file offset of every ``sampleEvery``-th record of `sorted`.
    private var samples: [(key: [UInt8], offset: Int64)] = []

    /// Bytes sorted in memory per run (``runBytes``; lowered by tests to merge many runs).
    private let runLimit: Int

    init(tree: Bool = true, runBytes: Int = MemberTable.runBytes) {
        self.tree = tree
        self.runLimit = runBytes
    }

    /// Adds a member in container order; `path` as ``PackageStores/memberPath(_:)`` gives it.
    func append(path: String, kind: PackageEntry.Kind, size: Int64 = 0, offset: Int64 = 0) throws {
        let code: UInt8
        switch kind {
        case .file: code = 0
        case .directory: code = 1
        case .other(let what): code = UInt8(Self.kinds.firstIndex(of: .other(what)) ?? 6)
        }
        let bytes = Array(path.utf8)
        let parent = bytes.lastIndex(of: 0x2F) ?? 0
        try add(bytes[...], parent: parent, kind: code, size: size, offset: offset, sequence: sequence)
        sequence += 1
        guard tree else { return }
        // The folders above it that appear only in paths: added as folders after every member (a real folder with the
        // same path is kept over them); those of the previous member's folder were added already.
        var folder = parent
        while folder > 0 {
            if lastParent.count >= folder && lastParent[..<folder].elementsEqual(bytes[..<folder])
                && (lastParent.count == folder || lastParent[folder] == 0x2F)
            {
                break
            }
            let grand = bytes[..<folder].lastIndex(of: 0x2F) ?? 0
            try add(bytes[..<folder], parent: grand, kind: 1, size: 0, offset: 0, sequence: .max)
            folder = grand
        }
        lastParent = Array(bytes[..<parent])
    }

    private func add(_ path: ArraySlice<UInt8>, parent: Int, kind: UInt8, size: Int64, offset: Int64, sequence: Int64) throws {
        starts.append(pending.count)
        Self.encode(&pending, sequence: sequence, size: size, offset: offset, parent: parent, kind: kind, path: path)
        if pending.count >= runLimit { try writeRun() }
    }

    private static func encode(
        _ out: inout [UInt8], sequence: Int64, size: Int64, offset: Int64, parent: Int, kind: UInt8, path: ArraySlice<UInt8>
    ) {
        withUnsafeBytes(of: sequence.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: size.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: offset.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(path.count).littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(parent).littleEndian) { out.append(contentsOf: $0) }
        out.append(kind)
        out.append(contentsOf: path)
    }

    /// Sorts the members in memory and writes them as one run.
    private func writeRun() throws {
        guard !starts.isEmpty else { return }
        pending.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            starts.sort { Self.compare(base + $0, base + $1) < 0 }
        }
        let start = runFile.count
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        try pending.withUnsafeBytes { raw in
            for s in starts {
                let length = Self.headSize + Int(Self.u32(raw.baseAddress! + s, 24))
                out.append(contentsOf: raw[s..<(s + length)])
                if out.count >= 1 << 20 {
                    try out.withUnsafeBytes { try runFile.append($0) }
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        try out.withUnsafeBytes { try runFile.append($0) }
        runs.append((start, runFile.count))
        pending.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
    }

    /// Completes the tree (implied folders, duplicates) and sorts it; `container` names the tar or zip in problems.
    func finish(container: String, problems: inout [MemberProblem]) throws {
        try writeRun()
        pending = []
        starts = []
        var readers = try runs.map { run -> RecordReader in
            var reader = RecordReader(file: runFile, from: run.start, to: run.end)
            _ = try reader.advance()
            return reader
        }
        // A binary heap of the readers that have a record, by that record.
        var heap = readers.indices.filter { readers[$0].current != nil }
        func less(_ a: Int, _ b: Int) -> Bool {
            readers[a].current!.withUnsafeBytes { x in
                readers[b].current!.withUnsafeBytes { y in Self.compare(x.baseAddress!, y.baseAddress!) < 0 }
            }
        }
        func siftDown(_ i: Int) {
            var i = i
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && less(heap[l], heap[m]) { m = l }
                if r < heap.count && less(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }

        var out: [UInt8] = []
        var written = 0
        var group: [[UInt8]] = []
        func write(_ kept: [UInt8]) throws {
            if written % Self.sampleEvery == 0 {
                samples.append((Array(Self.path(kept).prefix(Self.folderKeyLength(kept))), sorted.count + Int64(out.count)))
            }
            written += 1
            out.append(contentsOf: kept)
            if out.count >= 1 << 20 {
                try out.withUnsafeBytes { try sorted.append($0) }
                out.removeAll(keepingCapacity: true)
            }
        }
        func flushGroup() throws {
            guard var kept = group.first else { return }
            if !tree && group.count > 1 {
                // A plain listing keeps every entry.
                let last = group.removeLast()
                for record in group { try write(record) }
                kept = last
            }
            for other in group.dropFirst() where tree {
                let first = kept
                let firstIsFolder = Self.kind(first) == 1, otherIsFolder = Self.kind(other) == 1
                if firstIsFolder && otherIsFolder { continue }
                let dropped: [UInt8]
                if otherIsFolder {
                    dropped = kept
                    kept = other
                } else {
                    dropped = other
                }
                let reason = firstIsFolder || otherIsFolder
                    ? "er is ook een map met deze naam; alleen de map is gecontroleerd"
                    : "de naam komt meer dan eens voor in de \(container); alleen het eerste exemplaar is gecontroleerd"
                problems.append(MemberProblem(name: String(decoding: Self.path(dropped), as: UTF8.self), reason: reason))
            }
            group.removeAll(keepingCapacity: true)
            try write(kept)
        }
        while let top = heap.first {
            let record = readers[top].current!
            if let last = group.last, !Self.path(last).elementsEqual(Self.path(record)) { try flushGroup() }
            group.append(record)
            if try readers[top].advance() == nil {
                heap.swapAt(0, heap.count - 1)
                heap.removeLast()
            }
            if !heap.isEmpty { siftDown(0) }
        }
        try flushGroup()
        try out.withUnsafeBytes { try sorted.append($0) }
        readers = []
        runs = []
    }

    /// The direct children of `folder` in walk order.
    func children(of folder: String) throws -> [PackageEntry] {
        var cursor = try self.cursor(folder)
        var list: [PackageEntry] = []
        while let entry = try cursor.next() { list.append(entry) }
        return list
    }

    /// Reads the children of `folder` one by one, in walk order.
    func cursor(_ folder: String) throws -> Cursor {
        let key = folder.isEmpty ? [] : Array(folder.utf8) + [0x2F]
        // The last sample before the folder's run.
        var low = 0, high = samples.count
        while low < high {
            let mid = (low + high) / 2
            if samples[mid].key.lexicographicallyPrecedes(key) { low = mid + 1 } else { high = mid }
        }
        let start = low == 0 ? 0 : samples[low - 1].offset
        return Cursor(reader: RecordReader(file: sorted, from: start, to: sorted.count), key: key)
    }

    /// The children of one folder in walk order (see ``PackageStores/walkSort(_:)``). The run holds them by name;
    /// a folder waits until the names that sort between its name and its name followed by `/` have come.
    struct Cursor {
        fileprivate var reader: RecordReader
        let key: [UInt8]
        private var waiting: [(key: [UInt8], entry: PackageEntry)] = []
        private var incoming: (key: [UInt8], entry: PackageEntry)?
        private var ended = false

        fileprivate init(reader: RecordReader, key: [UInt8]) {
            self.reader = reader
            self.key = key
        }

        mutating func next() throws -> PackageEntry? {
            while true {
                if incoming == nil && !ended { incoming = try read() }
                if let first = waiting.first, incoming.map({ first.key.lexicographicallyPrecedes($0.key) }) ?? true {
                    return waiting.removeFirst().entry
                }
                guard let item = incoming else { return nil }
                incoming = nil
                guard item.entry.kind == .directory else { return item.entry }
                let at = waiting.firstIndex { item.key.lexicographicallyPrecedes($0.key) } ?? waiting.count
                waiting.insert(item, at: at)
            }
        }

        /// The next record of the folder's run, with its walk key.
        private mutating func read() throws -> (key: [UInt8], entry: PackageEntry)? {
            while let record = try reader.advance() {
                let folderKey = MemberTable.path(record).prefix(MemberTable.folderKeyLength(record))
                if folderKey.lexicographicallyPrecedes(key) { continue }
                guard folderKey.elementsEqual(key) else { break }
                let path = MemberTable.path(record)
                let kind = MemberTable.kind(record)
                let entry = PackageEntry(path: String(decoding: path, as: UTF8.self), kind: MemberTable.kinds[Int(kind)],
                    size: MemberTable.i64(record, 8), offset: MemberTable.i64(record, 16))
                return (Array(path) + (kind == 1 ? [0x2F] : []), entry)
            }
            ended = true
            return nil
        }
    }

    // MARK: - Records

    private static func u32(_ p: UnsafeRawPointer, _ at: Int) -> UInt32 {
        UInt32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    private static func i64(_ r: [UInt8], _ at: Int) -> Int64 {
        r.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: Int64.self)) }
    }

    private static func kind(_ r: [UInt8]) -> UInt8 { r[32] }

    private static func path(_ r: [UInt8]) -> ArraySlice<UInt8> { r[headSize...] }

    /// Length of the sort key's folder part: the parent's path and its `/` (0 in the root).
    private static func folderKeyLength(_ r: [UInt8]) -> Int {
        let parent = r.withUnsafeBytes { Int(u32($0.baseAddress!, 28)) }
        return parent > 0 ? parent + 1 : 0
    }

    /// Order of two records: folder key, then name (bytes, then length), then container order.
    private static func compare(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> Int {
        let aLength = Int(u32(a, 24)), bLength = Int(u32(b, 24))
        let aParent = Int(u32(a, 28)), bParent = Int(u32(b, 28))
        let aKey = aParent > 0 ? aParent + 1 : 0, bKey = bParent > 0 ? bParent + 1 : 0
        let pa = a + headSize, pb = b + headSize
        var n = min(aKey, bKey)
        if n > 0 {
            let c = memcmp(pa, pb, n)
            if c != 0 { return Int(c) }
        }
        if aKey != bKey { return aKey - bKey }
        n = min(aLength, bLength) - aKey
        if n > 0 {
            let c = memcmp(pa + aKey, pb + aKey, n)
            if c != 0 { return Int(c) }
        }
        if aLength != bLength { return aLength - bLength }
        let x = Int64(littleEndian: a.loadUnaligned(as: Int64.self)), y = Int64(littleEndian: b.loadUnaligned(as: Int64.self))
        return x < y ? -1 : x > y ? 1 : 0
    }

    /// Reads records one by one from a range of a ``ScratchFile``, 64 KiB at a time.
    fileprivate struct RecordReader {
        let file: ScratchFile
        var offset: Int64
        let end: Int64
        var buffer: [UInt8] = []
        var position = 0
        private(set) var current: [UInt8]?

        init(file: ScratchFile, from start: Int64, to end: Int64) {
            self.file = file
            self.offset = start
            self.end = end
        }

        /// Makes `count` bytes available at `position`; false at the end of the range.
        private mutating func fill(_ count: Int) throws -> Bool {
            if buffer.count - position >= count { return true }
            buffer.removeFirst(position)
            position = 0
            let want = Int(min(end - offset, Int64(max(count - buffer.count, 1 << 16))))
            guard want > 0 else { return false }
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: want))
            let n = try buffer.withUnsafeMutableBytes { try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: $0[old...])) }
            guard n == want else { throw StoreError("the temporary file of the verifier could not be read back") }
            offset += Int64(n)
            return buffer.count >= count
        }

        /// Moves to the next record and returns it (nil at the end).
        @discardableResult
        mutating func advance() throws -> [UInt8]? {
            current = nil
            guard try fill(MemberTable.headSize) else { return nil }
            let length = buffer.withUnsafeBytes { MemberTable.headSize + Int(MemberTable.u32($0.baseAddress! + position, 24)) }
            guard try fill(length) else { throw StoreError("the temporary file of the verifier is damaged") }
            current = Array(buffer[position..<(position + length)])
            position += length
            return current
        }
    }
}
