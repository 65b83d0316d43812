// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
import ZIPFoundation

/// Why a zip as a whole cannot be trusted (the package is refused: exit 2). Different unzip tools would unpack
/// different content from such a zip, or unpacking it would take far more than the zip itself.
enum ZipError: Error, CustomStringConvertible {
    case noEndRecord
    case multiDisk
    case centralDirectoryDamaged(String)
    case countMismatch(declared: Int64, found: Int64)
    case localHeaderMissing(String)
    case nameMismatch(central: String, local: String)
    case headerMismatch(String, field: String)
    case descriptorMismatch(String)
    case dataOutside(String)
    case overlap(String, String)
    case bomb(declared: Int64, fileSize: Int64)

    var description: String {
        let damaged = "the zip is damaged or forged"
        switch self {
        case .noEndRecord: return "\(damaged): it has no end-of-central-directory record that ends the file"
        case .multiDisk: return "it is one part of a multi-part zip; only single-part zips are read"
        case .centralDirectoryDamaged(let what): return "\(damaged): its central directory \(what)"
        case .countMismatch(let declared, let found):
            return "\(damaged): the central directory declares \(declared) entries but holds \(found)"
        case .localHeaderMissing(let name): return "\(damaged): the local header of \(name) is missing"
        case .nameMismatch(let central, let local):
            return "\(damaged): the entry listed as \(central) in the central directory is named \(local) in its "
                + "local header, so different unzip tools would unpack different files"
        case .headerMismatch(let name, let field):
            return "\(damaged): the \(field) of \(name) differs between its local header and the central directory"
        case .descriptorMismatch(let name):
            return "\(damaged): the data descriptor of \(name) gives other sizes or another CRC than the central directory"
        case .dataOutside(let name): return "\(damaged): the data of \(name) runs into the central directory"
        case .overlap(let a, let b):
            return "\(damaged): the data of \(a) and \(b) overlap (a way to build a zip bomb)"
        case .bomb(let declared, let fileSize):
            return "its entries would unpack to \(declared) bytes, more than \(ZipStore.maxRatio) times the "
                + "\(fileSize) bytes of the zip (a zip bomb); nothing was unpacked"
        }
    }
}

/// Why one zip member cannot be read; becomes a finding for that file (in Dutch, like all findings).
enum ZipMemberError: Error, CustomStringConvertible {
    case encrypted
    case unsupportedMethod(UInt16)
    case ratio(declared: Int64, compressed: Int64)
    case largerThanDeclared(Int64)
    case smallerThanDeclared(declared: Int64, actual: Int64)
    case crc
    case damaged
    case io(String)

    var description: String {
        switch self {
        case .encrypted: return "het bestand is versleuteld in de zip"
        case .unsupportedMethod(let m): return "compressiemethode \(m) wordt niet ondersteund (wel: 0 en 8, deflate)"
        case .ratio(let declared, let compressed):
            return "het zou uitpakken tot \(declared) bytes uit \(compressed) bytes, meer dan \(ZipStore.maxRatio) keer "
                + "zo groot (een zipbom); het is niet uitgepakt"
        case .largerThanDeclared(let declared):
            return "het pakt uit tot meer dan de \(declared) bytes die de zip opgeeft; het uitpakken is daar gestopt"
        case .smallerThanDeclared(let declared, let actual):
            return "het pakt uit tot \(actual) bytes, niet de \(declared) bytes die de zip opgeeft"
        case .crc: return "de CRC-32 klopt niet met de zip: de gegevens zijn beschadigd"
        case .damaged: return "de gecomprimeerde gegevens zijn beschadigd of houden te vroeg op"
        case .io(let reason): return reason
        }
    }
}

/// A zip package, read with its own small parser of the central directory and local headers (PKWARE APPNOTE
/// 6.3, with ZIP64) so that nothing the zip declares is trusted unchecked: every local header must agree with the
/// central directory (names, method, sizes, CRC, data descriptor), no two entries may share bytes, and the
/// declared total must stay within ``maxRatio`` times the file. Members are inflated through ZIPFoundation's
/// streaming zlib decoder, stopped at the declared size; memory per member is one ``Member`` record and its entry.
struct ZipStore: PackageStore {
    /// Largest accepted ratio of unpacked to packed bytes, per member (above ``ratioGrace``) and for the zip.
    static let maxRatio: Int64 = 200
    /// Members up to this size may compress better than ``maxRatio`` (small, repetitive text does).
    static let ratioGrace: Int64 = 1 << 20

