import Foundation

/// The process's arguments as strings, refusing bytes that are not UTF-8: `CommandLine.arguments`
/// would turn them into U+FFFD silently, and a name or note would be stored with the damage.
enum RawArguments {
    struct InvalidEncoding: Error, CustomStringConvertible {
        /// 1-based position of the argument after the program name.
        let position: Int
        let shown: String

        var description: String {
            "argument \(position) is not valid UTF-8 (\(shown)); use UTF-8 text"
        }
    }

    static func decode(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Result<[String], InvalidEncoding> {
        var out: [String] = []
        for index in 1..<Int(max(argc, 1)) {
            guard let pointer = argv[index] else { break }
            let length = strlen(pointer)
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: length)
            switch decode(Array(bytes)) {
            case .some(let text): out.append(text)
            case .none:
                return .failure(InvalidEncoding(position: index, shown: String(decoding: bytes, as: UTF8.self)))
            }
        }
        return .success(out)
    }

    /// The text of `bytes` if they are valid UTF-8 (no stray, overlong or surrogate sequences), else nil.
    static func decode(_ bytes: [UInt8]) -> String? { String(validating: bytes, as: UTF8.self) }
}
