// SPDX-License-Identifier: EUPL-1.2

/// A run of bytes inside a file: `length` bytes of the file at `path` from `offset` (a stored message inside a pack
/// file, or, with a nil length, a whole file from `offset` on). Readers open the file and stay inside the range.
public struct FileRange: Sendable, Hashable {
    public var path: String
    public var offset: Int64
    /// The number of bytes, or nil for "up to the end of the file".
    public var length: Int64?

    public init(path: String, offset: Int64 = 0, length: Int64? = nil) {
        self.path = path
        self.offset = offset
        self.length = length
    }

    /// The offset just past the range, or -1 when it runs to the end of the file (GMime's convention).
    public var end: Int64 { length.map { offset + $0 } ?? -1 }
}
