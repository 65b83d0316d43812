// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenSupport
import SluitsteenVerify
import SluitsteenXML

/// `sluitsteen verify PACKAGE` / `sluitsteen verify --sidecar FILE...`: the auditor's check of a transfer package.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an MDTO transfer package (folder, .tar, .zip or BagIt bag) with nothing but the package.",
        discussion: """
            Exit status: 0 when every check passed, 1 when the package fails a check (including a package hash other \
            than --expect-hash), 2 when the package (or the schema needed to judge it) cannot be read at all. Failures \
            are listed by file, with a stable check id. The pakbon schema is built in; the MDTO XSD is found with \
            --schema, else $SLUITSTEEN_MDTO_XSD, else Schemas/MDTO-XML1.0.1.xsd. The HTML report (--report) is dated \
            and names the verifier (--by, --role) for filing.
            """)

    @Argument(help: "The package (folder, .tar, .zip, BagIt bag); with --sidecar, one or more MDTO files.")
    var inputs: [String]

    @Flag(help: "Check single MDTO files (schema and MDTO rules) instead of a package.")
    var sidecar = false

    @Flag(help: "Print the result as JSON instead of the summary.")
    var json = false

    @Option(help: ArgumentHelp("Also write a Dutch HTML report to this file.", valueName: "FILE.html"))
    var report: String?

    @Option(help: ArgumentHelp("The MDTO 1.0.1 XSD (default: $SLUITSTEEN_MDTO_XSD, else Schemas/MDTO-XML1.0.1.xsd).", valueName: "XSD"))
    var schema: String?

    @Option(help: ArgumentHelp("The pakbon XSD (default: the pakbon 1.0 schema built into sluitsteen).", valueName: "XSD"))
    var pakbonSchema: String?

    @Option(help: ArgumentHelp(
        "The package hash the export named (sluitsteen export, transfer list, the verklaring van overbrenging): a package "
            + "whose hash differs fails.", valueName: "HEX"))
    var expectHash: String?

    @Option(help: ArgumentHelp("Who verifies, as the dated HTML report names them.", valueName: "NAME"))
    var by: String?

    @Option(help: ArgumentHelp("The verifier's role in the report.", valueName: "ROLE"))
    var role: String = "auditor"

    @Option(help: ArgumentHelp(
        "Policy file: also check that every informatieobject has waardering B.", valueName: "FILE"))
    var policy: String?

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("Name the package to verify.") }
        if !sidecar && inputs.count != 1 {
            throw ValidationError("Give exactly one package, or use --sidecar for several MDTO files.")
        }
        if let expectHash {
            guard expectHash.count == 64, expectHash.allSatisfy(\.isHexDigit) else {
                throw ValidationError("--expect-hash takes the package hash: 64 hexadecimal characters (SHA-256).")
            }
            guard !sidecar else { throw ValidationError("--expect-hash checks a whole package, not --sidecar files.") }
        }
        if let by, by.trimmingCharacters(in: .whitespaces).isEmpty || by.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            throw ValidationError("--by takes the verifier's name (no line breaks or control characters).")
        }
    }

    func run() throws {
        var options = VerifyOptions(
            schema: schema.map { URL(fileURLWithPath: $0) },
            pakbonSchema: pakbonSchema.map { URL(fileURLWithPath: $0) })
        options.expectedHash = expectHash
        if let policy {
            guard FileManager.default.isReadableFile(atPath: policy) else {
                printError("\(policy): the policy file cannot be read.")
                throw ExitCode(2)
            }
            options.requireWaarderingB = true
        }
        let result: VerificationReport
        do {
            let urls = inputs.map { URL(fileURLWithPath: $0) }
            result = sidecar
                ? try PackageVerifier.verify(sidecars: urls, options: options)
                : try PackageVerifier.verify(package: urls[0], options: options)
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        if json {
            FileHandle.standardOutput.write(ReportRendering.json(result))
            print("")
        } else {
            print(ReportRendering.text(result), terminator: "")
        }
        if let report {
            let clock = try standaloneClock()
            do {
                let verifier = DocumentFrame.Person(name: by?.trimmingCharacters(in: .whitespaces) ?? "niet opgegeven (sluitsteen verify --by NAAM)",
                                                    role: DutchWords.role(role))
                let context = ReportRendering.Context(madeAt: clock.now(), verifier: verifier, replayedClock: clock.fixed != nil)
                try Data(ReportRendering.html(result, context: context).utf8).write(to: URL(fileURLWithPath: report), options: .atomic)
            } catch {
                printError("cannot write the report \(report): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        if !result.passed { throw ExitCode(1) }
    }

    /// Errors name paths from the command line or inside a package: control characters are shown escaped.
    private func printError(_ message: String) {
        FileHandle.standardError.write(Data("sluitsteen: error: \(DisplayText.visible(message))\n".utf8))
    }
}
