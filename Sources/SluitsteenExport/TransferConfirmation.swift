// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenSupport

/// Records the e-depot's acceptance of a transfer package (`sluitsteen transfer confirm`): the package's copies
/// get state `transferred` (their action becomes `transferred`), the receipt's SHA-256 and name are kept, the
/// receipt itself is copied into the workspace's documents, and the audit trail gets an accession entry.
public struct TransferConfirmation: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// All export packages, oldest first.
    public func packages() throws(ExportError) -> [ExportPackageRecord] {
        try workspace.catalog.read(throwing: ExportError.self) { db in try ExportPackageRecord.all(db) }
    }

    /// Withdraws package `id` before the e-depot accepted it: it stays in the catalog as withdrawn (with when, by
    /// whom and why, and an audit entry), and its copies may be exported again. The package's files are not touched:
    /// the caller is told where they are, to delete them or keep them as the municipality decides.
    public func withdraw(_ id: String, reason: String, actor: Actor) throws(ExportError) -> ExportPackageRecord {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else { throw .invalidInput("a withdrawal needs a reason (--reason TEXT); it is recorded in the audit trail") }
        let now = ISOTimestamp.format(workspace.clock.now())
        return try workspace.catalog.write(throwing: ExportError.self) { db -> ExportPackageRecord in
            guard var package = try ExportPackageRecord.find(db, id: id) else { throw ExportError.unknownPackage(id) }
            if let at = package.confirmedAt {
                throw ExportError.invalidInput("package \(id) was confirmed as accepted by the e-depot on \(at); a transfer that was "
                    + "accepted cannot be withdrawn here. Agree a correction with the e-depot.")
            }
            if let at = package.withdrawnAt { throw ExportError.withdrawn(id, at: at) }
            try ExportPackageRecord.withdraw(db, id: id, at: now, by: actor.documentText, reason: why)
            try workspace.audit.append(db, kind: .transferWithdrawal, command: "transfer withdraw \(id)", actor: actor.auditText,
                                       objectIds: ["export:\(id)"],
                                       outcome: "withdrawn before acceptance: \(package.copyCount) copies may be exported again; reason: \(why)")
            package.withdrawnAt = now
            package.withdrawnBy = actor.documentText
            package.withdrawReason = why
            return package
        }
    }

    /// Confirms package `id`. `receipt` is the e-depot's acceptance message or report (optional).
    public func confirm(_ id: String, receipt: URL?, actor: Actor) throws(ExportError) -> TransferConfirmationSummary {
        let now = workspace.clock.now()
        var receiptHash: String? = nil
        var receiptName: String? = nil
        var receiptData: Data? = nil
        if let receipt {
            do { receiptData = try Data(contentsOf: receipt) } catch {
                throw .invalidInput("cannot read the receipt \(receipt.path): \(error.localizedDescription). Check the path.")
            }
            receiptHash = Digest.hex(receiptData!)
            receiptName = receipt.lastPathComponent
        }
        return try workspace.catalog.write(throwing: ExportError.self) { db -> TransferConfirmationSummary in
            guard let package = try ExportPackageRecord.find(db, id: id) else { throw ExportError.unknownPackage(id) }
            if let at = package.confirmedAt { throw ExportError.alreadyConfirmed(id, at: at) }
            if let at = package.withdrawnAt { throw ExportError.withdrawn(id, at: at) }
            let total = try ExportItemRecord.count(db, packageId: id)
            // A package none of whose copies is still present would be confirmed as "0 copies transferred": refuse it,
            // naming the packages that already transferred them.
            let state = try ExportPackageRecord.transferState(db, id: id)
            let conversations = try ExportChatRecord.conversationIds(db, packageId: id).count
            if state.present == 0 && conversations == 0 { throw ExportError.nothingToTransfer(id, elsewhere: state.elsewhere, total: total) }
            let transferred = try ExportPackageRecord.confirm(db, id: id, at: ISOTimestamp.format(now), by: actor.documentText,
                                                              receipt: receiptHash.map { .init(sha256: $0, name: receiptName ?? "") })
            if let receiptData, let receiptHash {
                let folder = workspace.documentsDirectory.appendingPathComponent("receipts", isDirectory: true)
                let slug = PackageNames.slug(receiptName ?? "receipt", fallback: "receipt")
                let target = folder.appendingPathComponent("\(id)-\(receiptHash.prefix(12))-\(slug)")
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    if !FileManager.default.fileExists(atPath: target.path) { try receiptData.write(to: target, options: .atomic) }
                } catch {
                    throw ExportError.cannotWrite(target.path, reason: error.localizedDescription)
                }
            }
            try workspace.audit.append(db, kind: .transferConfirmation, command: "transfer confirm \(id)", actor: actor.auditText,
                                       objectIds: ["export:\(id)"],
                                       outcome: "accepted by the e-depot: \(transferred) copies transferred"
                                        + (conversations > 0 ? ", \(conversations) conversation(s) transferred" : "")
                                        + (total > transferred ? ", \(total - transferred) no longer present" : "")
                                        + (receiptHash.map { "; receipt \(receiptName ?? "") sha256 \($0)" } ?? ""))
            var summary = TransferConfirmationSummary(packageId: id, transferred: transferred, skipped: total - transferred,
                                                      receiptSHA256: receiptHash, receiptName: receiptName)
            summary.conversations = conversations
            return summary
        }
    }
}
