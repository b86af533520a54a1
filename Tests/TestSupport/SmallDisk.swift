import Foundation

public enum SmallDiskError: Error, CustomStringConvertible {
    case cannotMount(String)
    case cannotFill(String)

    public var description: String {
        switch self {
        case .cannotMount(let detail): "cannot mount a small tmpfs for the full-disk tests (they need root): \(detail)"
        case .cannotFill(let detail): "cannot fill the small disk: \(detail)"
        }
    }
}

/// A real, small file system of its own (a tmpfs mounted for the test), so "the disk is full" is the
/// kernel's ENOSPC and not a simulation. Mounting needs root (the suite runs as root); when it is not
/// possible the test fails loudly instead of skipping.
public final class SmallDisk: @unchecked Sendable {
    public let mountPoint: URL
    private let filler: URL
    private var mounted = false

    public init(sizeKB: Int, _ label: String = "small-disk") throws {
        mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        filler = mountPoint.appendingPathComponent(".filler")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/mount"),
                                           ["-t", "tmpfs", "-o", "size=\(sizeKB)k", "tmpfs", mountPoint.path], timeout: 30)
        guard result.status == 0 else { throw SmallDiskError.cannotMount(result.stderr) }
        mounted = true
    }

    public func path(_ name: String) -> String { mountPoint.appendingPathComponent(name).path }

    /// Free bytes, as an unprivileged writer sees them.
    public var freeBytes: UInt64 {
        var info = statvfs()
        guard statvfs(mountPoint.path, &info) == 0 else { return 0 }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// Takes space with a filler file until about `kilobytes` are left (0: none at all).
    public func fill(leavingKB kilobytes: Int) throws {
        let target = UInt64(kilobytes) * 1024
        guard let handle = FileHandle(forWritingAtPath: filler.path) ?? {
            FileManager.default.createFile(atPath: filler.path, contents: nil) ? FileHandle(forWritingAtPath: filler.path) : nil
        }() else { throw SmallDiskError.cannotFill("cannot create \(filler.path)") }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        let chunk = Data(count: 4096)
        while freeBytes > target {
            let step = min(UInt64(chunk.count), freeBytes - target)
            do { try handle.write(contentsOf: chunk.prefix(Int(max(step, 1)))) } catch { break }
        }
        try handle.synchronize()
    }

    /// Makes the whole file system read-only, or writable again (`mount -o remount,ro`): unlike chmod,
    /// this holds for root too. The kernel refuses (EBUSY) while a process has a file on it open for
    /// writing, so this is for moments when nothing has the database open.
    public func remount(readOnly: Bool) throws {
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/mount"),
                                           ["-o", readOnly ? "remount,ro" : "remount,rw", mountPoint.path], timeout: 30)
        guard result.status == 0 else { throw SmallDiskError.cannotMount("remount \(readOnly ? "ro" : "rw"): \(result.stderr)") }
    }

    /// Gives all the filler's space back.
    public func freeSpace() { try? FileManager.default.removeItem(at: filler) }

    public func unmount() {
        guard mounted else { return }
        mounted = false
        _ = try? ProcessRunner.run(URL(fileURLWithPath: "/bin/umount"), ["-l", mountPoint.path], timeout: 30)
        try? FileManager.default.removeItem(at: mountPoint)
    }

    deinit { unmount() }
}
