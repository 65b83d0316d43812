// SPDX-License-Identifier: EUPL-1.2
import Foundation

/// Small, fast, deterministic JSON text for catalog columns and command output (string arrays and objects
/// with keys in the order given), where `JSONEncoder` would be slower and reorder nothing we control.
public enum JSONText {
    /// A JSON string literal.
    public static func string(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON array of strings.
    public static func array(_ items: [String]) -> String {
        if items.isEmpty { return "[]" }
        var out: [UInt8] = [0x5B]
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(0x2C) }
            appendString(item, to: &out)
        }
        out.append(0x5D)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a JSON array of strings (as written by ``array(_:)``); anything else gives an empty array.
    public static func decodeArray(_ text: String) -> [String] {
        guard let data = text.data(using: .utf8), let value = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return [] }
        return value.compactMap { $0 as? String }
    }

    /// A JSON value for an object member.
    public enum Value {
        case string(String), int(Int64), bool(Bool), null, raw(String), strings([String])

        var text: String {
            switch self {
            case .string(let s): return JSONText.string(s)
            case .int(let i): return String(i)
            case .bool(let b): return b ? "true" : "false"
            case .null: return "null"
            case .raw(let r): return r
            case .strings(let a): return JSONText.array(a)
            }
        }
    }

    /// A JSON object with members in the given order.
    public static func object(_ members: [(String, Value)]) -> String {
        "{" + members.map { string($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
    }

    /// Appends a JSON string literal as UTF-8 bytes (fast path for long listings: no intermediate String).
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                default: out.append(contentsOf: Array(String(format: "\\u%04x", b).utf8))
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        }
        out.append(0x22)
    }

    /// Appends raw ASCII/UTF-8 text (keys, punctuation, numbers) as bytes.
    public static func appendRaw(_ s: StaticString, to out: inout [UInt8]) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }
}
