// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Numbers the copies of the same message within one folder (0, 1, …), so that a re-run maps each copy to the
/// same catalog row.
///
/// It remembers every message of the run as a 64-bit fingerprint of the folder and the SHA-256, in a
/// ``FingerprintSet`` that holds at most 8 MiB of them in memory and the rest in a scratch file (the 128-bit keys and
/// counts it held in a dictionary before took 59 MB at 1,000,000 messages, growing with the run), and a count only for
/// messages that do come again. Two different messages of one folder whose fingerprints are equal (about one chance in
/// 10^7 in a folder of a million) number as one message's copies: the second is copy 1, in every run over the same
/// export, so the mapping to catalog rows stays the same.
struct OccurrenceCounter {
    private var folders: [String: UInt64] = [:]
    private let seen: FingerprintSet
    private var repeats: [UInt64: UInt32] = [:]

    /// `makeFolder` gives a private scratch folder, when the fingerprints outgrow `memoryLimit`.
    init(memoryLimit: Int = 786_432, makeFolder: @escaping () throws(IngestError) -> URL) {
        seen = FingerprintSet(memoryLimit: memoryLimit, makeFolder: makeFolder)
    }

    /// How many fingerprints are in the scratch file (for tests).
    var spilled: Int { seen.spilled }

    mutating func next(folder: String, sha256: String) throws(IngestError) -> Int {
        let folderNumber: UInt64
        if let f = folders[folder] { folderNumber = f } else {
            folderNumber = UInt64(folders.count)
            folders[folder] = folderNumber
        }
        let hex = sha256.utf8
        let end = hex.index(hex.startIndex, offsetBy: 16, limitedBy: hex.endIndex) ?? hex.endIndex
        let prefix = UInt64(Substring(hex[hex.startIndex..<end]), radix: 16) ?? 0
        // The folder's number spread over all 64 bits (the golden-ratio constant), so folders do not collide in the
        // SHA-256's low bits.
        let fingerprint = prefix ^ (folderNumber &* 0x9E37_79B9_7F4A_7C15)
        if try seen.insert(fingerprint) { return 0 }
        let occurrence = repeats[fingerprint, default: 1]
        repeats[fingerprint] = occurrence + 1
        return Int(occurrence)
    }
}
