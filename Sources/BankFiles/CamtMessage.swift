/// Which ISO 20022 cash-management message a file is, read from its root element's namespace
/// `urn:iso:std:iso:20022:tech:xsd:camt.05x.001.NN`: camt.053 (statement, `BkToCstmrStmt/Stmt`) or
/// camt.054 (debit/credit notification, `BkToCstmrDbtCdtNtfctn/Ntfctn`), versions .001.04 to .001.08.
public struct CamtMessage: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case statement = "053"
        case notification = "054"

        /// The element under `Document`.
        var rootElement: String { self == .statement ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn" }
        /// The element that holds one account's entries.
        var reportElement: String { self == .statement ? "Stmt" : "Ntfctn" }
    }

    public static let namespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt."
    public static let versions = 4...8

    public let kind: Kind
    public let version: Int

    public init(kind: Kind, version: Int) {
        self.kind = kind
        self.version = version
    }

    /// `camt.054.001.08`
    public var description: String { "camt.\(kind.rawValue).001.0\(version)" }
    public var namespace: String { "urn:iso:std:iso:20022:tech:xsd:\(description)" }

    /// The message of a namespace, or why it is not one this program reads.
    public static func from(namespace: String) throws(BankFileError) -> CamtMessage {
        guard namespace.hasPrefix(namespacePrefix) else {
            throw BankFileError("its namespace is \(namespace.isEmpty ? "missing" : "'\(namespace)'"), not a camt.053 or camt.054 one (urn:iso:std:iso:20022:tech:xsd:camt.054.001.08)")
        }
        let name = String(namespace.dropFirst(namespacePrefix.count))  // 054.001.08
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1] == "001", let number = Int(parts[2]), parts[2].count == 2 else {
            throw BankFileError("its namespace '\(namespace)' is not an ISO 20022 camt message name")
        }
        guard let kind = Kind(rawValue: String(parts[0])) else {
            throw BankFileError("it is a camt.\(parts[0]) message; only camt.053 (statements) and camt.054 (notifications) are imported")
        }
        guard versions.contains(number) else {
            throw BankFileError("camt.\(kind.rawValue).001.\(parts[2]) is a version this program does not read (it reads .001.04 to .001.08)")
        }
        return CamtMessage(kind: kind, version: number)
    }
}
