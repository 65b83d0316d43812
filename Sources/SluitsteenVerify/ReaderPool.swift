// SPDX-License-Identifier: EUPL-1.2

/// One reader per worker thread, made once per verification (a zip reader indexes the archive when made). Used with
/// `parallelMap(count:workers:chunk:_:)` (SluitsteenSupport), which hands `readers[t]` to thread `t` alone.
struct ReaderPool {
    let readers: [any EntryReader]

    init(store: any PackageStore, workers: Int) throws {
        readers = try (0..<max(1, workers)).map { _ in try store.makeReader() }
    }
}
