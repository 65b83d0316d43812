// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// How far a text-index run has come, reported after every batch.
public struct TextIndexProgress: Sendable {
    public var messages: Int
    public var pending: Int
    public var elapsed: TimeInterval
}

/// The account of one text-index run.
public struct TextIndexSummary: Sendable, Equatable {
    /// Messages added to the index in this run.
    public var messages = 0
    /// Their stored size in bytes.
    public var bytes: Int64 = 0
}
