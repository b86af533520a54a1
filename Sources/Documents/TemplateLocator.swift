import Foundation

/// Finds the shipped `Templates/` directory.
///
/// Lookup order for the shipped templates (the first directory holding `invoice.html` wins):
/// 1. `Templates/` beside the executable (an installed copy: `bin/invoice` + `bin/Templates/`);
/// 2. `../share/invoice/Templates/` relative to the executable's directory (a prefix install);
/// 3. the executable's directory and its ancestors, for `Templates/` beside `Package.swift`
///    (a repository checkout running `.build/debug/invoice` or `.build/release/invoice`);
/// 4. the current directory and its ancestors, the same way;
/// 5. the checkout this module was compiled from (so a binary built here and run from
///    anywhere else still finds its templates).
///
/// An operator's directory (`--templates DIR`, env `INVOICE_TEMPLATES`) is searched before all
/// of these, file by file, so it needs to hold only the files it changes.
public enum TemplateLocator: Sendable {
    static let marker = "invoice.html"

    public static func shippedDirectory(
        executable: URL? = Bundle.main.executableURL,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) -> URL? {
        candidates(executable: executable, currentDirectory: currentDirectory).first(where: holdsTemplates)
    }

    static func candidates(executable: URL?, currentDirectory: URL) -> [URL] {
        var list: [URL] = []
        if let executable {
            let directory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            list.append(directory.appendingPathComponent("Templates"))
            list.append(directory.deletingLastPathComponent().appendingPathComponent("share/invoice/Templates"))
            list += checkouts(from: directory)
        }
        list += checkouts(from: currentDirectory)
        let source = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Documents
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()
        list.append(source.appendingPathComponent("Templates"))
        return list
    }

    /// `Templates/` in `start` and each ancestor that also holds a `Package.swift`.
    private static func checkouts(from start: URL) -> [URL] {
        var list: [URL] = []
        var directory = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                list.append(directory.appendingPathComponent("Templates"))
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        return list
    }

    static func holdsTemplates(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(marker).path)
    }
}
