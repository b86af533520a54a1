/// The bytes of the logo an issued document was made with, kept in the database and named by their
/// SHA-256: replacing or deleting the logo file later changes no document already issued.
public struct FrozenLogo: Sendable, Hashable {
    /// Lower-case hex SHA-256 of `data`: the same picture is kept once.
    public let sha256: String
    public let data: [UInt8]

    public init(sha256: String, data: [UInt8]) {
        self.sha256 = sha256
        self.data = data
    }

    public static func == (lhs: FrozenLogo, rhs: FrozenLogo) -> Bool { lhs.sha256 == rhs.sha256 }
    public func hash(into hasher: inout Hasher) { hasher.combine(sha256) }
}
