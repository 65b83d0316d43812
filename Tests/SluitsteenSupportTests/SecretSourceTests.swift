// SPDX-License-Identifier: EUPL-1.2
import Foundation
import SluitsteenSupport
import SluitsteenTestSupport
import Testing

/// The one reader of secrets that configurations name (the web service's client secret, capture's passwords).
@Suite("Secrets from a file or the environment")
struct SecretSourceTests {
    @Test("A file's secret without its white space; an empty, missing or unset source is named, never a value")
    func readsAndRefuses() throws {
        let folder = try TemporaryDirectory("secret")
        let file = folder.appending("secret")
        try "  s3cr3t-Waarde \n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try SecretSource.file(file).value() == "s3cr3t-Waarde")
        #expect(try SecretSource.environment("SLS_SECRET").value(environment: ["SLS_SECRET": " token\n"]) == "token")
        let empty = folder.appending("empty")
        try " \n".write(to: empty, atomically: true, encoding: .utf8)
        #expect(throws: SecretSource.Failure.empty(path: empty.path)) { try SecretSource.file(empty).value() }
        let missing = folder.appending("missing")
        #expect(throws: SecretSource.Failure.unreadable(path: missing.path)) { try SecretSource.file(missing).value() }
        #expect(throws: SecretSource.Failure.unset(name: "SLS_SECRET")) {
            try SecretSource.environment("SLS_SECRET").value(environment: ["SLS_SECRET": "  "])
        }
        #expect(SecretSource.environment("SLS_SECRET").description == "environment variable SLS_SECRET")
    }
}
