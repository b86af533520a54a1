import Foundation

/// Reads Outbox message files into one buffer that it keeps and reuses, so the mailing run does not
/// allocate (and fault in) two fresh copies of every message (`Data`, then `[UInt8]`).
///
/// Owned by one worker thread (not `Sendable`). The bytes handed to `withContents` are valid only
/// inside the closure; the next read overwrites them.
final class MessageFileReader {
    private var buffer: UnsafeMutableRawBufferPointer

    init(initialCapacity: Int = 256 * 1024) {
        buffer = .allocate(byteCount: max(initialCapacity, 4096), alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Reads the whole file `name` in the folder `directory` (a path) and calls `body` with its
    /// bytes. A file that cannot be read throws a `WorkflowError` that names it; errors from `body`
    /// pass through. Outbox files are written once and never change, so the size `fstat` reports
    /// is read, with no further call to find the end.
    func withContents<R>(ofFile name: String, in directory: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        func failure(_ code: Int32) -> WorkflowError {
            code == ENOENT ? WorkflowError("message file \(name) is missing")
                : WorkflowError("cannot read message file \(name): \(String(cString: strerror(code)))")
        }
        // A plain join: URL.appendingPathComponent parses the URL and stats the file each time,
        // which took 6 % of the mailing run's CPU.
        var fd = open(directory + "/" + name, O_RDONLY | O_CLOEXEC)
        if fd < 0, errno == ENOENT {
            // Its row is committed (we were handed it), so a rename cut short by a crash is finished here.
            Outbox.publish(name, in: URL(fileURLWithPath: directory))
            fd = open(directory + "/" + name, O_RDONLY | O_CLOEXEC)
        }
        guard fd >= 0 else { throw failure(errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw WorkflowError("message file \(name) is not a regular file") }
        let expected = Int(info.st_size)
        if buffer.count < expected {
            buffer.deallocate()
            buffer = .allocate(byteCount: expected + expected / 4, alignment: 16)
        }
        var length = 0
        while length < expected, let base = buffer.baseAddress {
            let got = read(fd, base + length, expected - length)
            if got < 0 {
                if errno == EINTR { continue }
                throw failure(errno)
            }
            if got == 0 { throw WorkflowError("message file \(name) is shorter than its \(expected) bytes (it changed while read)") }
            length += got
        }
        return try body(UnsafeRawBufferPointer(rebasing: buffer[..<length]))
    }
}
