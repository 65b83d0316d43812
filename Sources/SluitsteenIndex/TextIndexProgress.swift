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
    /// Of them, messages read in full in this run (ingest had read only their header block).
    public var parsed = 0
    /// Of those, messages the full reading flags (a defect, a synthetic Message-ID, or a date not from the Date header).
    public var flagged = 0
}
