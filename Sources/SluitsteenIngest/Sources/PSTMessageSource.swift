// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenArchive

/// Hands out the mail items of a PST/OST, as converted by readpst, in the extraction's order.
///
/// Each item is one RFC 5322 message; its PST folder path, position, categories and read state travel with it,
/// so PST mail goes through exactly the same catalog path as mbox, Maildir and EML.
struct PSTMessageSource: MessageSource {
    let extraction: PSTExtraction
    let sourceFile: String
    private var index = 0
    let expectedBytes: Int64?
    var notices: [String]

    let inMemoryLimit: Int

    init(extraction: PSTExtraction, sourceFile: String, inMemoryLimit: Int = ContentStore.defaultInMemoryLimit) {
        self.inMemoryLimit = inMemoryLimit
        self.extraction = extraction
        self.sourceFile = sourceFile
        expectedBytes = nil
        notices = extraction.unopenedFolders.map {
            "\(sourceFile): folder '\($0.folderPath)' could not be opened by readpst: \($0.reason)"
        }
        for item in extraction.items {
            for w in item.warnings { notices.append("\(sourceFile): \(item.folderPath) #\(item.position): \(w)") }
        }
    }

    mutating func next() throws(IngestError) -> RawMessage? {
        guard index < extraction.items.count else { return nil }
        let item = extraction.items[index]
        index += 1
        let content: RawMessage.Content
        do throws(IngestError) { content = try RawMessage.Content.of(file: item.file, inMemoryLimit: inMemoryLimit) } catch {
            throw .unreadable(item.file.path, reason: "readpst's output for \(item.folderPath) #\(item.position) disappeared")
        }
        var flags: [String] = []
        if item.flags.contains(.read) { flags.append("seen") }
        if item.kind != .mail { flags.append(item.kind.rawValue) }
        var message = RawMessage(content: content, folder: item.folderPath, sourceFile: sourceFile, position: item.position,
                                 keywords: item.keywords, flags: flags, deliveryTime: item.ownTime)
        message.deliveryTimeSource = .pstItem
        return message
    }
}

