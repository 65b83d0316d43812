// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport

/// The PST/OST samples in `<package root>/../shared/corpora` and their `pst-oracle.json` (what readpst 0.6.76
/// exported with `readpst -r -D -j0`, a different output mode from ours). Absent in a fresh clone.
enum PSTCorpus {
    static let packageRoot = PackagePaths.root

    static let corpora = packageRoot.appendingPathComponent("../shared/corpora").standardizedFileURL
    static let folders = ["github-aspose-email-net", "github-mooijtech-go-pst", "github-rjohnsondev-java-libpst"]

    /// True when the shared corpora with their PST oracles are present.
    static var available: Bool {
        folders.allSatisfy {
            FileManager.default.fileExists(atPath: corpora.appendingPathComponent("\($0)/pst-oracle.json").path)
        }
    }

    static var readpstInstalled: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/readpst")
        }
    }

    struct Sample {
        let url: URL
        let readpstStatus: Int
        let passwordChecksum: String?
        /// Folder path inside the PST (store name first) → number of messages in readpst's mbox for it.
        let mboxCounts: [String: Int]
        /// Folder paths (store name first) for which readpst wrote calendar/contacts/journal output.
        let otherOutputs: [String: Set<String>]
        let messagesTotal: Int

        var name: String { url.lastPathComponent }
        var isPasswordProtected: Bool { passwordChecksum.map { $0 != "N/A" } ?? false }
    }

    static func samples() throws -> [Sample] {
        var result: [Sample] = []
        for folder in folders {
            let base = corpora.appendingPathComponent(folder)
            let data = try Data(contentsOf: base.appendingPathComponent("pst-oracle.json"))
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            for entry in json?["files"] as? [[String: Any]] ?? [] {
                var mbox: [String: Int] = [:]
                var other: [String: Set<String>] = [:]
                for (key, value) in entry["readpst_outputs"] as? [String: Any] ?? [:] {
                    var parts = key.split(separator: "/").map(String.init)
                    let leaf = parts.removeLast()
                    let path = parts.joined(separator: "/")
                    if leaf == "mbox", let count = value as? Int {
                        mbox[path] = count
                    } else {
                        other[path, default: []].insert(leaf)
                    }
                }
                result.append(Sample(
                    url: base.appendingPathComponent(entry["file"] as? String ?? ""),
                    readpstStatus: entry["readpst_rc"] as? Int ?? -1,
                    passwordChecksum: entry["pffinfo_password_checksum"] as? String,
                    mboxCounts: mbox, otherOutputs: other,
                    messagesTotal: entry["readpst_messages_total"] as? Int ?? -1))
            }
        }
        return result.sorted { $0.url.path < $1.url.path }
    }

    static func sample(named name: String) throws -> Sample {
        guard let sample = try samples().first(where: { $0.name == name }) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return sample
    }

    /// A fresh, empty-to-be folder under the system's temporary folder; the caller removes it.
    static func scratch(_ label: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("sluitsteen-pst-\(label)-\(UUID().uuidString)")
    }
}
