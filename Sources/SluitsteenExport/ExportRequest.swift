// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive
import SluitsteenPolicy

/// The container a transfer package is written as: a folder, a tar file or a zip file.
public enum ExportContainer: String, Sendable, CaseIterable {
    case dir, tar, zip
}

/// What `sluitsteen export` is asked to do: which copies, where, and in what form.
///
/// Selection: copies whose action is `transfer-due` as of ``asOf`` (plus `retain-permanent` with
/// ``allPermanent``), optionally limited to mailboxes and to designated hotspots. V-valued copies are never
/// selected; copies under a hold whose underlying decision is B are.
public struct ExportRequest: Sendable {
    /// The folder, `.tar` or `.zip` file to create. Must not exist yet.
    public var out: URL
    /// The decision moment.
    public var asOf: Instant
    /// Only these mailboxes (lowercase addresses); empty = all.
    public var mailboxes: [String]
    /// Only copies whose decision cites `hotspot:NAME` for one of these names; empty = no hotspot filter.
    public var hotspots: [String]
    /// Also take copies whose action is `retain-permanent` (B, not yet due).
    public var allPermanent: Bool
    public var container: ExportContainer
    /// Wrap the package as a BagIt bag (RFC 8493).
    public var bagit: Bool
    /// Write every attachment as a file of its own, with its bestand sidecar.
    public var extractAttachments: Bool
    /// Messages larger than this are copied and unpacked from their stored file in chunks, never held in memory
    /// whole (``ContentStore/defaultInMemoryLimit``; tests lower it to run every message that way).
    public var inMemoryLimit = ContentStore.defaultInMemoryLimit
    /// Who runs the export (audit trail).
    public var actor: String
    /// The command line, for the audit trail.
    public var command: String
    /// The MDTO XSD to use; nil = find it (Schemas/, `$SLUITSTEEN_SCHEMAS`).
    public var mdtoSchema: URL?
    /// The pakbon XSD to use; nil = find it.
    public var pakbonSchema: URL?

    public init(out: URL, asOf: Instant, mailboxes: [String] = [], hotspots: [String] = [], allPermanent: Bool = false,
                container: ExportContainer = .dir, bagit: Bool = false, extractAttachments: Bool = false,
                actor: String, command: String = "export", mdtoSchema: URL? = nil, pakbonSchema: URL? = nil) {
        self.out = out
        self.asOf = asOf
        self.mailboxes = mailboxes.map { $0.lowercased() }
        self.hotspots = hotspots
        self.allPermanent = allPermanent
        self.container = container
        self.bagit = bagit
        self.extractAttachments = extractAttachments
        self.actor = actor
        self.command = command
        self.mdtoSchema = mdtoSchema
        self.pakbonSchema = pakbonSchema
    }
}

/// What an export produced: the package id and hash, and what it holds.
public struct ExportSummary: Sendable, Equatable {
    public var packageId: String
    public var location: String
    public var container: String
    /// The pakbon's `pakketHash` (Schemas/README.md).
    public var packageHash: String
    /// Message copies the package stands for (including copies represented by a reference to another dossier).
    public var copies: Int
    /// Distinct messages (each one `.eml` in the package).
    public var messages: Int
    /// Copies that were under a hold at export time.
    public var held: Int
    public var informatieobjecten: Int
    public var bestanden: Int
    public var contentFiles: Int
    public var contentBytes: Int64
    public var elapsed: TimeInterval
    /// Messages that were selected but left out because their metadata could not be made valid, one line each
    /// (the message, its mailbox and folder, why). Their copies are not recorded as exported: they stay selected
    /// for a next export. Any other failure stops the whole export.
    public var leftOut: [String] = []
    /// Packages (not withdrawn) that already held some of the exported copies, with how many each and whether the
    /// e-depot confirmed them: the same mail would reach the e-depot twice.
    public var alreadyIn: [PackageOverlap] = []
    /// Conversations (chat, bijlage 5) in the package: one informatieobject each.
    public var conversations = 0
}

/// Copies of a new export that an earlier package (not withdrawn) already holds.
public struct PackageOverlap: Sendable, Equatable {
    public var packageId: String
    public var copies: Int
    /// When the e-depot confirmed the earlier package; nil while it is unconfirmed.
    public var confirmedAt: String?
    /// Conversations (chat) of the new export the earlier package holds.
    public var conversations = 0

    public init(packageId: String, copies: Int, confirmedAt: String?) {
        self.packageId = packageId
        self.copies = copies
        self.confirmedAt = confirmedAt
    }

    /// One line for people: `3 copies are already in package X (confirmed 2033-…)` / `(not yet confirmed: withdraw …)`.
    public var warning: String {
        (copies > 0 ? "\(copies) of these copies" : "")
            + (copies > 0 && conversations > 0 ? " and " : "")
            + (conversations > 0 ? "\(conversations) of these conversations" : "")
            + " are already in package \(packageId) "
            + (confirmedAt.map { "(confirmed as accepted by the e-depot on \($0))" }
               ?? "(not yet confirmed: confirm or withdraw it with `sluitsteen transfer confirm|withdraw \(packageId)`)")
    }
}

/// The outcome of `sluitsteen transfer confirm`.
public struct TransferConfirmationSummary: Sendable, Equatable {
    public var packageId: String
    /// Copies now in state `transferred`.
    public var transferred: Int
    /// Copies of the package that were no longer present (destroyed or purged since the export).
    public var skipped: Int
    public var receiptSHA256: String?
    public var receiptName: String?
    /// Conversations (chat) of the package, transferred with it: they are not exported again.
    public var conversations = 0
}
