// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenIngest
import Testing

/// PST/OST extraction against the samples of java-libpst, go-pst and Aspose and their readpst oracle.
@Suite(
    .enabled(if: PSTCorpus.available, "../shared/corpora with pst-oracle.json is absent: PST corpus tests skipped"),
    .enabled(if: PSTCorpus.readpstInstalled, "readpst is not installed (apt-get install pst-utils): skipped"))
struct PSTCorpusTests {
    private func extract(_ sample: PSTCorpus.Sample, allowPassword: Bool = false) throws -> (PSTExtraction, URL) {
        let work = PSTCorpus.scratch(sample.name)
        let extraction = try PSTExtractor.extract(
            file: sample.url, workDirectory: work,
            options: PSTExtractionOptions(allowPasswordProtected: allowPassword))
        return (extraction, work)
    }

    /// Every file the oracle says readpst can open, converted with our options, gives the same number of mail
    /// messages per folder as the oracle's mbox files, under the same folder names.
    @Test func countsPerFolderMatchTheOracle() throws {
        let samples = try PSTCorpus.samples().filter { $0.readpstStatus == 0 }
        #expect(samples.count >= 9)
        for sample in samples {
            let (extraction, work) = try extract(sample, allowPassword: true)
            defer { try? FileManager.default.removeItem(at: work) }

            // readpst puts everything under the store's own name; we strip it.
            let roots = Set((Array(sample.mboxCounts.keys) + Array(sample.otherOutputs.keys))
                .map { String($0.split(separator: "/").first ?? "") })
            #expect(roots.count <= 1, "\(sample.name): one top folder in the oracle")
            if let root = roots.first { #expect(extraction.storeName == root, "\(sample.name)") }

            func stripped(_ path: String) -> String {
                path.split(separator: "/").dropFirst().joined(separator: "/")
            }
            let expected = Dictionary(uniqueKeysWithValues: sample.mboxCounts.map { (stripped($0.key), $0.value) })
            let actual = Dictionary(grouping: extraction.items, by: \.folderPath).mapValues(\.count)
            #expect(actual == expected, "\(sample.name): mail per folder")
            #expect(extraction.items.count == sample.messagesTotal, "\(sample.name): total")

            // Calendar, contacts and journal output appear in exactly the folders the oracle names.
            let kindsByLeaf: [String: PSTNonMailKind] = [
                "calendar": .appointment, "contacts": .contact, "journal": .journal]
            var expectedRendered: [String: Set<PSTNonMailKind>] = [:]
            for (path, leaves) in sample.otherOutputs {
                expectedRendered[stripped(path)] = Set(leaves.compactMap { kindsByLeaf[$0] })
            }
            var actualRendered: [String: Set<PSTNonMailKind>] = [:]
            for count in extraction.notMail where !count.renderedFiles.isEmpty {
                actualRendered[count.folderPath, default: []].insert(count.kind)
            }
            #expect(actualRendered == expectedRendered, "\(sample.name): rendered non-mail")

            // Every item is accounted for, every message file exists inside the work folder.
            #expect(extraction.found == extraction.items.count
                + extraction.notMail.reduce(0) { $0 + $1.count } + extraction.failures.count)
            for item in extraction.items {
                #expect(FileManager.default.fileExists(atPath: item.file.path))
                #expect(item.file.path.hasPrefix(work.path))
            }
        }
    }

    /// Known folder structure: the OST's nested folders come out as `Inbox/sub1` and `Inbox/sub2`, positions
    /// within a folder are distinct, and the order is folder path, then position.
    @Test func folderPathsAndOrder() throws {
        let sample = try PSTCorpus.sample(named: "SampleOstFile.ost")
        let (extraction, work) = try extract(sample)
        defer { try? FileManager.default.removeItem(at: work) }
        let folders = Set(extraction.items.map(\.folderPath))
        #expect(folders == ["Deleted Items", "Sync Issues", "Sent Items", "Inbox", "Inbox/sub1", "Inbox/sub2"])
        let keys = extraction.items.map { "\($0.folderPath)\u{0}\($0.position)" }
        #expect(Set(keys).count == keys.count)
        let sorted = extraction.items.sorted { ($0.folderPath, $0.position) < ($1.folderPath, $1.position) }
        #expect(sorted.map(\.file) == extraction.items.map(\.file))
        #expect(!extraction.passwordProtected)
    }

