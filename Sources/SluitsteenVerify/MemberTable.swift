// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// The members of a tar or zip as a package tree, kept compact: every path in one byte buffer and one fixed record
/// per member (40 bytes), sorted by parent folder and then in walk order, so that a folder's children are one run
/// found by binary search. About 40 bytes plus the path per member, against some 350 for a dictionary of
/// ``PackageEntry`` lists (a 100,000-message package has 400,000 members); strings are made only for the folder
/// being listed.
///
/// Same tree as ``PackageStores/treeIndex(_:container:problems:)``: folders that appear only in paths are added, and
/// a path listed twice keeps one entry (a folder over a file, else the first), the others reported as problems.
final class MemberTable: @unchecked Sendable {
    // Immutable after `finish`; read from several threads.
    private struct Record {
        var start: Int
        var length: UInt32
        /// Length of the parent folder's path (0 for a member of the root).
        var parentLength: UInt32
        var size: Int64
        var offset: Int64
        var kind: UInt8
    }

    private static let kinds: [PackageEntry.Kind] = [
        .file, .directory, .other("harde koppeling"), .other("symbolische koppeling"), .other("apparaatbestand"),
        .other("named pipe (FIFO)"), .other("speciaal bestand"),
    ]

    private var names: [UInt8] = []
    private var records: [Record] = []

    /// Adds a member in container order; `path` as ``PackageStores/memberPath(_:)`` gives it.
    func append(path: String, kind: PackageEntry.Kind, size: Int64 = 0, offset: Int64 = 0) {
        let code: UInt8
        switch kind {
        case .file: code = 0
        case .directory: code = 1
        case .other(let what): code = UInt8(Self.kinds.firstIndex(of: .other(what)) ?? 6)
        }
        let start = names.count
        names.append(contentsOf: path.utf8)
        let bytes = names[start...]
        let parent = bytes.lastIndex(of: 0x2F).map { $0 - start } ?? 0
        records.append(Record(start: start, length: UInt32(bytes.count), parentLength: UInt32(parent), size: size,
            offset: offset, kind: code))
    }

    /// Completes the tree (implied folders, duplicates) and sorts it; `container` names the tar or zip in problems.
    func finish(container: String, problems: inout [MemberProblem]) {
        addImpliedFolders()
        dropDuplicates(container: container, problems: &problems)
        names.withUnsafeBufferPointer { n in
            // By parent folder, then as walkSort: the name, with `/` after a folder's.
            records.sort { a, b in
                let order = Self.compare(n, a.start, Int(a.parentLength), n, b.start, Int(b.parentLength))
                if order != 0 { return order < 0 }
                return Self.compareKeys(n, a, b) < 0
            }
        }
        // Drops the spare capacity of appending (the records only: a copy of the names would double the peak).
        records = records.map { $0 }
    }

    /// The direct children of `folder` in walk order.
    func children(of folder: String) -> [PackageEntry] {
        var key = Array(folder.utf8)
        return names.withUnsafeBufferPointer { n in
            key.withUnsafeMutableBufferPointer { k -> [PackageEntry] in
                let count = k.count
                // The first record whose parent is not below `folder`.
                var low = 0, high = records.count
                while low < high {
                    let mid = (low + high) / 2
                    let r = records[mid]
                    if Self.compare(n, r.start, Int(r.parentLength), UnsafeBufferPointer(k), 0, count) < 0 { low = mid + 1 } else { high = mid }
                }
                var list: [PackageEntry] = []
                while low < records.count {
                    let r = records[low]
                    guard Self.compare(n, r.start, Int(r.parentLength), UnsafeBufferPointer(k), 0, count) == 0 else { break }
                    let path = String(decoding: UnsafeBufferPointer(rebasing: n[r.start..<(r.start + Int(r.length))]), as: UTF8.self)
                    list.append(PackageEntry(path: path, kind: Self.kinds[Int(r.kind)], size: r.size, offset: r.offset))
                    low += 1
                }
                return list
            }
        }
    }

