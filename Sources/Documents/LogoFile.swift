import Foundation

/// A logo checked before anything decodes it: a regular file of at most 5 MB, PNG or JPEG by its
/// content (not its name), at most 4096 × 4096 pixels as its header declares. A 74-byte PNG may
/// declare 100000 × 100000 pixels; decoding that would need 40 GB.
public struct LogoFile: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable { case png = "PNG", jpeg = "JPEG" }

    public static let maximumBytes = 5 << 20
    public static let maximumSide = 4096

    public let path: String
    public let format: Format
    public let width: Int
    public let height: Int
    public let data: Data

    /// Reads and checks the logo at `path`; throws a one-line `DocumentError` saying what is wrong.
    public init(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw DocumentError("the logo \(path) cannot be read: \(String(cString: strerror(errno)))")
        }
        let type = info.st_mode & S_IFMT
        guard type != S_IFDIR else { throw DocumentError("the logo \(path) is a directory, not a PNG or JPEG file") }
        guard type == S_IFREG else { throw DocumentError("the logo \(path) is not a regular file") }
        guard info.st_size <= LogoFile.maximumBytes else {
            throw DocumentError("the logo \(path) has \(info.st_size) bytes; at most 5 MB (\(LogoFile.maximumBytes) bytes)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DocumentError("the logo \(path) cannot be read")
        }
        defer { try? handle.close() }
        // One byte past the limit, in case the file grew since stat.
        let data = (try handle.read(upToCount: LogoFile.maximumBytes + 1)) ?? Data()
        guard data.count <= LogoFile.maximumBytes else {
            throw DocumentError("the logo \(path) is larger than 5 MB (\(LogoFile.maximumBytes) bytes)")
        }
        try self.init(data: data, path: path)
    }

    /// Checks logo bytes kept elsewhere (a frozen logo from the database); `path` names them in messages.
    public init(data: Data, path: String) throws {
        self.path = path
        guard data.count <= LogoFile.maximumBytes else {
            throw DocumentError("the logo \(path) is larger than 5 MB (\(LogoFile.maximumBytes) bytes)")
        }
        let bytes = [UInt8](data)
        guard let (format, width, height) = LogoFile.header(bytes) else {
            throw DocumentError("the logo \(path) is not a PNG or JPEG image")
        }
        guard width > 0, height > 0 else {
            throw DocumentError("the logo \(path) declares \(width) × \(height) pixels")
        }
        guard width <= LogoFile.maximumSide, height <= LogoFile.maximumSide else {
            throw DocumentError("the logo \(path) declares \(width) × \(height) pixels; at most "
                + "\(LogoFile.maximumSide) × \(LogoFile.maximumSide)")
        }
        self.format = format
        self.width = width
        self.height = height
        self.data = data
    }

    /// Format and declared size from the PNG IHDR chunk or the JPEG start-of-frame segment.
    static func header(_ bytes: [UInt8]) -> (Format, Int, Int)? {
        func big(_ offset: Int, _ count: Int) -> Int? {
            guard offset >= 0, offset + count <= bytes.count else { return nil }
            return bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
        }
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        if bytes.starts(with: png) {
            guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8),
                  let width = big(16, 4), let height = big(20, 4) else { return nil }
            return (.png, width, height)
        }
        guard bytes.starts(with: [0xFF, 0xD8]) else { return nil }
        var offset = 2
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }  // fill byte
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { offset += 2; continue }
            guard let length = big(offset + 2, 2), length >= 2 else { return nil }
            // Start of frame: every SOFn except DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard let height = big(offset + 5, 2), let width = big(offset + 7, 2) else { return nil }
                return (.jpeg, width, height)
            }
            if marker == 0xDA || marker == 0xD9 { return nil }  // scan or end before any frame header
            offset += 2 + length
        }
        return nil
    }
}
