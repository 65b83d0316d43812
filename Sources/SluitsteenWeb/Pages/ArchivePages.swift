// SPDX-License-Identifier: EUPL-1.2

/// The pages of the archive, by role (issue 13): search and the message view (with reading for a stated reason), the
/// employee's opt-out, the destruction lists, DIV's registers, plan and hotspots, the auditor's audit trail and access
/// log, and the Woo-coördinator's requests and gemachtigden. `sluitsteen serve` gives these to ``WebApp``.
public enum ArchivePages {
    /// Every route group of the archive's pages.
    public static var groups: [RouteGroup] {
        [SearchPage.group, MessagePage.group, OptOutPage.group, DestructionListPages.group, RegisterPages.group, AuditPages.group,
         WooPages.group]
    }
}
