// SPDX-License-Identifier: EUPL-1.2
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// Reads a text file for the recognisers: the whole file, strictly UTF-8 (a byte order mark is kept as U+FEFF, so
/// that offsets agree with other tools that decode the file as UTF-8).
public enum TextFile {
    /// The text of the file at `path`.
    public static func read(_ path: String) throws(WooError) -> String {
        let bytes: [UInt8]
        do { bytes = try readBytes(path) } catch { throw .unreadable(file: path, reason: error.description) }
        return try decode(bytes, file: path)
    }

    /// `bytes` as a string, or the offset of the first byte that is not UTF-8.
    public static func decode(_ bytes: [UInt8], file: String) throws(WooError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: throw .notUTF8(file: file, offset: offset)  // not reached: validation failed above
            case .error: throw .notUTF8(file: file, offset: offset)
            }
        }
    }

    private static func readBytes(_ path: String) throws(Errno) -> [UInt8] {
        let fd = try FileDescriptor.open(path, O_RDONLY | O_CLOEXEC)
        defer { try? fd.close() }
        let info = try fd.status()
        if info.st_mode & S_IFMT == S_IFDIR { throw Errno(EISDIR) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(0, Int(info.st_size)))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let read: Result<Int, Errno> = chunk.withUnsafeMutableBytes { buffer in
                do throws(Errno) { return .success(try fd.read(into: buffer)) } catch { return .failure(error) }
            }
            let n = try read.get()
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }
}
