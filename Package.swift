// swift-tools-version:6.1
// SPDX-License-Identifier: EUPL-1.2
import PackageDescription

/// Sluitsteen: Capstone e-mail retention and MDTO transfer for Dutch government bodies. Linux only (Debian): the
/// code calls glibc directly.
///
/// One library target per pipeline stage (ingest → archive → index → retention → destroy / export; verify apart),
/// a MIME layer (the only user of GMime), shared machinery in SluitsteenSupport, thin C shims for GMime, libxml2,
/// OpenSSL's libcrypto and Linux's syncfs, and one executable that only parses and prints. Dependencies point down:
/// no target uses one that uses it.
let package = Package(
    name: "Sluitsteen",
    products: [
        .executable(name: "sluitsteen", targets: ["sluitsteen"]),
        .library(name: "SluitsteenSupport", targets: ["SluitsteenSupport"]),
        .library(name: "SluitsteenMIME", targets: ["SluitsteenMIME"]),
        .library(name: "SluitsteenArchive", targets: ["SluitsteenArchive"]),
        .library(name: "SluitsteenIngest", targets: ["SluitsteenIngest"]),
        .library(name: "SluitsteenIndex", targets: ["SluitsteenIndex"]),
        .library(name: "SluitsteenPolicy", targets: ["SluitsteenPolicy"]),
        .library(name: "SluitsteenRetention", targets: ["SluitsteenRetention"]),
        .library(name: "SluitsteenDestroy", targets: ["SluitsteenDestroy"]),
        .library(name: "SluitsteenExport", targets: ["SluitsteenExport"]),
        .library(name: "SluitsteenVerify", targets: ["SluitsteenVerify"]),
        .library(name: "SluitsteenWeb", targets: ["SluitsteenWeb"]),
        .library(name: "SluitsteenPDF", targets: ["SluitsteenPDF"]),
        .library(name: "SluitsteenWoo", targets: ["SluitsteenWoo"]),
        .library(name: "SluitsteenCapture", targets: ["SluitsteenCapture"]),
        .library(name: "SluitsteenChat", targets: ["SluitsteenChat"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // The web service (`sluitsteen serve`): HTTP server, sessions, ID-token verification. No default traits of
        // Hummingbird (swift-configuration is not needed: the service reads its own TOML), to keep the build lean.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.0.0"),
        // Hummingbird's own lifecycle package; the web tests stop their service gracefully through it.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
    ],
    targets: [
        // C shims: each C library is reached only through these and one Swift wrapper each.
        .systemLibrary(
            name: "CGMime", pkgConfig: "gmime-3.0",
            providers: [.apt(["libgmime-3.0-dev"])]),
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "COpenSSLCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSluitsteenSystem"),
        // cairo writes the PDFs, pango lays out their text (pangocairo's flags carry cairo, pango and fontconfig).
        .systemLibrary(
            name: "CCairo", pkgConfig: "pangocairo",
            providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        // libetpan, the IMAP client of live capture (linked by name: its pkg-config file carries a Debian link spec).
        .systemLibrary(name: "CEtpan", providers: [.apt(["libetpan-dev"])]),

        // Shared machinery (no other Sluitsteen target): locked values, parallel map, the pipeline stages, file
        // descriptors, errno text, HTML/JSON/CSV text, the calendar.
        .target(name: "SluitsteenSupport", dependencies: ["CSluitsteenSystem"]),

        // Primitives shared by export and verify (and nothing else of theirs).
        .target(name: "SluitsteenHashing", dependencies: ["COpenSSLCrypto"]),
        .target(name: "SluitsteenXML", dependencies: ["CLibXML2", "SluitsteenHashing", "SluitsteenSupport"]),

        // The MIME layer: the only target that reads GMime (parsing, text, attachments).
        .target(name: "SluitsteenMIME", dependencies: ["CGMime", "SluitsteenSupport"]),

        // Pipeline stages, each using only targets above it.
        .target(
            name: "SluitsteenArchive",
            dependencies: ["SluitsteenSupport", "SluitsteenHashing", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .target(
            name: "SluitsteenPolicy",
            dependencies: ["SluitsteenSupport", .product(name: "TOMLKit", package: "TOMLKit")],
            resources: [.copy("Resources/krimpenerwaard.toml")]),
        .target(
            name: "SluitsteenIngest",
            dependencies: ["SluitsteenArchive", "SluitsteenMIME", "SluitsteenSupport", "SluitsteenHashing",
                           .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "SluitsteenIndex",
            dependencies: ["SluitsteenArchive", "SluitsteenMIME", "SluitsteenPolicy", "SluitsteenSupport",
                           .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "SluitsteenRetention",
            dependencies: ["SluitsteenArchive", "SluitsteenIndex", "SluitsteenPolicy", "SluitsteenSupport"]),
        .target(
            name: "SluitsteenDestroy",
            dependencies: ["SluitsteenArchive", "SluitsteenPolicy", "SluitsteenRetention", "SluitsteenSupport"]),
        .target(
            name: "SluitsteenExport",
            dependencies: [
                "SluitsteenArchive", "SluitsteenPolicy", "SluitsteenRetention", "SluitsteenXML",
                "SluitsteenHashing", "SluitsteenMIME", "SluitsteenSupport", "SluitsteenChat",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        // The independent verifier: the MDTO standard, XML and hashing only (never Export or the MIME layer).
        .target(
            name: "SluitsteenVerify",
            dependencies: [
                "SluitsteenXML", "SluitsteenHashing", "SluitsteenSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        // Disclosure PDFs (Woo): mails rendered with redactions burned in, PDF and Office attachments redacted as
        // page images (poppler's and LibreOffice's command-line tools).
        .target(name: "SluitsteenPDF", dependencies: ["CCairo", "SluitsteenSupport"]),
        // The front door: `sluitsteen serve` (OpenID Connect sign-in, sessions, route authorisation, pages).
        .target(
            name: "SluitsteenWeb",
            dependencies: [
                "SluitsteenArchive", "SluitsteenPolicy", "SluitsteenRetention", "SluitsteenDestroy", "SluitsteenIndex", "SluitsteenMIME",
                "SluitsteenXML", "SluitsteenSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]),
        // Woo requests: the Dutch recognisers that suggest redactions (pure; the grounds list is data), and the workflow
        // from a registered request (hold, verzameling) through review and redaction to a publishable production.
        .target(
            name: "SluitsteenWoo",
            dependencies: [
                "SluitsteenArchive", "SluitsteenPolicy", "SluitsteenRetention", "SluitsteenIndex", "SluitsteenMIME",
                "SluitsteenPDF", "SluitsteenSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Resources/woo-grounds.json")]),
        // Live capture over IMAP (libetpan): incremental, exact, through the ingest pipeline.
        .target(
            name: "SluitsteenCapture",
            dependencies: ["CEtpan", "SluitsteenArchive", "SluitsteenIngest", "SluitsteenPolicy", "SluitsteenRetention",
                           "SluitsteenHashing", "SluitsteenSupport",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "TOMLKit", package: "TOMLKit")]),
        // Chat and text messages under a hotspot or a Woo request (bijlagen 4 and 5): WhatsApp exports and SMS Backup &
        // Restore XML read into conversations, their review (strip, hand-over) and their retention decision.
        .target(
            name: "SluitsteenChat",
            dependencies: [
                "SluitsteenArchive", "SluitsteenPolicy", "SluitsteenXML", "SluitsteenHashing", "SluitsteenSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .executableTarget(
            name: "sluitsteen",
            dependencies: [
                "SluitsteenArchive", "SluitsteenIngest", "SluitsteenIndex", "SluitsteenPolicy", "SluitsteenRetention",
                "SluitsteenDestroy", "SluitsteenExport", "SluitsteenVerify", "SluitsteenSupport", "SluitsteenWeb",
                "SluitsteenWoo", "SluitsteenMIME", "SluitsteenCapture", "SluitsteenChat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Tests: one target per stage; the end-to-end tests drive the built executable.
        // What the test targets share: package paths, one subprocess runner, self-removing temporary folders.
        .target(name: "SluitsteenTestSupport", path: "Tests/SluitsteenTestSupport"),
        .testTarget(name: "SluitsteenSupportTests", dependencies: ["SluitsteenSupport", "SluitsteenTestSupport"]),
        .testTarget(name: "SluitsteenMIMETests", dependencies: ["SluitsteenMIME"]),
        .testTarget(name: "SluitsteenHashingTests", dependencies: ["SluitsteenHashing"]),
        .testTarget(name: "SluitsteenArchiveTests", dependencies: ["SluitsteenTestSupport", "SluitsteenArchive", "SluitsteenSupport"]),
        .testTarget(
            name: "SluitsteenIngestTests",
            dependencies: ["SluitsteenTestSupport", "SluitsteenIngest", "SluitsteenIndex", "SluitsteenArchive", "SluitsteenMIME", "SluitsteenSupport",
                           "CGMime"]),
        .testTarget(
            name: "SluitsteenPolicyTests",
            dependencies: ["SluitsteenTestSupport", "SluitsteenPolicy", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "SluitsteenRetentionTests",
            dependencies: ["SluitsteenTestSupport", "SluitsteenRetention", "SluitsteenIndex", "SluitsteenIngest", "SluitsteenSupport"]),
        .testTarget(name: "SluitsteenDestroyTests", dependencies: ["SluitsteenTestSupport", "SluitsteenDestroy", "SluitsteenIngest", "SluitsteenSupport"]),
        .testTarget(
            name: "SluitsteenExportTests",
            dependencies: ["SluitsteenTestSupport", "SluitsteenExport", "SluitsteenXML", "SluitsteenIngest", "SluitsteenSupport"]),
        .testTarget(name: "SluitsteenVerifyTests", dependencies: ["SluitsteenTestSupport", "SluitsteenVerify", "SluitsteenXML"]),
        .testTarget(
            name: "SluitsteenCLITests",
            dependencies: ["SluitsteenTestSupport", "SluitsteenHashing", "SluitsteenArchive", .product(name: "GRDB", package: "GRDB.swift")],
            // A workspace made by an earlier version (scripts/make-old-workspace.sh), read from the source tree.
            exclude: ["Fixtures"]),
        .testTarget(
            name: "SluitsteenWebTests",
            dependencies: ["SluitsteenTestSupport", "SluitsteenWeb", "SluitsteenArchive", "SluitsteenRetention", "SluitsteenPolicy", "SluitsteenIngest",
                           "SluitsteenDestroy", "SluitsteenSupport",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]),
        .testTarget(name: "SluitsteenPDFTests", dependencies: ["SluitsteenTestSupport", "SluitsteenPDF", "CCairo"]),
        // The labelled set (texts and labels.json) is read from the source tree, like the CLI tests' fixtures.
        .testTarget(name: "SluitsteenWooTests", dependencies: ["SluitsteenTestSupport", "SluitsteenWoo", "SluitsteenIngest", "SluitsteenDestroy",
                                                             "SluitsteenChat"],
                    exclude: ["Labelled"]),
        // Capture against a real Dovecot started by the tests (skipped, with the reason, where it cannot start).
        .testTarget(
            name: "SluitsteenCaptureTests",
            dependencies: ["SluitsteenTestSupport", "SluitsteenCapture", "SluitsteenArchive", "SluitsteenIngest", "SluitsteenRetention",
                           "SluitsteenPolicy", "SluitsteenHashing", "SluitsteenSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "SluitsteenChatTests",
            dependencies: ["SluitsteenTestSupport", "SluitsteenChat", "SluitsteenArchive", "SluitsteenPolicy", "SluitsteenSupport",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    ],
    swiftLanguageModes: [.v6]
)
