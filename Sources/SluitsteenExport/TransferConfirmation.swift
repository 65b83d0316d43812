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
            let total = try ExportItemRecord.count(db, packageId: id)
            let transferred = try ExportPackageRecord.confirm(db, id: id, at: ISOTimestamp.format(now), by: actor.documentText,
                                                              receipt: receiptHash.map { .init(sha256: $0, name: receiptName ?? "") })
            if let receiptData, let receiptHash {
                let folder = workspace.documentsDirectory.appendingPathComponent("receipts", isDirectory: true)
                let target = folder.appendingPathComponent("\(id)-\(receiptHash.prefix(12))-\(PackageNames.slug(receiptName ?? "receipt", fallback: "receipt"))")
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
                                        + (total > transferred ? ", \(total - transferred) no longer present" : "")
                                        + (receiptHash.map { "; receipt \(receiptName ?? "") sha256 \($0)" } ?? ""))
            return TransferConfirmationSummary(packageId: id, transferred: transferred, skipped: total - transferred,
                                               receiptSHA256: receiptHash, receiptName: receiptName)
        }
    }
}
