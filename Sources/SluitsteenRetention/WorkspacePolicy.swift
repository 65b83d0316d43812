// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenPolicy

/// The workspace's own policy file: replacing it is a policy change, checked first and recorded in the audit trail.
public struct WorkspacePolicy: Sendable {
    public let workspace: Workspace
    public init(workspace: Workspace) { self.workspace = workspace }

    /// Checks `file` and installs it as the workspace policy. Returns a one-line account for the records manager.
    public func set(from file: URL, actor: Actor) throws(RetentionError) -> String {
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw .invalidInput("cannot read \(file.path): \(error.localizedDescription)")
        }
        let problems = Policy.check(text: text, file: file.lastPathComponent)
        guard problems.isEmpty else {
            throw .policyNotInstalled(problems)
        }
        let hash = Digest.hex(Data(text.utf8))
        let previous = (try? Data(contentsOf: workspace.policyFile)).map { Digest.hex($0) }
        if previous == hash { return "Unchanged: the workspace policy is already \(file.lastPathComponent) (sha256 \(hash.prefix(12)))." }
        try workspace.catalog.write(throwing: RetentionError.self) { db in
            do { try Data(text.utf8).write(to: workspace.policyFile, options: .atomic) } catch {
                throw RetentionError.archive(.cannotWrite(workspace.policyFile.path, reason: error.localizedDescription))
            }
            let outcome = "workspace policy set from \(file.lastPathComponent) (sha256 \(hash); previous \(previous ?? "shipped default"))"
            try workspace.audit.append(db, kind: .policyChange, command: "policy set", actor: actor.auditText,
                                       objectIds: ["policy:\(hash.prefix(12))"], outcome: outcome)
        }
        return "Installed \(file.lastPathComponent) as the workspace policy (sha256 \(hash.prefix(12)))."
    }
}
