import Billing
import CCrypto
import Database
import Foundation

/// The seller an issued invoice or credit note was made out by, frozen when it was issued: an accounting
/// record keeps the seller block, bank details, logo and texts of its issue date, whatever `invoice
/// settings` says later. Drafts follow the settings.
extension Store {
    struct SoldBy: Codable {
        /// Every operator setting by key (`Operator.settings`), in its stored text form.
        var settings: [String: String]
        /// SHA-256 of the logo's bytes in `logos`; nil: the document has no logo.
        var logo: String?
    }

    /// Freezes `seller` (the settings as they are now, and the logo file's bytes) as the seller of
    /// `invoiceID`; called in the transaction that issues it.
    public func recordSoldBy(invoiceID: Int64, seller: Operator) throws {
        try write {
            let snapshot = try soldBySnapshot(seller)
            try connection.run("UPDATE invoices SET sold_by = ? WHERE id = ?", [.text(snapshot), .integer(invoiceID)])
        }
    }

    /// The JSON of `seller` as frozen, its logo's bytes stored in `logos` (once per picture).
    func soldBySnapshot(_ seller: Operator) throws -> String {
        var settings: [String: String] = [:]
        for setting in Operator.settings {
            if let value = seller.value(for: setting.key) { settings[setting.key] = value }
        }
        var logo: String?
        if let bytes = Store.logoBytes(at: seller.logoPath) {
            let sha = Store.sha256(bytes)
            try connection.run("INSERT INTO logos (sha256, data) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING",
                               [.text(sha), .blob(bytes)])
            logo = sha
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(SoldBy(settings: settings, logo: logo)), as: UTF8.self)
    }

    /// The seller as `invoice`'s documents show it: frozen at issue, or (drafts) the settings of now.
    public func seller(for invoice: Invoice) throws -> Operator {
        try frozenSeller(invoiceID: invoice.id) ?? loadOperator()
    }

    /// The seller frozen with an issued invoice; nil for a draft.
    public func frozenSeller(invoiceID: Int64) throws -> Operator? {
        try guarded {
            let stored = try connection.first("SELECT sold_by FROM invoices WHERE id = ?", [.integer(invoiceID)]) {
                $0.optionalText(0)
            } ?? nil
            guard let stored else { return nil }
            let snapshot: SoldBy
            do {
                snapshot = try JSONDecoder().decode(SoldBy.self, from: Data(stored.utf8))
            } catch {
                throw StoreError("the seller kept with invoice id \(invoiceID) cannot be read (\(error))")
            }
            var seller = Operator()
            // In the settings' order: reminder fees without a code are read in the default currency.
            for setting in Operator.settings where !setting.key.hasPrefix("number_") && setting.key != "logo" {
                if let value = snapshot.settings[setting.key] { try seller.set(setting.key, to: value) }
            }
            if let pattern = snapshot.settings["number_format"] {
                seller.numberFormat = try InvoiceNumberFormat(pattern: pattern,
                                                              resetsYearly: snapshot.settings["number_reset"] != "never")
            }
            seller.logoPath = ""
            if let sha = snapshot.logo { seller.frozenLogo = try frozenLogo(sha256: sha) }
            return seller
        }
    }

    /// A kept logo's bytes (the last one read is remembered: a batch prints many invoices with one logo).
    func frozenLogo(sha256 sha: String) throws -> FrozenLogo {
        if let last = lastFrozenLogo, last.sha256 == sha { return last }
        guard let data = try connection.first("SELECT data FROM logos WHERE sha256 = ?", [.text(sha)], { $0.blob(0) }) else {
            throw StoreError("the logo kept with an issued invoice (sha256 \(sha)) is missing from the database")
        }
        let logo = FrozenLogo(sha256: sha, data: data)
        lastFrozenLogo = logo
        return logo
    }

    /// The bytes of the logo file at `path` as they are now: a readable regular file of at most 5 MB
    /// (the documents' own limit); nil when there is none. The renderer checks the picture itself.
    static func logoBytes(at path: String) -> [UInt8]? {
        guard !path.isEmpty else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= 5 << 20,
              let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: (5 << 20) + 1), data.count <= 5 << 20, !data.isEmpty else { return nil }
        return [UInt8](data)
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { buffer in
            digest.withUnsafeMutableBufferPointer { out in
                _ = SHA256(buffer.baseAddress, buffer.count, out.baseAddress)
            }
        }
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}
