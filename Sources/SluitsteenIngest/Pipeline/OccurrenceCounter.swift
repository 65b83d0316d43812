// SPDX-License-Identifier: EUPL-1.2

/// Numbers the copies of the same message within one folder (0, 1, …), so that a re-run maps each copy to the
/// same catalog row. A key is the folder's number and the first 128 bits of the SHA-256 (about 40 bytes per
/// message of the run, where the full strings took over 150).
struct OccurrenceCounter {
    private struct Key: Hashable {
        var high: UInt64
        var low: UInt64
        var folder: UInt32
    }
    private var folders: [String: UInt32] = [:]
    private var counts: [Key: UInt32] = [:]

    mutating func next(folder: String, sha256: String) -> Int {
        let folderNumber: UInt32
        if let f = folders[folder] { folderNumber = f } else {
            folderNumber = UInt32(folders.count)
            folders[folder] = folderNumber
        }
        let hex = sha256.utf8
        let mid = hex.index(hex.startIndex, offsetBy: 16)
        let end = hex.index(mid, offsetBy: 16)
        let key = Key(high: UInt64(Substring(hex[hex.startIndex..<mid]), radix: 16) ?? 0,
                      low: UInt64(Substring(hex[mid..<end]), radix: 16) ?? 0, folder: folderNumber)
        let occurrence = counts[key, default: 0]
        counts[key] = occurrence + 1
        return Int(occurrence)
    }
}
