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
    /// The policy file's text exactly as read (TOML, comments included): what `policy show --toml` prints for a
    /// municipality to copy and adapt.
    public let text: String

    public static func resolve(explicit: String?, workspace: Workspace?) throws(RetentionError) -> PolicyInForce {
        do {
            if let explicit { return try read(URL(fileURLWithPath: explicit), source: explicit) }
            if let workspace, FileManager.default.fileExists(atPath: workspace.policyFile.path) {
                return try read(workspace.policyFile, source: workspace.policyFile.path)
            }
            let text = try Policy.krimpenerwaardText()
            return PolicyInForce(policy: try Policy.parse(text: text, file: "krimpenerwaard.toml"),
                                 source: "shipped default (gemeente Krimpenerwaard)", text: text)
        } catch {
            throw .policy(error)
        }
    }

    private static func read(_ url: URL, source: String) throws(PolicyError) -> PolicyInForce {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadable(file: url.path, reason: "\(error.localizedDescription)")
        }
        return PolicyInForce(policy: try Policy.parse(text: text, file: url.path), source: source, text: text)
    }
}
