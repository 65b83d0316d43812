// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// The layout of a pack file (`store/packs/000001.pack`).
///
/// A pack starts with a 16-byte file header: `SLSTPACK`, a version byte (1) and seven zero bytes. Entries follow, each
/// self-describing so that a pack can be checked, and the catalog's map rebuilt, from the pack alone:
///
/// | bytes | what |
/// |---|---|
/// | 4 | `SLEN` |
/// | 1 | entry version (1) |
/// | 3 | zero |
/// | 8 | length of the bytes, little-endian |
/// | 32 | SHA-256 of the bytes |
/// | length | the bytes, exactly as found |
///
/// Entries are only ever appended (by the one holder of the store lock); removal rewrites the pack without them.
enum PackFormat {
    static let fileMagic = Array("SLSTPACK".utf8)
    static let version: UInt8 = 1
    static let fileHeaderSize: Int64 = 16
    static let entryMagic = Array("SLEN".utf8)
    static let entryHeaderSize: Int64 = 48

    /// The file header of a new pack.
    static var fileHeader: [UInt8] { fileMagic + [version] + [UInt8](repeating: 0, count: 7) }

    /// The header of an entry of `length` bytes with this SHA-256 (hex).
    static func entryHeader(length: Int64, sha256: String) -> [UInt8] {
        var h = entryMagic + [version, 0, 0, 0]
        var n = UInt64(length).littleEndian
        withUnsafeBytes(of: &n) { h += $0 }
        h += rawSHA(sha256)
        return h
    }

    /// The 32 bytes of a hex SHA-256 (zeros for a malformed one).
    static func rawSHA(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return [UInt8](repeating: 0, count: 32) }
        func value(_ c: UInt8) -> UInt8 { c >= 97 ? c - 87 : c >= 65 ? c - 55 : c - 48 }
        return (0..<32).map { value(digits[2 * $0]) << 4 | value(digits[2 * $0 + 1]) }
    }

    /// A parsed entry header: the length and SHA-256 (hex) it states, or nil when `bytes` is not an entry header.
    static func parseEntryHeader(_ bytes: [UInt8]) -> (length: Int64, sha256: String)? {
        guard bytes.count == Int(entryHeaderSize), Array(bytes[0..<4]) == entryMagic, bytes[4] == version else { return nil }
        var n: UInt64 = 0
        for i in (0..<8).reversed() { n = n << 8 | UInt64(bytes[8 + i]) }
        guard n <= UInt64(Int64.max) else { return nil }
        let hex = bytes[16..<48].map { String(format: "%02x", $0) }.joined()
        return (Int64(n), hex)
    }

    /// Whether `bytes` is a pack file header.
    static func isFileHeader(_ bytes: [UInt8]) -> Bool {
        bytes.count == Int(fileHeaderSize) && Array(bytes[0..<8]) == fileMagic && bytes[8] == version
    }

    /// The file name of pack `number`.
    static func name(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".pack"
    }

    /// The number of the pack named `name`, or nil when it is not a pack's name.
    static func number(_ name: String) -> Int? {
        guard name.hasSuffix(".pack") else { return nil }
        let stem = name.dropLast(5)
        guard stem.count >= 6, stem.allSatisfy(\.isASCII), let n = Int(stem), n > 0 else { return nil }
        return n
    }
}
