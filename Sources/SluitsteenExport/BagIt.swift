// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy
import SluitsteenSupport
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#endif

/// Wraps the package as a BagIt 1.0 bag (RFC 8493): `bagit.txt`, `bag-info.txt` with Payload-Oxum,
/// `manifest-sha256.txt` over the payload (`data/`), and `tagmanifest-sha256.txt` over the tag files.
enum BagIt {
    static func write(bag: URL, selection: ExportSelection, packageId: String, policy: Policy, now: Date) throws {
        let manifestURL = bag.appendingPathComponent("manifest-sha256.txt")
        guard FileManager.default.createFile(atPath: manifestURL.path, contents: nil) else {
            throw ExportError.cannotWrite(manifestURL.path, reason: "cannot create the file")
        }
        let handle = try FileHandle(forWritingTo: manifestURL)
        defer { try? handle.close() }
        var hasher = StreamingHasher(.sha256)
        var buffer = Data()
        var octets: Int64 = 0
        var count = 0
        try selection.forEachFile { f in
            buffer.append(Data("\(f.sha256)  data/\(escape(f.path))\n".utf8))
            octets += f.size
            count += 1
            if buffer.count >= 1 << 20 {
                hasher.update(buffer)
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        hasher.update(buffer)
        try handle.write(contentsOf: buffer)
        let manifestHash = hasher.finalizeHex()
        let declaration = Data("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8)
        let date = String(ISOTimestamp.format(now).prefix(10))
        let info = Data("""
            Source-Organization: \(policy.archiefvormer.name)
            External-Identifier: \(packageId)
            External-Description: MDTO-overdrachtspakket met blijvend te bewaren e-mail
            Bagging-Date: \(date)
            Bag-Software-Agent: Sluitsteen
            Payload-Oxum: \(octets).\(count)

            """.utf8)
        var tags = Data()
        for (name, data) in [("bag-info.txt", info), ("bagit.txt", declaration)] {
            try PackageFiles.write(data, to: bag.appendingPathComponent(name))
            tags.append(Data("\(Digest.hex(data))  \(name)\n".utf8))
        }
        tags.append(Data("\(manifestHash)  manifest-sha256.txt\n".utf8))
        try PackageFiles.write(tags, to: bag.appendingPathComponent("tagmanifest-sha256.txt"))
    }

    /// RFC 8493 §2.1.3: CR, LF and % in manifest paths are percent-encoded.
    static func escape(_ path: String) -> String {
        guard path.contains(where: { $0 == "%" || $0 == "\n" || $0 == "\r" }) else { return path }
        return path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\n", with: "%0A")
            .replacingOccurrences(of: "\r", with: "%0D")
    }
}