    /// The file Aspose ships as unreadable: readpst cannot find its root record.
    @Test func damagedFileFailsCleanly() throws {
        let sample = try PSTCorpus.sample(named: "AddingBulkMessagesWithImprovedPerformance.pst")
        #expect(sample.readpstStatus != 0)
        let work = PSTCorpus.scratch("damaged")
        defer { try? FileManager.default.removeItem(at: work) }
        do {
            _ = try PSTExtractor.extract(file: sample.url, workDirectory: work)
            Issue.record("a damaged PST was accepted")
        } catch {
            guard case .damaged(let file, let detail) = error else {
                Issue.record("wrong error: \(error)")
                return
            }
            #expect(file == sample.name)
            #expect(detail.contains("root record"))
            #expect(error.description.contains(sample.name))
        }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: work.path))?.isEmpty ?? true)
    }

    /// Both password-protected samples are refused by default, before anything is written, although readpst
    /// itself would read them; with the archivist's consent they convert as the oracle says.
    @Test func passwordProtectedFilesAreRefused() throws {
        let protected = try PSTCorpus.samples().filter(\.isPasswordProtected)
        #expect(protected.map(\.name).sorted() == ["passworded.pst", "passwordprotectedPST.pst"])
        for sample in protected {
            let work = PSTCorpus.scratch("password")
            defer { try? FileManager.default.removeItem(at: work) }
            do {
                _ = try PSTExtractor.extract(file: sample.url, workDirectory: work)
                Issue.record("\(sample.name): a password-protected PST was accepted")
            } catch {
                #expect(error == .passwordProtected(file: sample.name))
                #expect(error.description.contains("password"))
            }
            #expect((try? FileManager.default.contentsOfDirectory(atPath: work.path))?.isEmpty ?? true)

            let (allowed, allowedWork) = try extract(sample, allowPassword: true)
            defer { try? FileManager.default.removeItem(at: allowedWork) }
            #expect(allowed.passwordProtected)
            #expect(allowed.items.count == sample.messagesTotal)
        }
    }

    /// A copy cut off halfway is refused with the sizes, without running readpst.
    @Test func truncatedCopyFailsCleanly() throws {
        let sample = try PSTCorpus.sample(named: "Outlook.pst")
        let folder = PSTCorpus.scratch("truncated")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cut = folder.appendingPathComponent("Outlook-cut.pst")
        try Data(contentsOf: sample.url).prefix(1_000_000).write(to: cut)
        do {
            _ = try PSTExtractor.extract(file: cut, workDirectory: folder.appendingPathComponent("out"))
            Issue.record("a truncated PST was accepted")
        } catch {
            #expect(error == .truncated(file: "Outlook-cut.pst", size: 1_000_000, declaredSize: 3_318_784))
        }
    }

    /// Two conversions (necessarily at different moments, so readpst's clock-seeded boundaries differ) give the
    /// same items with byte-identical message files.
    @Test func extractionIsDeterministic() throws {
        let sample = try PSTCorpus.sample(named: "Outlook.pst")
        let (first, firstWork) = try extract(sample)
        defer { try? FileManager.default.removeItem(at: firstWork) }
        let (second, secondWork) = try extract(sample)
        defer { try? FileManager.default.removeItem(at: secondWork) }

        func relative(_ item: PSTItem, _ base: URL) -> String { String(item.file.path.dropFirst(base.path.count)) }
        #expect(first.items.count == 14)
        #expect(first.items.map { [$0.folderPath, "\($0.position)", relative($0, firstWork)] }
            == second.items.map { [$0.folderPath, "\($0.position)", relative($0, secondWork)] })
        #expect(first.items.map(\.kind) == second.items.map(\.kind))
        #expect(first.items.map(\.flags) == second.items.map(\.flags))
        #expect(first.notMail.map(\.count) == second.notMail.map(\.count))
        for (a, b) in zip(first.items, second.items) {
            let bytes = try Data(contentsOf: a.file)
            #expect(bytes == (try Data(contentsOf: b.file)), "\(a.folderPath) #\(a.position)")
            // readpst's random boundary numbers are gone: only small ordinal numbers remain.
            let text = String(decoding: bytes, as: UTF8.self)
            for part in text.components(separatedBy: "boundary-LibPST-iamunique-").dropFirst() {
                let digits = part.prefix { $0.isNumber }
                #expect(digits.count <= 2, "\(a.folderPath) #\(a.position): \(digits)")
            }
        }
    }

    /// The non-mail items of Outlook.pst are all accounted for: hidden folder settings are counted, appointments
    /// and contacts are rendered, and found adds up.
    @Test func nonMailIsCounted() throws {
        let sample = try PSTCorpus.sample(named: "Outlook.pst")
        let (extraction, work) = try extract(sample)
        defer { try? FileManager.default.removeItem(at: work) }
        let calendar = extraction.notMail.filter { $0.folderPath == "Calendar" }
        #expect(calendar.contains { $0.kind == .appointment && $0.rendered && $0.count >= 1 })
        #expect(calendar.contains { $0.kind == .folderSettings && !$0.rendered })
        for count in extraction.notMail where count.kind == .appointment {
            for file in count.renderedFiles {
                #expect(file.pathExtension == "ics")
                #expect(String(decoding: try Data(contentsOf: file), as: UTF8.self).hasPrefix("BEGIN:VCALENDAR"))
            }
        }
        #expect(extraction.failures.isEmpty)
        #expect(extraction.found == extraction.items.count + extraction.notMail.reduce(0) { $0 + $1.count })
    }

    /// A file that is not a PST at all, whatever its name.
    @Test func nonPSTWithPSTExtensionIsRefused() throws {
        let folder = PSTCorpus.scratch("notpst")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = folder.appendingPathComponent("mailbox.pst")
        try Data("From a@b Mon Jan  1 00:00:00 2024\n\nhello\n".utf8).write(to: fake)
        #expect(throws: PSTError.notAPSTFile(file: "mailbox.pst")) {
            try PSTExtractor.extract(file: fake, workDirectory: folder.appendingPathComponent("out"))
        }
        let realWithOtherName = try PSTCorpus.sample(named: "SampleOstFile.ost")
        #expect(PSTFile.hasSignature(at: realWithOtherName.url))
    }
}
