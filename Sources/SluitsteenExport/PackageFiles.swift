// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// Low-level file writing for the package under construction: exclusive creation, full writes, clear errors.
enum PackageFiles {
    /// What a failed write says: "the disk is full" for ENOSPC (and EDQUOT), else the system's own words.
    static func writeFailure(_ error: any Error) -> String {
        let ns = error as NSError
        let posix = (ns.domain == NSPOSIXErrorDomain ? ns.code : (ns.userInfo[NSUnderlyingErrorKey] as? NSError)?.code) ?? 0
        if posix == Int(ENOSPC) || posix == Int(EDQUOT) || ns.code == NSFileWriteOutOfSpaceError {
            return "the disk is full (no space left on the device)"
        }
        return ns.localizedDescription
    }

    /// Writes `bytes` to a new file at `url` (it must not exist) and returns nothing; throws with the path.
    static func write(_ bytes: UnsafeRawBufferPointer, to url: URL) throws(ExportError) {
        try write(bytes, path: url.path)
    }

    /// As ``write(_:to:)``, with a plain path (Foundation's URL is slow in the per-message loop).
    static func write(_ bytes: UnsafeRawBufferPointer, path: String) throws(ExportError) {
        do {
            let fd = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions: 0o644)
            defer { try? fd.close() }
            try fd.writeAll(bytes)
        } catch {
            throw .cannotWrite(path, reason: error.description)
        }
    }

    static func write(_ data: Data, to url: URL) throws(ExportError) {
        try write(data, path: url.path)
    }

    static func write(_ data: Data, path: String) throws(ExportError) {
        var failure: ExportError?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            do throws(ExportError) { try write(raw, path: path) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// The first `bytes` bytes of the file at `path` (all of it when shorter).
    static func head(of path: String, bytes: Int) throws(ExportError) -> Data {
        var out = Data(count: bytes)
        let filled = out.withUnsafeMutableBytes { buffer in
            Result { () throws(Errno) -> Int in
                let fd = try FileDescriptor.open(path, O_RDONLY | O_CLOEXEC)
                defer { try? fd.close() }
                return try fd.readFully(into: buffer, at: 0)
            }
        }
        switch filled {
        case .success(let count): return out.prefix(count)
        case .failure(let error): throw .cannotWrite(path, reason: "it cannot be read back: \(error)")
        }
    }

    static func makeDirectory(_ url: URL) throws(ExportError) {
        try makeDirectory(path: url.path)
    }

    static func makeDirectory(path: String) throws(ExportError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw .cannotWrite(path, reason: Errno.currentText)
        }
    }

    /// Removes a folder tree (best effort; used to clean up after a failed export).
    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }
}
