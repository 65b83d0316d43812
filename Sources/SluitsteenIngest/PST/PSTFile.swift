// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Recognises Outlook PST/OST files by their first bytes, so that ingest never trusts a file name extension,
/// and reads the few header facts needed to refuse a truncated copy before readpst ever sees it.
public enum PSTFile {
    /// Every PST and OST file starts with these four bytes (`!BDN`, the header's dwMagic).
    public static let signature: [UInt8] = [0x21, 0x42, 0x44, 0x4E]

    /// True when `bytes` start with the PST/OST signature.
    public static func hasSignature<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        bytes.starts(with: signature)
    }

    /// True when the file at `url` starts with the PST/OST signature; false when it does not or cannot be read.
    public static func hasSignature(at url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: signature.count) else { return false }
        return hasSignature(head)
    }
}

/// The header facts Sluitsteen reads itself (MS-PST 2.2.2.6): which client wrote the file and how long it claims
/// to be. Everything else is left to readpst.
struct PSTHeader: Equatable {
    /// `SM` in the header: a PST (Personal Folders); `SO`: an OST (offline copy of an Exchange mailbox).
    enum Client: Equatable { case pst, ost, unknown }

    let client: Client
    /// wVer: 14/15 is the old ANSI format, 23 and higher the Unicode format.
    let version: UInt16
    /// ibFileEof: the file size the header records.
    let declaredSize: UInt64

    var isUnicode: Bool { version >= 23 }

    /// Reads the header from the first 512 bytes; nil when the bytes are not a PST header at all.
    init?(_ bytes: Data) {
        let b = [UInt8](bytes.prefix(512))
        guard PSTFile.hasSignature(b), b.count >= 0xC0 else { return nil }
        switch (b[8], b[9]) {
        case (0x53, 0x4D): client = .pst
        case (0x53, 0x4F): client = .ost
        default: client = .unknown
        }
        version = UInt16(b[10]) | UInt16(b[11]) << 8
        func little(_ offset: Int, _ count: Int) -> UInt64 {
            (0..<count).reduce(UInt64(0)) { $0 | UInt64(b[offset + $1]) << (8 * UInt64($1)) }
        }
        // ROOT starts at 0xB4 (Unicode) or 0xA4 (ANSI); ibFileEof follows its 4-byte dwReserved.
        declaredSize = version >= 23 ? little(0xB8, 8) : little(0xA8, 4)
    }

    static func read(at url: URL) -> PSTHeader? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 512) else { return nil }
        return PSTHeader(head)
    }
}