    /// What is needed to read one member.
    struct Member: Sendable {
        var dataOffset: Int64
        var compressed: Int64
        var size: Int64
        var crc: UInt32
        var method: UInt16
        var flags: UInt16
    }

    let url: URL
    /// The zip's entries by parent folder, sorted on disk; a file's `offset` is its index in ``members``.
    let table: MemberTable
    /// Every file's ``Member``, in a ``ScratchFile`` (a fixed record each), so that memory does not grow with them.
    let members: ScratchFile
    let problems: [MemberProblem]
    var kind: String { "zip" }

    func children(of folder: String) throws -> [PackageEntry] { try table.children(of: folder) }
    func listing(of folder: String) throws -> FolderListing { try FolderListing(table: table, folder: folder) }

    func makeReader() throws -> any EntryReader {
        Reader(descriptor: Descriptor(try InputFile.openRegular(url.path)), members: members)
    }

    init(url: URL) throws {
        self.url = url
        let file = Descriptor(try InputFile.openRegular(url.path))
        var info = stat()
        guard fstat(file.fd, &info) == 0 else { throw StoreError(Errno.currentText) }
        let fileSize = Int64(info.st_size)
        let end = try Self.endRecord(file.fd, fileSize: fileSize)

        let list = MemberTable()
        let members = ScratchFile()
        var memberCount = 0
        var pendingMembers: [Member] = []
        func flushMembers() throws {
            try pendingMembers.withUnsafeBytes { try members.append($0) }
            pendingMembers.removeAll(keepingCapacity: true)
        }
        var problems: [MemberProblem] = []
        // Where each entry's bytes lie, and where its central record is (to name it in a message).
        // Checked as they come when in the order of their bytes (as a zip is written); kept in a scratch file for a
        // sort only when not.
        typealias Span = (start: Int64, end: Int64, record: Int64)
        let spanFile = ScratchFile()
        var pendingSpans: [Span] = []
        var spanCount = 0
        var previous: Span?
        var inOrder = true
        var overlap: (Span, Span)?
        func flushSpans() throws {
            try pendingSpans.withUnsafeBytes { try spanFile.append($0) }
            pendingSpans.removeAll(keepingCapacity: true)
        }
        var declaredTotal: Int64 = 0
        var directory = SequentialReader(fd: file.fd, start: end.directoryOffset, length: end.directorySize)
        var found: Int64 = 0
        while !directory.atEnd {
            let recordOffset = directory.offset
            let record = try directory.take(46)
            guard record.u32(0) == 0x0201_4B50 else { throw ZipError.centralDirectoryDamaged("has a bad record") }
            let nameBytes = try directory.take(Int(record.u16(28)))
            let extra = try directory.take(Int(record.u16(30)))
            _ = try directory.take(Int(record.u16(32)))  // comment
            found += 1
            var compressed = Int64(record.u32(20)), size = Int64(record.u32(24)), local = Int64(record.u32(42))
            if record.u16(34) != 0 && record.u16(34) != 0xFFFF { throw ZipError.multiDisk }
            let zip64 = compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF || local == 0xFFFF_FFFF
            if zip64 {
                guard let z = Self.zip64Field(extra) else {
                    throw ZipError.centralDirectoryDamaged("lacks the ZIP64 sizes of an entry")
                }
                var at = 0
                func next() throws -> Int64 {
                    guard at + 8 <= z.count else { throw ZipError.centralDirectoryDamaged("has a short ZIP64 field") }
                    defer { at += 8 }
                    return Int64(bitPattern: z.u64(at))
                }
                if size == 0xFFFF_FFFF { size = try next() }
                if compressed == 0xFFFF_FFFF { compressed = try next() }
                if local == 0xFFFF_FFFF { local = try next() }
            }
            let display = String(decoding: nameBytes, as: UTF8.self)
            guard compressed >= 0, size >= 0, local >= 0, local < end.directoryOffset else {
                throw ZipError.centralDirectoryDamaged("gives impossible sizes or offsets for \(display)")
            }
            let flags = record.u16(8), method = record.u16(10), crc = record.u32(16)
            let header = try Self.localHeader(file.fd, at: local, name: nameBytes, display: display,
                central: (flags, method, crc, compressed, size), directoryOffset: end.directoryOffset)
            let span: Span = (local, header.end, recordOffset)
            if let previous {
                if span.start < previous.start { inOrder = false }
                if inOrder && overlap == nil && span.start < previous.end { overlap = (previous, span) }
            }
            previous = span
            pendingSpans.append(span)
            spanCount += 1
            if pendingSpans.count >= 4096 { try flushSpans() }

            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                problems.append(MemberProblem(name: display, reason: "de naam is geen geldige UTF-8"))
                continue
            }
            let path: String
            switch PackageStores.memberPath(name) {
            case .root: continue
            case .refused(let reason): problems.append(MemberProblem(name: name, reason: reason)); continue
            case .path(let p): path = p
            }
            switch Self.kind(name: name, madeBy: record.u16(4), attributes: record.u32(38)) {
            case .file:
                let (sum, overflow) = declaredTotal.addingReportingOverflow(size)
                declaredTotal = overflow ? .max : sum
                try list.append(path: path, kind: .file, size: size, offset: Int64(memberCount))
                memberCount += 1
                if pendingMembers.count >= 4096 { try flushMembers() }
                pendingMembers.append(Member(dataOffset: header.dataOffset, compressed: compressed, size: size, crc: crc,
                    method: method, flags: flags))
            case let kind:
                try list.append(path: path, kind: kind)
            }
        }
        guard found == end.entries else { throw ZipError.countMismatch(declared: end.entries, found: found) }

