// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy

/// The policy in force for a command: `--policy FILE`, else the workspace's `policy.toml`, else the shipped
/// default (gemeente Krimpenerwaard).
public struct PolicyInForce: Sendable {
    public let policy: Policy
    /// Where the policy came from, for reports: a file path or "shipped default".
    public let source: String

    public static func resolve(explicit: String?, workspace: Workspace?) throws(RetentionError) -> PolicyInForce {
        do {
            if let explicit {
                return PolicyInForce(policy: try Policy.load(contentsOf: URL(fileURLWithPath: explicit)), source: explicit)
            }
            if let workspace, FileManager.default.fileExists(atPath: workspace.policyFile.path) {
                return PolicyInForce(policy: try Policy.load(contentsOf: workspace.policyFile), source: workspace.policyFile.path)
            }
            return PolicyInForce(policy: try Policy.krimpenerwaard, source: "shipped default (gemeente Krimpenerwaard)")
        } catch {
            throw .policy(error)
        }
    }
}
