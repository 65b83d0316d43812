import SluitsteenSupport
import Testing

@Suite("Text helpers: HTML, JSON, CSV")
struct TextTests {
    /// A `<` followed by a combining mark is one Character, not equal to "<": escaping per Character let it through
    /// into the HTML, where a browser reads it as the start of a tag.
    @Test func htmlEscapingCoversAMarkupCharacterWithACombiningMark() {
        let hostile = "<\u{338}script>alert(1)</script\u{301}>\"\u{301}&\u{301}"
        let escaped = HTML.escape(hostile)
        #expect(!escaped.unicodeScalars.contains("<"))
        #expect(!escaped.unicodeScalars.contains(">"))
        #expect(!escaped.unicodeScalars.contains("\""))
        #expect(escaped.hasPrefix("&lt;\u{338}script&gt;"))
        #expect(HTML.escape("Tom & Jerry's <b>") == "Tom &amp; Jerry&#39;s &lt;b&gt;")
    }

    @Test func jsonStringsEscapeQuotesAndControls() {
        #expect(JSONText.string("a\"b\\c\nd\u{1}") == "\"a\\\"b\\\\c\\nd\\u0001\"")
        #expect(JSONText.decodeArray(JSONText.array(["x", "y,z", "\u{1B}"])) == ["x", "y,z", "\u{1B}"])
    }

    @Test func csvReadsQuotedFieldsWithCommasAndLineBreaks() throws {
        let table = try CSVTable(text: "A, b\r\n\"x, y\",\"line\nbreak\"\n\"say \"\"hi\"\"\",z\n")
        #expect(table.header == ["a", "b"])
        #expect(table.records.map(\.fields) == [["x, y", "line\nbreak"], ["say \"hi\"", "z"]])
        #expect(table.records.map(\.line) == [2, 4])
        #expect(throws: CSVTable.SyntaxError.self) { try CSVTable(text: "a\n\"open") }
    }
}
