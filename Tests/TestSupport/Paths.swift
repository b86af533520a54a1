import Foundation

/// Where things are when the tests run: the package root (fixtures live in the repository), built products.
public enum Paths: Sendable {
    /// The package root, found from this file's location.
    public static let packageRoot: URL = {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // TestSupport
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
    }()

    /// The folder that holds the built test bundle and the built `invoice` executable.
    public static let productsDirectory: URL = {
        let argument0 = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var dir = argument0.deletingLastPathComponent()
        // The test runner may be `…/debug/invoicePackageTests.xctest` (a file on Linux) or a helper binary.
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("invoice").path) { return dir }
            dir.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    /// The `invoice` executable under test (`INVOICE_BIN` overrides).
    public static var invoiceExecutable: URL {
        if let path = ProcessInfo.processInfo.environment["INVOICE_BIN"] { return URL(fileURLWithPath: path) }
        return productsDirectory.appendingPathComponent("invoice")
    }
}
