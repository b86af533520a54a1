// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .unsafeFlags(["-Xfrontend", "-require-explicit-sendable"]),
]

let package = Package(
    name: "invoice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "invoice", targets: ["invoice"]),
        .executable(name: "invoice-bench", targets: ["InvoiceBench"]),
    ],
    targets: [
        // C libraries: one leaf module each, entered through one Swift wrapper.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),

        // Pure domain and document code.
        .target(name: "Billing", swiftSettings: strict),
        .target(name: "Mustache", swiftSettings: strict),
        .target(name: "PDF", swiftSettings: strict),
        .target(name: "QRCode", swiftSettings: strict),
        .target(name: "Documents", dependencies: ["Billing", "Mustache", "PDF", "QRCode"], swiftSettings: strict),
        .target(name: "Mail", swiftSettings: strict),
        .target(name: "EInvoice", dependencies: ["Billing", "Documents", "PDF"], swiftSettings: strict),
        // ISO 20022 bank files (camt.053/054), read as a stream; no store, no rendering.
        .target(name: "BankFiles", dependencies: ["Billing"], swiftSettings: strict),

        // Edges: storage, network, the command line.
        // The store's engine interface (no C library), and one wrapper per engine conforming to it.
        .target(name: "Database", swiftSettings: strict),
        .target(name: "SQLite", dependencies: ["CSQLite", "Database"], swiftSettings: strict),
        .target(name: "Postgres", dependencies: ["CPostgres", "Database"], swiftSettings: strict),
        .target(name: "Store", dependencies: ["Billing", "Database", "SQLite", "Postgres", "CCrypto"], swiftSettings: strict),
        // The one Swift wrapper of libcurl (easy handles, HTTP POST), used by SMTP and the event delivery.
        .target(name: "Curl", dependencies: ["CCurl"], swiftSettings: strict),
        .target(name: "SMTP", dependencies: ["Curl"], swiftSettings: strict),
        .target(name: "Workflows",
                dependencies: ["Billing", "Store", "Documents", "EInvoice", "Mail", "SMTP", "HTTPServer", "BankFiles"],
                swiftSettings: strict),
        .target(name: "HTTPServer", swiftSettings: strict),
        .target(name: "Webhook", dependencies: ["HTTPServer", "Billing", "Store", "Workflows", "CCrypto", "Curl"],
                swiftSettings: strict),
        // The JSON API under /v1/ on `invoice serve` (issue 20): Bearer keys, idempotency, every write through Workflows.
        .target(name: "API", dependencies: ["HTTPServer", "Billing", "Store", "Workflows", "Documents", "EInvoice"],
                swiftSettings: strict),
        .executableTarget(name: "invoice",
                          dependencies: ["API", "Billing", "Documents", "EInvoice", "HTTPServer", "SMTP", "Store", "Webhook", "Workflows"],
                          swiftSettings: strict),

        // The benchmarks (scripts/bench): figures next to peers, outside the product.
        .executableTarget(name: "InvoiceBench",
                          dependencies: ["Billing", "Database", "Documents", "EInvoice", "Mustache", "PDF", "Postgres", "SMTP", "SQLite", "Store", "Webhook", "Workflows"],
                          path: "Benchmarks/Sources/InvoiceBench", swiftSettings: strict),

        .target(name: "TestSupport", dependencies: ["Postgres", "Database"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "BillingTests", dependencies: ["Billing", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Database", "SQLite", "Billing", "TestSupport"], exclude: ["Fixtures"],
                    swiftSettings: strict),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "Database", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "MustacheTests", dependencies: ["Mustache", "TestSupport"], exclude: ["Fixtures"],
                    swiftSettings: strict),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode", "PDF", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PDFTests", dependencies: ["PDF", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "Billing", "QRCode", "TestSupport"],
                    exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "EInvoiceTests", dependencies: ["EInvoice", "Documents", "Billing", "TestSupport"],
                    exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "MailTests", dependencies: ["Mail", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SMTPTests", dependencies: ["SMTP", "Mail", "TestSupport"], exclude: ["Peers"], swiftSettings: strict),
        .testTarget(name: "WebhookTests",
                    dependencies: ["Webhook", "HTTPServer", "Workflows", "Documents", "Store", "Billing", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "InvoiceBenchTests", dependencies: ["InvoiceBench", "Billing", "Store", "Workflows", "TestSupport"],
                    path: "Benchmarks/Tests/InvoiceBenchTests", swiftSettings: strict),
        .testTarget(name: "APITests", dependencies: ["TestSupport"], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "Workflows", "Store", "Billing", "invoice", "Webhook", "HTTPServer"],
                    swiftSettings: strict),
    ]
)
