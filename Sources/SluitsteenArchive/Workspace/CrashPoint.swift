// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
#if canImport(Glibc)
import Glibc
#endif

/// Deliberate crash points for crash-safety tests: when `SLUITSTEEN_TEST_KILL` is `NAME:N`, the process sends
/// itself SIGKILL the N-th time it passes the point called NAME. Real SIGKILL, no cleanup handlers run.
public enum CrashPoint {
    private static let spec: (String, Int)? = {
        guard let raw = ProcessInfo.processInfo.environment["SLUITSTEEN_TEST_KILL"] else { return nil }
        let parts = raw.split(separator: ":")
        guard parts.count == 2, let n = Int(parts[1]) else { return nil }
        return (String(parts[0]), n)
    }()
    private static let passes = Locked(0)

    /// Whether a test asked to be killed at `name` (lets a caller set up what the crash point needs).
    public static func isArmed(_ name: String) -> Bool { spec?.0 == name }

    /// Passes the crash point `name`.
    public static func pass(_ name: String) {
        guard let spec, spec.0 == name else { return }
        if passes.withLock({ n in n += 1; return n }) == spec.1 { kill(getpid(), SIGKILL) }
    }
}
