// SPDX-License-Identifier: EUPL-1.2

/// What can go wrong in the Woo workflow, worded for the Woo coordinator: what, where, and what to do.
public enum WooWorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No request, document or redaction by that name.
    case notFound(String)
    /// A value as given cannot be used (the message says which and why).
    case invalidInput(String)
    /// The step is not allowed in the request's state, or not by this person.
    case refused(String)
    /// Production refused: every problem that must be solved first, one per line.
    case notReady(zaaknummer: String, problems: [String])
    /// The catalog, the store or the registers could not be read or written.
    case archive(String)
    /// A stored message or attachment could not be read.
    case content(String)
    /// The production folder could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let what): return "\(what) was not found."
        case .invalidInput(let m), .refused(let m), .archive(let m), .content(let m): return m
        case .notReady(let zaak, let problems):
            let shown = problems.prefix(50).map { "  - " + $0 }
            let more = problems.count > 50 ? ["  … and \(problems.count - 50) more"] : []
            return "Woo request \(zaak) cannot be produced yet; nothing was written. Solve these first:\n"
                + (shown + more).joined(separator: "\n")
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason). Nothing was published; check the disk space and the permissions."
        }
    }
}