    // MARK: - Building

    private func samePath(_ a: Record, _ b: Record) -> Bool {
        a.length == b.length && names.withUnsafeBufferPointer { Self.compare($0, a.start, Int(a.length), $0, b.start, Int(b.length)) == 0 }
    }

    private func path(_ r: Record) -> Substring {
        Substring(decoding: names[r.start..<(r.start + Int(r.length))], as: UTF8.self)
    }

    /// Adds a folder record for every parent path that has no folder member.
    private func addImpliedFolders() {
        var folders = Set<String>()
        for r in records where r.kind == 1 { folders.insert(String(path(r))) }
        let count = records.count
        for i in 0..<count {
            var r = records[i]
            while r.parentLength > 0 {
                let parent = String(decoding: names[r.start..<(r.start + Int(r.parentLength))], as: UTF8.self)
                guard folders.insert(parent).inserted else { break }
                let start = r.start
                let bytes = names[start..<(start + Int(r.parentLength))]
                let grand = bytes.lastIndex(of: 0x2F).map { $0 - start } ?? 0
                r = Record(start: start, length: r.parentLength, parentLength: UInt32(grand), size: 0, offset: 0, kind: 1)
                records.append(r)
            }
        }
    }

    /// Keeps one record per path: a folder over a file, else the first in container order.
    private func dropDuplicates(container: String, problems: inout [MemberProblem]) {
        var order = Array(records.indices)
        names.withUnsafeBufferPointer { n in
            order.sort { a, b in
                let ra = records[a], rb = records[b]
                let c = Self.compare(n, ra.start, Int(ra.length), n, rb.start, Int(rb.length))
                return c != 0 ? c < 0 : a < b
            }
        }
        var keep = [Bool](repeating: true, count: records.count)
        var i = 0
        while i < order.count {
            var kept = order[i]
            var j = i + 1
            while j < order.count, samePath(records[order[j]], records[kept]) {
                let other = order[j]
                let first = records[kept], entry = records[other]
                j += 1
                if first.kind == 1 && entry.kind == 1 { keep[other] = false; continue }
                let dropped: Int
                if entry.kind == 1 { dropped = kept; kept = other } else { dropped = other }
                keep[dropped] = false
                let reason = first.kind == 1 || entry.kind == 1
                    ? "er is ook een map met deze naam; alleen de map is gecontroleerd"
                    : "de naam komt meer dan eens voor in de \(container); alleen het eerste exemplaar is gecontroleerd"
                problems.append(MemberProblem(name: String(path(records[dropped])), reason: reason))
            }
            i = j
        }
        var w = 0
        for r in records.indices where keep[r] {
            records[w] = records[r]
            w += 1
        }
        records.removeLast(records.count - w)
    }

    /// Byte order of two slices (memcmp, then length).
    private static func compare(
        _ a: UnsafeBufferPointer<UInt8>, _ aStart: Int, _ aLength: Int, _ b: UnsafeBufferPointer<UInt8>, _ bStart: Int, _ bLength: Int
    ) -> Int {
        let n = min(aLength, bLength)
        if n > 0 {
            let c = memcmp(a.baseAddress! + aStart, b.baseAddress! + bStart, n)
            if c != 0 { return Int(c) }
        }
        return aLength - bLength
    }

    /// walkSort's order of two siblings: the path, with `/` appended to a folder's.
    private static func compareKeys(_ n: UnsafeBufferPointer<UInt8>, _ a: Record, _ b: Record) -> Int {
        func byte(_ r: Record, _ i: Int) -> Int {
            if i < Int(r.length) { return Int(n[r.start + i]) }
            return i == Int(r.length) && r.kind == 1 ? 0x2F : -1
        }
        var i = Int(min(a.parentLength, b.parentLength))
        while true {
            let x = byte(a, i), y = byte(b, i)
            if x != y { return x - y }
            if x < 0 { return 0 }
            i += 1
        }
    }
}
