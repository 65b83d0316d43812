// SPDX-License-Identifier: EUPL-1.2
#if canImport(Glibc)
import Glibc
#endif

/// A failed system call's `errno`, with the system's own words for it as its description (`strerror`): what error
/// messages quote after "cannot read …:".
public struct Errno: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `errno` value.
    public let code: Int32

    public init(_ code: Int32) { self.code = code }

    /// The `errno` of the calling thread now (read it right after the call that failed).
    public static var current: Errno { Errno(errno) }

    /// The text of an `errno` value (`strerror`).
    public static func text(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// The text of the calling thread's `errno` now.
    public static var currentText: String { text(errno) }

    public var description: String { Errno.text(code) }
}
