// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenHashing
import SluitsteenSupport

/// A transfer package as the catalog records it.
public struct ExportPackageRecord: Sendable, Equatable {
    public var id: String
    public var createdAt: String
    public var createdBy: String
    public var location: String
    public var container: String
    public var packageSHA256: String
    public var copyCount: Int
    public var confirmedAt: String?
    public var confirmedBy: String?
    public var receiptSHA256: String?
    public var receiptName: String?
}

/// Records the e-depot's acceptance of a transfer package (`sluitsteen transfer confirm`): the package's copies
/// get state `transferred` (their action becomes `transferred`), the receipt's SHA-256 and name are kept, the
/// receipt itself is copied into the workspace's documents, and the audit trail gets an accession entry.
public struct TransferConfirmation: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// All export packages, oldest first.
    public func packages() throws(ExportError) -> [ExportPackageRecord] {
        do {
            return try workspace.catalog.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, createdAt, createdBy, location, container, packageSHA256, copyCount, confirmedAt, confirmedBy,
                           receiptSHA256, receiptName FROM exportPackage ORDER BY createdAt, id
                    """).map { r in
                    ExportPackageRecord(id: r[0], createdAt: r[1], createdBy: r[2], location: r[3], container: r[4],
                                        packageSHA256: r[5], copyCount: r[6], confirmedAt: r[7], confirmedBy: r[8],
                                        receiptSHA256: r[9], receiptName: r[10])
                }
            }
        } catch { throw .archive("\(error)") }
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
        do {
            return try workspace.catalog.write { db -> TransferConfirmationSummary in
                guard let row = try Row.fetchOne(db, sql: "SELECT confirmedAt FROM exportPackage WHERE id = ?", arguments: [id]) else {
                    throw ExportError.unknownPackage(id)
                }
                if let at: String = row[0] { throw ExportError.alreadyConfirmed(id, at: at) }
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exportItem WHERE packageId = ?", arguments: [id]) ?? 0
                try db.execute(sql: """
                    UPDATE copy SET state = 'transferred'
                    WHERE state = 'present' AND id IN (SELECT copyId FROM exportItem WHERE packageId = ?)
                    """, arguments: [id])
                let transferred = db.changesCount
                try db.execute(sql: """
                    UPDATE exportPackage SET confirmedAt = ?, confirmedBy = ?, receiptSHA256 = ?, receiptName = ? WHERE id = ?
                    """, arguments: [ISOTimestamp.format(now), actor.documentText, receiptHash, receiptName, id])
                if let receiptData, let receiptHash {
                    let folder = workspace.documentsDirectory.appendingPathComponent("receipts", isDirectory: true)
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    let target = folder.appendingPathComponent("\(id)-\(receiptHash.prefix(12))-\(PackageNames.slug(receiptName ?? "receipt", fallback: "receipt"))")
                    if !FileManager.default.fileExists(atPath: target.path) { try receiptData.write(to: target, options: .atomic) }
                }
                try workspace.audit.append(db, kind: .transferConfirmation, command: "transfer confirm \(id)", actor: actor.auditText,
                                      objectIds: ["export:\(id)"],
                                      outcome: "accepted by the e-depot: \(transferred) copies transferred"
                                        + (total > transferred ? ", \(total - transferred) no longer present" : "")
                                        + (receiptHash.map { "; receipt \(receiptName ?? "") sha256 \($0)" } ?? ""))
                return TransferConfirmationSummary(packageId: id, transferred: transferred, skipped: total - transferred,
                                                   receiptSHA256: receiptHash, receiptName: receiptName)
            }
        } catch let e as ExportError { throw e } catch { throw .archive("\(error)") }
    }
}
