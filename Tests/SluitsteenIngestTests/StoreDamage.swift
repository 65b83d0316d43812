import Foundation
import SluitsteenSupport

/// Damage done on purpose to stored bytes inside a pack file.
enum StoreDamage {
    /// Flips one bit of the byte `at` (default: the middle) of a stored range.
    static func flipByte(in range: FileRange, at: Int64? = nil) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: range.path))
        defer { try? handle.close() }
        let offset = UInt64(range.offset + (at ?? (range.length ?? 2) / 2))
        try handle.seek(toOffset: offset)
        var byte = try handle.read(upToCount: 1) ?? Data([0])
        byte[0] ^= 0x01
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: byte)
    }
}
