// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Errors of the retention stage (registers, opt-outs, hotspots, holds, plans), worded for a records manager.
public enum RetentionError: Error, CustomStringConvertible, Sendable {
    case archive(String)
    case policy(String)
    case registers([String])
    case noRegisters
    case refused(String)
    case notFound(String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case .archive(let m), .policy(let m), .refused(let m): return m
        case .registers(let lines): return "the registers were not imported:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
        case .noRegisters:
            return "no registers have been imported yet; run `sluitsteen register import people.csv roles.csv mailboxes.csv` first."
        case .notFound(let what): return "\(what) was not found."
        case .invalidInput(let m): return m
        }
    }
}
