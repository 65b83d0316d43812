// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenVerify

/// `sluitsteen verify PACKAGE` / `sluitsteen verify --sidecar FILE...`: the auditor's check of a transfer package.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an MDTO transfer package (folder, .tar, .zip or BagIt bag) with nothing but the package.",
        discussion: """
            Exit status: 0 when every check passed, 1 when the package fails a check, 2 when the package (or the \
            schema needed to judge it) cannot be read at all. Failures are listed by file, with a stable check id.
            """)

    @Argument(help: "The package (folder, .tar, .zip, BagIt bag); with --sidecar, one or more MDTO files.")
    var inputs: [String]

    @Flag(help: "Check single MDTO files (schema and MDTO rules) instead of a package.")
    var sidecar = false

    @Flag(help: "Print the result as JSON instead of the summary.")
    var json = false

    @Option(help: ArgumentHelp("Also write a Dutch HTML report to this file.", valueName: "FILE.html"))
    var report: String?

    @Option(help: ArgumentHelp("The MDTO 1.0.1 XSD (default: Schemas/MDTO-XML1.0.1.xsd).", valueName: "XSD"))
    var schema: String?

    @Option(help: ArgumentHelp("The pakbon XSD (default: Schemas/sluitsteen-pakbon-1.0.xsd).", valueName: "XSD"))
    var pakbonSchema: String?

    @Option(help: ArgumentHelp(
        "Policy file: also check that every informatieobject has waardering B.", valueName: "FILE"))
    var policy: String?

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("Name the package to verify.") }
        if !sidecar && inputs.count != 1 {
            throw ValidationError("Give exactly one package, or use --sidecar for several MDTO files.")
        }
    }

    func run() throws {
        var options = VerifyOptions(
            schema: schema.map { URL(fileURLWithPath: $0) },
            pakbonSchema: pakbonSchema.map { URL(fileURLWithPath: $0) })
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
            do {
                try Data(ReportRendering.html(result).utf8).write(to: URL(fileURLWithPath: report), options: .atomic)
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
