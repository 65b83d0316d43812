// SPDX-License-Identifier: EUPL-1.2
import GRDB

/// Where an ingest batch stands (`ingestBatch.status`; the catalog refuses any other value): `running` while its ingest
/// runs, then `complete` or `failed`; `interrupted` when a later ingest found it still running (the process was
/// killed); `withdrawn` by `sluitsteen ingest undo`.
public enum BatchStatus: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case running, complete, interrupted, failed, withdrawn
}