        // No two entries may share bytes: overlapping entries are how a small zip unpacks to terabytes.
        try flushSpans()
        if !inOrder {
            var spans = [Span](repeating: (0, 0, 0), count: spanCount)
            let bytes = try spans.withUnsafeMutableBytes { try spanFile.read(at: 0, into: $0) }
            guard bytes == spanCount * MemoryLayout<Span>.stride else { throw StoreError("the temporary file of the verifier is damaged") }
            spans.sort { $0.start < $1.start }
            overlap = spans.indices.dropFirst().first { spans[$0].start < spans[$0 - 1].end }.map { (spans[$0 - 1], spans[$0]) }
        }
        if let (a, b) = overlap {
            throw ZipError.overlap(try Self.name(file.fd, record: a.record), try Self.name(file.fd, record: b.record))
        }
        let (budget, overflow) = fileSize.multipliedReportingOverflow(by: Self.maxRatio)
        guard overflow || declaredTotal <= budget.addingReportingOverflow(16 << 20).partialValue else {
            throw ZipError.bomb(declared: declaredTotal, fileSize: fileSize)
        }
        try flushMembers()
        self.members = members
        try list.finish(container: "zip", problems: &problems)
        self.table = list
        self.problems = problems
    }

    // MARK: Structure

    private struct EndRecord {
        var entries: Int64
        var directoryOffset: Int64
        var directorySize: Int64
    }

    /// The end of central directory record (and its ZIP64 successor): the last one whose comment reaches exactly
    /// to the end of the file.
    private static func endRecord(_ fd: Int32, fileSize: Int64) throws -> EndRecord {
        let tailLength = Int(min(fileSize, 22 + 0xFFFF))
        let tail = try readExactly(fd, at: fileSize - Int64(tailLength), count: tailLength)
        var position: Int?
        var i = tailLength - 22
        while i >= 0 {
            if tail.u32(i) == 0x0605_4B50 && i + 22 + Int(tail.u16(i + 20)) == tailLength { position = i; break }
            i -= 1
        }
        guard let at = position else { throw ZipError.noEndRecord }
        let recordStart = fileSize - Int64(tailLength) + Int64(at)
        guard tail.u16(at + 4) == 0, tail.u16(at + 6) == 0 else { throw ZipError.multiDisk }
        var record = EndRecord(entries: Int64(tail.u16(at + 10)), directoryOffset: Int64(tail.u32(at + 16)),
            directorySize: Int64(tail.u32(at + 12)))
        var directoryEnd = recordStart
        if recordStart >= 20, try readExactly(fd, at: recordStart - 20, count: 4).u32(0) == 0x0706_4B50 {
            let locator = try readExactly(fd, at: recordStart - 20, count: 20)
            guard locator.u32(4) == 0, locator.u32(16) <= 1 else { throw ZipError.multiDisk }
            let offset = Int64(bitPattern: locator.u64(8))
            guard offset >= 0, offset <= recordStart - 20 - 56 else { throw ZipError.noEndRecord }
            let z = try readExactly(fd, at: offset, count: 56)
            guard z.u32(0) == 0x0606_4B50 else { throw ZipError.noEndRecord }
            guard z.u32(16) == 0, z.u32(20) == 0, z.u64(24) == z.u64(32) else { throw ZipError.multiDisk }
            record = EndRecord(entries: Int64(bitPattern: z.u64(32)), directoryOffset: Int64(bitPattern: z.u64(48)),
                directorySize: Int64(bitPattern: z.u64(40)))
            directoryEnd = offset
        } else if tail.u16(at + 8) != tail.u16(at + 10) {
            throw ZipError.multiDisk
        }
        let (directoryEndFound, overflow) = record.directoryOffset.addingReportingOverflow(record.directorySize)
        guard record.entries >= 0, record.directoryOffset >= 0, record.directorySize >= 0, !overflow,
            directoryEndFound == directoryEnd
        else {
            throw ZipError.centralDirectoryDamaged("does not end where the end record begins")
        }
        return record
    }

    /// The name in the central record at `offset`, for messages.
    private static func name(_ fd: Int32, record offset: Int64) throws -> String {
        let record = try readExactly(fd, at: offset, count: 46)
        return String(decoding: try readExactly(fd, at: offset + 46, count: Int(record.u16(28))), as: UTF8.self)
    }

    /// The ZIP64 extended information field (id 0x0001) of an extra field block.
    private static func zip64Field(_ extra: [UInt8]) -> [UInt8]? {
        var i = 0
        while i + 4 <= extra.count {
            let id = extra.u16(i), length = Int(extra.u16(i + 2))
            guard i + 4 + length <= extra.count else { return nil }
            if id == 0x0001 { return Array(extra[(i + 4)..<(i + 4 + length)]) }
            i += 4 + length
        }
        return nil
    }

    /// Checks one local header (and data descriptor) against the central directory; returns where the data
    /// starts and where the entry's bytes end.
    private static func localHeader(
        _ fd: Int32, at offset: Int64, name: [UInt8], display: String,
        central: (flags: UInt16, method: UInt16, crc: UInt32, compressed: Int64, size: Int64), directoryOffset: Int64
    ) throws -> (dataOffset: Int64, end: Int64) {
        guard offset + 30 <= directoryOffset, let fixed = try? readExactly(fd, at: offset, count: 30),
            fixed.u32(0) == 0x0403_4B50
        else { throw ZipError.localHeaderMissing(display) }
        let nameLength = Int(fixed.u16(26)), extraLength = Int(fixed.u16(28))
        let variable = try readExactly(fd, at: offset + 30, count: nameLength + extraLength)
        guard variable.prefix(nameLength).elementsEqual(name) else {
            throw ZipError.nameMismatch(central: display, local: String(decoding: variable.prefix(nameLength), as: UTF8.self))
        }
        guard fixed.u16(8) == central.method else { throw ZipError.headerMismatch(display, field: "compression method") }
        guard fixed.u16(6) & 0x0049 == central.flags & 0x0049 else {
            throw ZipError.headerMismatch(display, field: "encryption or data descriptor flag")
        }
        let dataOffset = offset + 30 + Int64(nameLength + extraLength)
        let (dataEnd, overflow) = dataOffset.addingReportingOverflow(central.compressed)
        guard !overflow, dataEnd <= directoryOffset else { throw ZipError.dataOutside(display) }
        var localCompressed = Int64(fixed.u32(18)), localSize = Int64(fixed.u32(22))
        if localCompressed == 0xFFFF_FFFF || localSize == 0xFFFF_FFFF,
            let z = zip64Field(Array(variable[nameLength...])), z.count >= 16
        {
            localSize = Int64(bitPattern: z.u64(0))
            localCompressed = Int64(bitPattern: z.u64(8))
        }
        let localCRC = fixed.u32(14)
        guard central.flags & 0x0008 != 0 else {
            guard localCRC == central.crc, localCompressed == central.compressed, localSize == central.size else {
                throw ZipError.headerMismatch(display, field: "size or CRC")
            }
            return (dataOffset, dataEnd)
        }
        // A data descriptor follows the data (with or without its signature; sizes of 4 or, for ZIP64, 8 bytes);
        // each value in the local header is then zero or right (Info-ZIP writes the size but no CRC). Every copy
        // must agree with the central directory.
        let partial = (localCRC == 0 || localCRC == central.crc) && (localCompressed == 0 || localCompressed == central.compressed)
            && (localSize == 0 || localSize == central.size)
        guard partial else {
            throw ZipError.headerMismatch(display, field: "size or CRC")
        }
        let d = try readExactly(fd, at: dataEnd, count: Int(min(24, directoryOffset - dataEnd)))
        let skip = d.count >= 4 && d.u32(0) == 0x0807_4B50 ? 4 : 0
        for wide in [false, true] {
            let length = skip + (wide ? 20 : 12)
            guard d.count >= length else { continue }
            let values = wide
                ? (d.u32(skip), Int64(bitPattern: d.u64(skip + 4)), Int64(bitPattern: d.u64(skip + 12)))
                : (d.u32(skip), Int64(d.u32(skip + 4)), Int64(d.u32(skip + 8)))
            if values == (central.crc, central.compressed, central.size) { return (dataOffset, dataEnd + Int64(length)) }
        }
        throw ZipError.descriptorMismatch(display)
    }

    /// File, folder, link or special file, from the name and the Unix mode that Unix zip tools store.
    private static func kind(name: String, madeBy: UInt16, attributes: UInt32) -> PackageEntry.Kind {
        if name.hasSuffix("/") { return .directory }
        let host = madeBy >> 8
        if host == 3 || host == 19 {  // Unix, macOS: st_mode in the high half
            switch mode_t(attributes >> 16) & S_IFMT {
            case 0, S_IFREG: return .file
            case S_IFDIR: return .directory
            case S_IFLNK: return .other("symbolische koppeling")
            default: return .other("speciaal bestand")
            }
        }
        return attributes & 0x10 != 0 ? .directory : .file  // MS-DOS directory attribute
    }

    // MARK: Reading

    struct Reader: EntryReader {
        let descriptor: Descriptor
        let members: ScratchFile

        func read(_ entry: PackageEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            var m = Member(dataOffset: 0, compressed: 0, size: 0, crc: 0, method: 0, flags: 0)
            let stride = MemoryLayout<Member>.stride
            let n = try withUnsafeMutableBytes(of: &m) { try members.read(at: entry.offset * Int64(stride), into: $0) }
            guard n == MemoryLayout<Member>.size else { throw StoreError("the temporary file of the verifier is damaged") }
            guard m.flags & 0x0041 == 0 else { throw ZipMemberError.encrypted }
            switch m.method {
            case 0:
                guard m.compressed == m.size else {
                    throw ZipMemberError.smallerThanDeclared(declared: m.size, actual: m.compressed)
                }
                var crc: CRC32 = 0
                try readRange(m.dataOffset, m.compressed) { bytes in
                    crc = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!), count: bytes.count,
                        deallocator: .none).crc32(checksum: crc)
                    try body(bytes)
                }
                guard crc == m.crc else { throw ZipMemberError.crc }
            case 8:
                try inflate(m, body)
            default:
                throw ZipMemberError.unsupportedMethod(m.method)
            }
        }

        /// Inflates through a bounded stream: the decoder gets only this member's compressed bytes and stops as
        /// soon as it produces more than the declared size, so neither memory nor time follow a lying header.
        private func inflate(_ m: Member, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            if m.size == 0 && m.compressed == 0 { return }
            guard m.size <= ZipStore.ratioGrace || m.size / ZipStore.maxRatio <= m.compressed else {
                throw ZipMemberError.ratio(declared: m.size, compressed: m.compressed)
            }
            // The decoder always consumes whole chunks of `bufferSize`; the last one is padded with zeros, which
            // cannot complete a deflate stream that the member's own bytes leave unfinished.
            let bufferSize = Int(min(max(m.compressed, 4096), 256 << 10))
            let fd = descriptor.fd
            var position = m.dataOffset
            let end = m.dataOffset + m.compressed
            var produced: Int64 = 0
            var bodyError: (any Error)?
            let crc: CRC32
            do {
                crc = try Data.decompress(size: m.compressed, bufferSize: bufferSize, skipCRC32: false,
                    provider: { _, chunkSize in
                        guard position < end else { throw ZipMemberError.damaged }
                        let want = Int(min(Int64(chunkSize), end - position))
                        var chunk = Data(count: chunkSize)
                        let n = chunk.withUnsafeMutableBytes { preadFully(fd, $0.baseAddress!, want, position) }
                        guard n == want else { throw ZipMemberError.io("the zip could not be read at byte \(position)") }
                        position += Int64(want)
                        return chunk
                    },
                    consumer: { data in
                        produced += Int64(data.count)
                        guard produced <= m.size else { throw ZipMemberError.largerThanDeclared(m.size) }
                        do { try data.withUnsafeBytes { try body($0) } } catch { bodyError = error; throw error }
                    })
            } catch {
                if let bodyError { throw bodyError }
                if error is ZipMemberError { throw error }
                throw ZipMemberError.damaged  // the decoder's own errors: the deflate data is broken
            }
            guard produced == m.size else { throw ZipMemberError.smallerThanDeclared(declared: m.size, actual: produced) }
            guard crc == m.crc else { throw ZipMemberError.crc }
        }

        private func readRange(_ offset: Int64, _ count: Int64, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            let blockSize = Int(max(4096, min(Int64(1 << 20), count)))
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
            defer { buffer.deallocate() }
            var done: Int64 = 0
            while done < count {
                let want = Int(min(Int64(blockSize), count - done))
                let n = preadFully(descriptor.fd, buffer.baseAddress!, want, offset + done)
                guard n == want else { throw ZipMemberError.io("the zip could not be read at byte \(offset + done)") }
                try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                done += Int64(n)
            }
        }
    }
}

