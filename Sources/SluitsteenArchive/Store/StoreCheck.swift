// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenHashing
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// `sluitsteen store verify`: every pack entry against its SHA-256, and the packs against the catalog.
///
/// Walks every pack file entry by entry (each carries its length and SHA-256, see ``PackFormat``), recomputes the
/// SHA-256 of every entry's bytes and compares the packs with the catalog's map and with what the catalog lists as
/// stored: a message (or chat export or chat media file) the catalog lists as stored whose bytes are not in a pack
/// where the map says, or no longer match, is a loss to restore from a backup; a map entry no stored message, chat
/// export or chat media file names (left by a kill or a full disk between storing and committing, or by an
/// interrupted withdrawal, or listed again by the lock holder's recovery because the map had lost it) is an orphan; an
/// entry in a pack that the map does not list is a leftover (the recovery lists every whole unlisted entry again, so
/// what remains unlisted is a second copy of bytes the map places elsewhere, or damage). With `repair`,
/// orphans and leftovers are removed (their packs are rewritten without them) — only while holding the store lock, so
/// no running ingest can be writing them. Missing or damaged messages are never "repaired": they are reported.
public struct StoreCheck: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// What a check found.
    public struct Report: Sendable, Equatable {
        /// Pack entries whose SHA-256 was recomputed, and their bytes.
        public var checked = 0
        public var bytes: Int64 = 0
        /// Pack files walked.
        public var packs = 0
        /// Messages the catalog lists as stored whose bytes are not where the map says.
        public var missing: [String] = []
        /// Entries whose bytes no longer match their SHA-256, or packs whose entries cannot be walked.
        public var damaged: [String] = []
        /// Stored bytes no stored message names (removed with `repair`).
        public var orphans: [String] = []
        /// Other entries in the store folder that are not pack files.
        public var strays: [String] = []
        /// Whole entries in packs that the catalog's map does not list and no stored message needs (removed with
        /// `repair`).
        public var leftovers = 0
        /// Whole entries the map does not list that hold the bytes of a message the catalog lists as stored (the map
        /// rebuilt from the pack: `repair` lists them again; until then the message counts as missing).
        public var relisted: [String] = []
        /// Entries the map does not list whose bytes do not match the SHA-256 in their header (`000003.pack at 1234`):
        /// no message the catalog lists is in them, but one reported missing may have been. Left in place; reported.
        public var unlistedDamaged: [String] = []
        /// Whether orphans and leftovers were removed.
        public var repaired = false

        /// True when every message the catalog lists is present and whole.
        public var isSound: Bool { missing.isEmpty && damaged.isEmpty }
    }

    /// Checks the store; with `repair`, removes orphans and leftovers. Holds the store lock throughout.
    public func run(repair: Bool, progress: (Int) -> Void = { _ in }) throws(ArchiveError) -> Report {
        try workspace.withStoreLock(for: repair ? "store verify --repair" : "store verify", now: workspace.clock.now(),
                                    failure: { $0 }) { lock throws(ArchiveError) in
            var report = Report()
            let store = workspace.store
            // Messages, and the chat export files and media files (which no message names).
            let (stored, map) = try workspace.catalog.read(throwing: ArchiveError.self) { db in
                (try MessageRecord.storedSHA256s(db).union(ChatConversationRecord.storedExportSHA256s(db))
                    .union(ChatMediaRecord.storedSHA256s(db)), try PackEntryRecord.all(db))
            }
            var listed: [Int: [Int64: PackEntryRecord]] = [:]
            for e in map { listed[e.pack, default: [:]][e.offset] = e }
            let fm = FileManager.default
            let names = (try? fm.contentsOfDirectory(atPath: store.root.path)) ?? []
            for name in names.sorted() where name != ContentStore.packsName { report.strays.append(name) }
            let packsPath = store.root.appendingPathComponent(ContentStore.packsName).path
            for name in ((try? fm.contentsOfDirectory(atPath: packsPath)) ?? []).sorted()
            where PackFormat.number(name) == nil && name != ContentStore.rewriteName {
                report.strays.append(ContentStore.packsName + "/" + name)
            }
            var whole = Set<String>()
            var unlisted: [(pack: Int, entry: PackEntryRecord)] = []
            for number in try store.packNumbers() {
                report.packs += 1
                let walk = try Self.walk(pack: store.path(ofPack: number), number: number, listed: listed[number] ?? [:]) {
                    report.checked += 1
                    if report.checked % 1000 == 0 { progress(report.checked) }
                }
                report.bytes += walk.bytes
                whole.formUnion(walk.whole)
                report.damaged += walk.damaged
                report.unlistedDamaged += walk.unlistedDamaged.map { "\(PackFormat.name(number)) at \($0)" }
                unlisted += walk.unlisted.map { (number, $0) }
            }
            let mapped = Set(map.map(\.sha256))
            // An unlisted whole entry holding bytes a stored message needs, and the map does not place elsewhere, is
            // listed again by a repair; every other unlisted entry is a leftover.
            var relist: [PackEntryRecord] = []
            var packsWithLeftovers = Set<Int>()
            for u in unlisted {
                if stored.contains(u.entry.sha256), !mapped.contains(u.entry.sha256), !relist.contains(where: { $0.sha256 == u.entry.sha256 }) {
                    relist.append(u.entry)
                } else {
                    report.leftovers += 1
                    packsWithLeftovers.insert(u.pack)
                }
            }
            report.relisted = relist.map(\.sha256).sorted()
            report.missing = stored.subtracting(whole).subtracting(report.damaged).sorted()
            report.orphans = mapped.subtracting(stored).sorted()
            if repair {
                if !relist.isEmpty {
                    try workspace.catalog.write(throwing: ArchiveError.self) { db in try PackEntryRecord.record(db, relist) }
                    report.missing = Array(Set(report.missing).subtracting(report.relisted)).sorted()
                }
                for sha in report.orphans { try store.remove(sha) }
                for number in packsWithLeftovers.sorted() { try store.rewrite(pack: number) }
                try store.flush()
                try store.removeLeftovers(holding: lock)
                report.repaired = true
            }
            return report
        }
    }

    /// What walking one pack found.
    struct Walk {
        var whole: Set<String> = []
        var damaged: [String] = []
        /// Whole entries (their bytes match their header) the map does not list.
        var unlisted: [PackEntryRecord] = []
        /// Offsets of entries the map does not list whose bytes do not match their header.
        var unlistedDamaged: [Int64] = []
        var bytes: Int64 = 0
    }

    /// Walks the entries of the pack at `path`, recomputing each one's SHA-256 and comparing the entries with what the
    /// map lists in this pack (by offset). An entry the map lists is whole when its bytes match both the map and its
    /// header; a header that cannot be read ends the walk, and every listed entry not reached is damaged.
    static func walk(pack path: String, number: Int, listed: [Int64: PackEntryRecord], entry: () -> Void) throws(ArchiveError) -> Walk {
        var walk = Walk()
        let fd: FileDescriptor
        do throws(Errno) { fd = try .open(path, O_RDONLY | O_CLOEXEC) } catch { throw .cannotRead(path, reason: error.description) }
        defer { try? fd.close() }
        let size: Int64
        do { size = Int64(try fd.status().st_size) } catch { throw .cannotRead(path, reason: error.description) }
        var header = [UInt8](repeating: 0, count: Int(PackFormat.fileHeaderSize))
        var reached = Set<Int64>()
        func readHeader(_ buffer: inout [UInt8], at offset: Int64) -> Bool {
            let n = buffer.withUnsafeMutableBytes { b in (try? fd.readFully(into: b, at: offset)) ?? 0 }
            return n == buffer.count
        }
        if readHeader(&header, at: 0), PackFormat.isFileHeader(header) {
            var at = PackFormat.fileHeaderSize
            var entryHeader = [UInt8](repeating: 0, count: Int(PackFormat.entryHeaderSize))
            while at < size {
                guard readHeader(&entryHeader, at: at), let h = PackFormat.parseEntryHeader(entryHeader),
                      at + PackFormat.entryHeaderSize + h.length <= size else { break }
                let dataAt = at + PackFormat.entryHeaderSize
                let digest = try ContentStore.digest(of: FileRange(path: path, offset: dataAt, length: h.length))
                entry()
                walk.bytes += h.length
                if let row = listed[dataAt] {
                    reached.insert(dataAt)
                    if row.sha256 == h.sha256, row.length == h.length, digest == h.sha256 {
                        walk.whole.insert(row.sha256)
                    } else {
                        walk.damaged.append(row.sha256)
                    }
                } else if digest == h.sha256 {
                    walk.unlisted.append(PackEntryRecord(sha256: h.sha256, pack: number, offset: dataAt, length: h.length))
                } else {
                    walk.unlistedDamaged.append(dataAt)
                }
                at = dataAt + h.length
            }
        }
        for (offset, row) in listed where !reached.contains(offset) { walk.damaged.append(row.sha256) }
        walk.damaged.sort()
        return walk
    }
}
