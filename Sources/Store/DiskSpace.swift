import Foundation

/// The free space of the file system holding a path, to tell a full disk from other I/O errors.
public enum DiskSpace: Sendable {
    /// Below this many free bytes a failed write is blamed on a full disk (SQLite needs pages, a mail file
    /// tens of kilobytes).
    public static let nearlyFull: UInt64 = 1 << 20

    /// Bytes an unprivileged writer can still use where `path` (or its folder) lives; nil if unknown.
    public static func available(near path: String) -> UInt64? {
        var info = statvfs()
        var candidate = path
        while !candidate.isEmpty {
            if statvfs(candidate, &info) == 0 { return UInt64(info.f_bavail) * UInt64(info.f_frsize) }
            let parent = (candidate as NSString).deletingLastPathComponent
            if parent == candidate { break }
            candidate = parent
        }
        return nil
    }

    public static func isFull(near path: String) -> Bool {
        guard let free = available(near: path) else { return false }
        return free < nearlyFull
    }

    /// "the disk holding /srv/invoice is full (12 KB free)": names the folder, not a device.
    public static func fullMessage(near path: String) -> String {
        var isDirectory: ObjCBool = false
        let folder = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? path : (path as NSString).deletingLastPathComponent
        let free = available(near: path).map { " (\($0 / 1024) KB free)" } ?? ""
        return "the disk holding \(folder.isEmpty ? "." : folder) is full\(free)"
    }
}