/// Reads `count` bytes at `offset` (fewer only at the end of the file or on an error).
func preadFully(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int, _ offset: Int64) -> Int {
    (try? FileDescriptor(rawValue: fd).readFully(into: UnsafeMutableRawBufferPointer(start: base, count: count), at: offset)) ?? -1
}

/// Exactly `count` bytes at `offset`, or an error.
private func readExactly(_ fd: Int32, at offset: Int64, count: Int) throws -> [UInt8] {
    guard offset >= 0 else { throw ZipError.noEndRecord }
    var bytes = [UInt8](repeating: 0, count: count)
    let n = bytes.withUnsafeMutableBytes { count == 0 ? 0 : preadFully(fd, $0.baseAddress!, count, offset) }
    guard n == count else { throw StoreError("the zip could not be read at byte \(offset)") }
    return bytes
}

/// Reads a region of a file front to back through a 1 MiB window (the central directory, never read whole).
private struct SequentialReader {
    let fd: Int32
    private var position: Int64
    private let end: Int64
    private var window: [UInt8] = []
    private var index = 0

    init(fd: Int32, start: Int64, length: Int64) {
        self.fd = fd
        self.position = start
        self.end = start + length
    }

    var atEnd: Bool { index == window.count && position == end }
    /// The file offset of the next byte `take` returns.
    var offset: Int64 { position - Int64(window.count - index) }

    mutating func take(_ count: Int) throws -> [UInt8] {
        if window.count - index < count {
            let keep = Array(window[index...])
            let more = Int(min(Int64(max(count - keep.count, 1 << 20)), end - position))
            guard keep.count + more >= count else { throw ZipError.centralDirectoryDamaged("ends in the middle of an entry") }
            window = keep + (try readExactly(fd, at: position, count: more))
            position += Int64(more)
            index = 0
        }
        defer { index += count }
        return Array(window[index..<(index + count)])
    }
}

private extension Array where Element == UInt8 {
    func u16(_ i: Int) -> UInt16 { UInt16(self[i]) | UInt16(self[i + 1]) << 8 }
    func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }
    func u64(_ i: Int) -> UInt64 { UInt64(u32(i)) | UInt64(u32(i + 4)) << 32 }
}
