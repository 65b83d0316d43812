// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenTestSupport
import Testing

/// The README's tour is true: every command in it runs as shown, in order, in a fresh demo archive, and prints what the
/// README says it prints.
///
/// The tour's code blocks are read as a reader would type them: `$ sluitsteen …` runs the built tool (continuation
/// lines end in `\`, a comment after two spaces and `#` is not part of the command), `$ export NAME=VALUE` sets the
/// environment for the commands after it (the demo archive's replayed clock), and the lines after a command up to the
/// next one are its output: each must appear in what the command printed, where `…` stands for text left out. A command
/// whose shown output starts with `Error:` must fail; every other command must succeed. The commands run in a scratch
/// folder in which `Fixtures` is the package's own.
@Suite("The README's tour runs as written")
struct ReadmeTourTests {
    struct Step {
        var line: Int
        var words: [String]
        var expected: [String]
    }

    /// The tour's steps: the code blocks between `## A tour` and the next `## ` heading.
    static func steps(_ readme: String) throws -> [Step] {
        let lines = readme.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "## A tour") else { throw TourError("README.md has no '## A tour' section") }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.count
        var steps: [Step] = []
        var inBlock = false
        var index = start + 1
        while index < end {
            let line = lines[index]
            if line.hasPrefix("```") {
                inBlock.toggle()
                index += 1
                continue
            }
            guard inBlock else { index += 1; continue }
            if line.hasPrefix("$ ") {
                var command = String(line.dropFirst(2))
                let first = index + 1
                while command.hasSuffix("\\"), index + 1 < end {
                    command = String(command.dropLast()) + " " + lines[index + 1].trimmingCharacters(in: .whitespaces)
                    index += 1
                }
                if let comment = command.range(of: #"\s{2,}#.*$"#, options: .regularExpression) { command.removeSubrange(comment) }
                steps.append(Step(line: first, words: try Self.words(command, line: first), expected: []))
            } else if !steps.isEmpty, !line.trimmingCharacters(in: .whitespaces).isEmpty {
                steps[steps.count - 1].expected.append(line)
            }
            index += 1
        }
        return steps
    }

    /// Splits a command line into words as a POSIX shell does for plain words and single- or double-quoted strings.
    static func words(_ command: String, line: Int) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for ch in command {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                inWord = true
            } else if ch == " " || ch == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(ch)
                inWord = true
            }
        }
        guard quote == nil else { throw TourError("README.md line \(line): unclosed quote in `\(command)`") }
        if inWord { words.append(current) }
        return words
    }

    struct TourError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The tour ends with an MDTO export, which needs the official XSD in `Schemas/` (`make schemas`).
    static let runnable = CLI.available
        && FileManager.default.fileExists(atPath: PackagePaths.schemas.appendingPathComponent("MDTO-XML1.0.1.xsd").path)

    @Test("Every command of the tour runs as shown and prints what the README shows",
          .enabled(if: runnable, "the sluitsteen binary is not built, or Schemas/ lacks the MDTO XSD (run `make schemas`)"))
    func tourRunsAsWritten() throws {
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let steps = try Self.steps(readme)
        #expect(steps.count >= 20, "the tour should show the whole job; found \(steps.count) commands")
        let scratch = try TemporaryDirectory("tour")
        try FileManager.default.createSymbolicLink(at: scratch.appending("Fixtures"), withDestinationURL: PackagePaths.fixtures)
        var environment: [String: String?] = ["SLUITSTEEN_HOME": nil, "SLUITSTEEN_NOW": nil, "SLUITSTEEN_TEST_KILL": nil]
        var ran = 0
        for step in steps {
            guard let program = step.words.first else { continue }
            if program == "export", step.words.count == 2, let eq = step.words[1].firstIndex(of: "=") {
                environment[String(step.words[1][..<eq])] = String(step.words[1][step.words[1].index(after: eq)...])
                continue
            }
            try #require(program == "sluitsteen", "README.md line \(step.line): the tour runs only sluitsteen and export, not \(program)")
            let result = try Subprocess.run(PackagePaths.binary, Array(step.words.dropFirst()), environment: environment, in: scratch.url)
            ran += 1
            let printed = result.out + result.err
            let shown = "README.md line \(step.line): sluitsteen \(step.words.dropFirst().joined(separator: " "))"
            if step.expected.first?.hasPrefix("Error:") == true {
                #expect(result.status != 0, "\(shown) should be refused; it printed:\n\(printed)")
            } else {
                #expect(result.status == 0, "\(shown) failed (exit \(result.status)):\n\(printed)")
            }
            for expected in step.expected {
                let fragments = expected.components(separatedBy: "…").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                for fragment in fragments where !printed.contains(fragment) {
                    Issue.record("\(shown): the README shows «\(fragment)», which the command did not print. It printed:\n\(printed)")
                }
            }
        }
        #expect(ran == steps.filter { $0.words.first == "sluitsteen" }.count)
    }

    @Test("The tour reader splits words and continuation lines as a shell does")
    func parsing() throws {
        let readme = """
            ## A tour
            ```
            $ sluitsteen hold add --woo 'Z 1' --zaak "Z-2" \\
                  --terms "N210,Brug Krimpen"   # a comment
            Woo hold … in force
            $ export SLUITSTEEN_NOW=2033-06-01T09:00:00Z
            ```
            ## Next
            ```
            $ sluitsteen not-in-the-tour
            ```
            """
        let steps = try Self.steps(readme)
        #expect(steps.count == 2)
        #expect(steps.first?.words == ["sluitsteen", "hold", "add", "--woo", "Z 1", "--zaak", "Z-2", "--terms", "N210,Brug Krimpen"])
        #expect(steps.first?.expected == ["Woo hold … in force"])
        #expect(steps.last?.words == ["export", "SLUITSTEEN_NOW=2033-06-01T09:00:00Z"])
        #expect(throws: TourError.self) { try Self.words("sluitsteen 'open", line: 1) }
    }

    @Test("The README names every Debian package `make deps` installs, and the Swift tools version the package needs")
    func readmeNamesWhatItNeeds() throws {
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let makefile = try String(contentsOf: PackagePaths.root.appendingPathComponent("Makefile"), encoding: .utf8)
        // DEBIAN_PACKAGES := a b \ (continued over lines ending in a backslash)
        var packages: [String] = []
        var reading = false
        for line in makefile.components(separatedBy: "\n") {
            if line.hasPrefix("DEBIAN_PACKAGES") { reading = true }
            guard reading else { continue }
            let words = line.replacingOccurrences(of: "DEBIAN_PACKAGES", with: "").replacingOccurrences(of: ":=", with: "")
                .split(separator: " ").map(String.init).filter { $0 != "\\" }
            packages += words
            if !line.hasSuffix("\\") { break }
        }
        #expect(packages.count >= 10, "DEBIAN_PACKAGES not found in the Makefile")
        for package in packages {
            #expect(readme.contains(package), "the README does not name the Debian package \(package) that make deps installs")
        }
        let manifest = try String(contentsOf: PackagePaths.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let tools = try #require(manifest.firstMatch(of: /swift-tools-version:\s*([0-9.]+)/)?.1)
        #expect(readme.contains("Swift \(tools)"), "the README does not name Swift \(tools), the tools version of Package.swift")
    }
}
