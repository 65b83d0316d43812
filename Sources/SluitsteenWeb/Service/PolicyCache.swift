// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenRetention
import SluitsteenSupport

/// The retention policy in force for the pages, read once and read again only when the workspace's policy file changes
/// (`sluitsteen policy set` may replace it while the service runs): reading and checking the TOML on every request was
/// a quarter of the message view's work. The file's identity, size and change time decide whether it changed.
public final class PolicyCache: Sendable {
    private let cached = Locked<(key: String, policy: PolicyInForce)?>(nil)

    public init() {}

    /// The policy in force now (as ``PolicyInForce/resolve(explicit:workspace:)`` gives it).
    public func current(_ workspace: Workspace) throws(RetentionError) -> PolicyInForce {
        let key = Self.fingerprint(workspace.policyFile.path)
        if let hit = cached.withLock({ $0 }), hit.key == key { return hit.policy }
        let policy = try PolicyInForce.resolve(explicit: nil, workspace: workspace)
        cached.withLock { $0 = (key, policy) }
        return policy
    }

    /// `absent`, or the file's device, inode, size and change time (nanoseconds).
    static func fingerprint(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "absent" }
        return "\(st.st_dev):\(st.st_ino):\(st.st_size):\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }
}
