// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenXML

/// The readable rendition of an object (`weergave.html`; Schemas/README.md, "Readable renditions"), such as that of a
/// chat conversation: it must stand on its own in the e-depot. Every link or source in it names a file in its own folder
/// that the package holds (a media file of the conversation), never a path, a URL or a missing file; and it has no
/// script, frame, embedded object, form or event handler. A rendition that fails is damaged or was altered.
enum RenditionCheck {
    static let fileName = "weergave.html"
    /// Renditions larger than this are not read whole (reported instead).
    static let limit: Int64 = 64 << 20
    static let maxFindings = 20

    /// Checks the rendition `entry` (package path `rel`) against `siblings`, the names of the files of its folder.
    static func run(_ entry: PackageEntry, rel: String, reader: any EntryReader, siblings: Set<String>) -> [Finding] {
        guard entry.size <= limit else {
            return [Finding(.rendition, path: rel, "De leesbare weergave is \(entry.size) bytes, groter dan de grens van \(limit) "
                + "bytes; haar verwijzingen zijn niet gecontroleerd.")]
        }
        let data: Data
        do { data = try reader.readAll(entry, limit: limit) } catch {
            return [Finding(.rendition, path: rel, "De leesbare weergave kan niet worden gelezen: \(error)")]
        }
        let scan = HTMLReferences.scan(data, limit: Int(limit))
        var findings: [Finding] = []
        for what in scan.active.prefix(maxFindings) {
            findings.append(Finding(.rendition, path: rel, "De leesbare weergave bevat actieve inhoud (\(what)); een "
                + "weergave in een pakket toont alleen tekst en verwijst naar bestanden ernaast."))
        }
        var problems: [String] = []
        for raw in scan.references {
            let target = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if target.isEmpty || target.hasPrefix("#") { continue }
            let decoded = target.removingPercentEncoding ?? target
            if decoded.contains(":") || decoded.contains("/") || decoded.contains("\\") || decoded == "." || decoded == ".." {
                problems.append("\"\(String(target.prefix(200)))\" verwijst buiten de map van de weergave")
            } else if !siblings.contains(decoded) || decoded == fileName {
                problems.append("\"\(String(target.prefix(200)))\" staat niet naast de weergave in het pakket")
            }
        }
        for p in problems.prefix(maxFindings) {
            findings.append(Finding(.rendition, path: rel, "Een verwijzing in de leesbare weergave klopt niet: \(p). Het object is "
                + "beschadigd of onvolledig."))
        }
        return findings
    }
}
