import Database
import Foundation

extension Store {
    /// A real write, as cheap as one can be: a write transaction that rewrites one page and commits
    /// (SQLite: the header's `user_version`, set to what it is, appended to the WAL and fsynced), so a
    /// read-only file, a read-only file system or a full disk fails here and not on the first payment.
    /// Changes nothing a reader can see.
    public func probeWrite() throws {
        try write {
            switch connection.engine {
            case .sqlite:
                let version = try connection.scalarInt("PRAGMA user_version")
                try connection.execute("PRAGMA user_version = \(version)")
            case .postgres:
                try connection.run("UPDATE schema_version SET version = version")
            }
        }
    }

    /// Why the SQLite database at `location` cannot be written by this process now, judged by the file
    /// system alone (access(2): no lock, no open, cheap enough for every health check); nil when it can
    /// be, or when `location` is not a file (a connection URI). Covers the file, its `-wal` and `-shm`
    /// files, and the folder where SQLite must create them when they are missing.
    public static func writeObstacle(_ location: String) -> String? {
        guard !location.contains("://"), FileManager.default.fileExists(atPath: location) else { return nil }
        func denied(_ path: String) -> Int32? { access(path, W_OK) == 0 ? nil : errno }
        func reason(_ code: Int32, _ what: String) -> String {
            code == EROFS ? "its file system is read-only" : "\(what) is not writable for this user"
        }
        if let code = denied(location) { return reason(code, "the file") }
        var missing = false
        for suffix in ["-wal", "-shm"] {
            let companion = location + suffix
            if FileManager.default.fileExists(atPath: companion) {
                if let code = denied(companion) { return reason(code, "its \(suffix) file") }
            } else {
                missing = true
            }
        }
        if missing {
            let parent = (location as NSString).deletingLastPathComponent
            if let code = denied(parent.isEmpty ? "." : parent) { return reason(code, "its folder") }
        }
        return nil
    }
}
