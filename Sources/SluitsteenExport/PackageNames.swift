// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenHashing

/// File and folder names inside a transfer package (NA SIP rules): only `A–Z a–z 0–9 . _ - @ ( ) + , =`, no
/// space or `< > : " / \ | ? * # &`, no leading or trailing dot, bounded lengths so that every full path stays
/// within 255 characters, and unique (message folders carry part of the message's SHA-256).
///
/// Budget (in bytes, all ASCII): serie ≤ 40, dossier ≤ 64, message folder ≤ 64, attachment name ≤ 64;
/// the longest path, `serie/dossier/msg/msg.eml.bestand.mdto.xml`, is then at most 40+1+64+1+64+1+64+21 = 256,
/// so the message name is capped at 63 (longest path 253). Shortening is deterministic (a prefix plus a hash of
/// the full name).
public enum PackageNames {
    public static let serieMax = 40
    public static let dossierMax = 64
    public static let messageMax = 63
    public static let attachmentMax = 64
    /// The longest full path allowed by the NA SIP specification.
    public static let maxPath = 255

    /// `text` reduced to the allowed characters: accents removed, everything else becomes `_`, runs collapsed,
    /// no `_`/`.`/`-` at either end. Empty input gives `fallback`.
    public static func slug(_ text: String, fallback: String) -> String {
        // ASCII has no accents to fold and is its own canonical form: most subjects skip Foundation's two passes.
        let folded = text.utf8.allSatisfy { $0 < 0x80 } ? text
            : text.precomposedStringWithCanonicalMapping.folding(options: .diacriticInsensitive, locale: nil)
        var out = ""
        var lastUnderscore = false
        for scalar in folded.unicodeScalars {
            let ok = (scalar.value >= 0x30 && scalar.value <= 0x39) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
                || (scalar.value >= 0x61 && scalar.value <= 0x7A) || "._-@()+,=".unicodeScalars.contains(scalar)
            if ok {
                out.unicodeScalars.append(scalar)
                lastUnderscore = false
            } else if !lastUnderscore {
                out.append("_")
                lastUnderscore = true
            }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "_.-"))
        return trimmed.isEmpty ? fallback : trimmed
    }

    /// `name` cut to at most `max` bytes; when cut, it ends in `-` and 8 hex characters of the SHA-256 of the
    /// full name, so different long names stay different.
    public static func bounded(_ name: String, max: Int) -> String {
        guard name.utf8.count > max else { return name }
        let tag = String(Digest.hex(Data(name.utf8)).prefix(8))
        let keep = max - 9
        let prefix = String(name.prefix(keep)).trimmingCharacters(in: CharacterSet(charactersIn: "_.-"))
        return prefix + "-" + tag
    }

    /// Folder name of a message: `YYYY-MM-DD_<subject>_<12 hex of the SHA-256>`.
    public static func message(date: String, subject: String, sha256: String) -> String {
        let tail = "_" + sha256.prefix(12)
        let head = date + "_"
        let room = messageMax - head.utf8.count - tail.utf8.count
        var s = slug(subject, fallback: "zonder-onderwerp")
        if s.utf8.count > room { s = String(s.prefix(room)).trimmingCharacters(in: CharacterSet(charactersIn: "_.-")) }
        if s.isEmpty { s = "bericht" }
        return head + s + tail
    }

    /// Name of an extracted attachment: `bijlage-N_<name>` (extension kept when it is short and plain).
    public static func attachment(index: Int, filename: String?, fallbackExtension: String) -> String {
        let prefix = String(format: "bijlage-%02d", index)
        guard let filename, !filename.isEmpty else { return prefix + "." + fallbackExtension }
        var base = slug(filename, fallback: "bijlage")
        var ext = ""
        if let dot = base.lastIndex(of: "."), base.distance(from: dot, to: base.endIndex) <= 9, dot != base.startIndex {
            ext = String(base[dot...])
            base = String(base[..<dot]).trimmingCharacters(in: CharacterSet(charactersIn: "_.-"))
        }
        if ext.isEmpty { ext = "." + fallbackExtension }
        let room = attachmentMax - prefix.utf8.count - 1 - ext.utf8.count
        if base.utf8.count > room { base = String(base.prefix(room)).trimmingCharacters(in: CharacterSet(charactersIn: "_.-")) }
        return base.isEmpty ? prefix + ext : prefix + "_" + base + ext
    }
}
