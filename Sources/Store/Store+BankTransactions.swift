import Billing
import Database

/// A transaction of an imported bank file (camt.053/054) as the store keeps it: what the bank said
/// and what the import did with it.
public struct BankTransactionRecord: Sendable, Hashable {
    public let id: Int64
    public let bankKey: String
    /// The account and the transaction's own AcctSvcrRef, when the bank gave one.
    public let transactionKey: String?
    public let entryKey: String
    public let account: String
    public let bookedOn: Day
    /// `CRDT` (money in) or `DBIT`.
    public let direction: String
    public let amount: Money
    /// The structured reference or the invoice number it was matched by ("" when none).
    public let reference: String
    /// The payer's references (`EndToEndId`, `TxId`, `InstrId`), space-separated, that a reversal repeats.
    public let payerReferences: String
    /// `matched`, `credited`, `unmatched`, `reversed`, `ignored`, `charges`.
    public let outcome: String
    public let invoiceID: Int64?
    public let customerID: Int64?
    /// The part that paid the invoice, and the part that went to the customer's credit.
    public let applied: Money
    public let credited: Money
    public let reversesID: Int64?
    /// A later reversal took this one back.
    public let reversed: Bool
    public let detail: String

    public init(id: Int64 = 0, bankKey: String, transactionKey: String?, entryKey: String, account: String, bookedOn: Day, direction: String, amount: Money,
                reference: String, payerReferences: String, outcome: String, invoiceID: Int64?, customerID: Int64?,
                applied: Money, credited: Money, reversesID: Int64?, reversed: Bool = false, detail: String) {
        self.id = id
        self.bankKey = bankKey
        self.transactionKey = transactionKey
        self.entryKey = entryKey
        self.account = account
        self.bookedOn = bookedOn
        self.direction = direction
        self.amount = amount
        self.reference = reference
        self.payerReferences = payerReferences
        self.outcome = outcome
        self.invoiceID = invoiceID
        self.customerID = customerID
        self.applied = applied
        self.credited = credited
        self.reversesID = reversesID
        self.reversed = reversed
        self.detail = detail
    }
}

extension Store {
    private static let bankColumns = """
        id, bank_key, entry_key, booked_on, direction, amount, currency, reference, payer_refs, outcome,
        invoice_id, customer_id, applied, credited, reverses_id, reversed, detail, tx_key, account
        """

    private func bankTransaction(_ row: Row) throws -> BankTransactionRecord {
        let currency = try Currency(code: row.text(6))
        return BankTransactionRecord(
            id: row.int(0), bankKey: row.text(1), transactionKey: row.optionalText(17), entryKey: row.text(2),
            account: row.text(18), bookedOn: try Day(parsing: row.text(3)),
            direction: row.text(4), amount: Money(minorUnits: row.int(5), currency: currency), reference: row.text(7),
            payerReferences: row.text(8), outcome: row.text(9), invoiceID: row.optionalInt(10), customerID: row.optionalInt(11),
            applied: Money(minorUnits: row.int(12), currency: currency), credited: Money(minorUnits: row.int(13), currency: currency),
            reversesID: row.optionalInt(14), reversed: row.int(15) != 0, detail: row.text(16))
    }

    /// Records a bank transaction unless one with its key (or its transaction's own reference) is recorded,
    /// or its entry was imported without details; its id, nil when it was known.
    public func addBankTransaction(_ record: BankTransactionRecord) throws -> Int64? {
        try write {
            guard try connection.scalarInt("""
                SELECT count(*) FROM bank_transactions WHERE bank_key = ? OR tx_key = ? OR bank_key = ?
                """, [.text(record.bankKey), record.transactionKey.map { .text($0) } ?? .null,
                      .text(record.entryKey + "#0")]) == 0 else { return nil }
            return try connection.insert("""
                INSERT INTO bank_transactions (bank_key, tx_key, entry_key, account, booked_on, direction, amount, currency,
                    reference, payer_refs, outcome, invoice_id, customer_id, applied, credited, reverses_id, detail, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(record.bankKey), record.transactionKey.map { .text($0) } ?? .null, .text(record.entryKey),
                      .text(record.account), .text(record.bookedOn.description),
                      .text(record.direction), .integer(record.amount.minorUnits), .text(record.amount.currency.code),
                      .text(record.reference), .text(record.payerReferences), .text(record.outcome),
                      record.invoiceID.map { .integer($0) } ?? .null, record.customerID.map { .integer($0) } ?? .null,
                      .integer(record.applied.minorUnits), .integer(record.credited.minorUnits),
                      record.reversesID.map { .integer($0) } ?? .null, .text(record.detail), .text(Store.timestamp())])
        }
    }

    /// Sets what importing a transaction did (after the money was recorded under its id).
    public func finishBankTransaction(id: Int64, outcome: String, invoiceID: Int64?, customerID: Int64?, applied: Money,
                                      credited: Money, reversesID: Int64?, detail: String) throws {
        try write {
            _ = try connection.run("""
                UPDATE bank_transactions SET outcome = ?, invoice_id = ?, customer_id = ?, applied = ?, credited = ?,
                    reverses_id = ?, detail = ? WHERE id = ?
                """, [.text(outcome), invoiceID.map { .integer($0) } ?? .null, customerID.map { .integer($0) } ?? .null,
                      .integer(applied.minorUnits), .integer(credited.minorUnits), reversesID.map { .integer($0) } ?? .null,
                      .text(detail), .integer(id)])
        }
    }

    public func bankTransaction(key: String) throws -> BankTransactionRecord? {
        try read {
            try connection.first("SELECT \(Store.bankColumns) FROM bank_transactions WHERE bank_key = ?", [.text(key)], bankTransaction)
        }
    }

    /// Whether any transaction of this entry was imported (with or without its details).
    public func bankEntryImported(entryKey: String) throws -> Bool {
        try read {
            try connection.scalarInt("SELECT count(*) FROM bank_transactions WHERE entry_key = ?", [.text(entryKey)]) > 0
        }
    }

    /// The credit a reversal names: not yet reversed, same currency and amount, and one of the payer's
    /// references in common, else the same structured reference; the latest first.
    public func reversibleBankCredit(amount: Money, payerReferences: [String], reference: String) throws -> BankTransactionRecord? {
        try read {
            let candidates = try connection.query("""
                SELECT \(Store.bankColumns) FROM bank_transactions
                WHERE direction = 'CRDT' AND reversed = 0 AND amount = ? AND currency = ?
                  AND outcome IN ('matched', 'credited', 'unmatched') ORDER BY id DESC
                """, [.integer(amount.minorUnits), .text(amount.currency.code)], bankTransaction)
            if !payerReferences.isEmpty,
               let found = candidates.first(where: { !Set($0.payerReferences.split(separator: " ").map(String.init)).isDisjoint(with: payerReferences) }) {
                return found
            }
            guard !reference.isEmpty else { return nil }
            return candidates.first(where: { $0.reference == reference })
        }
    }

    /// Marks a bank credit as taken back by a reversal; false when it was reversed already.
    public func markBankTransactionReversed(id: Int64) throws -> Bool {
        try write {
            try connection.run("UPDATE bank_transactions SET reversed = 1 WHERE id = ? AND reversed = 0", [.integer(id)]) == 1
        }
    }

    /// Every imported bank transaction, oldest first.
    public func bankTransactions() throws -> [BankTransactionRecord] {
        try read { try connection.query("SELECT \(Store.bankColumns) FROM bank_transactions ORDER BY id", [], bankTransaction) }
    }

    /// Issued invoices (not credit notes) with their numbers, for matching references.
    public func invoiceNumbers() throws -> [(id: Int64, number: String)] {
        try read {
            try connection.query("SELECT id, number FROM invoices WHERE kind = 'invoice' AND number IS NOT NULL ORDER BY id") {
                (id: $0.int(0), number: $0.text(1))
            }
        }
    }

    /// Takes back a payment (a bank reversal): a negative payment row, and the invoice's paid sum and status.
    public func addReversal(_ payment: Payment, invoiceID: Int64, eventID: String) throws {
        try write {
            try connection.run("""
                INSERT INTO payments (invoice_id, amount, date, method, reference, event_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(invoiceID), .integer(payment.amount.minorUnits), .text(payment.date.description),
                      .text(payment.method), .text(payment.reference), .text(eventID), .text(Store.timestamp())])
        }
    }

    /// Removes an unmatched payment nobody assigned (its money was reversed by the bank); false when it
    /// was assigned meanwhile.
    public func removeUnassignedUnmatched(eventID: String) throws -> Bool {
        try write {
            try connection.run("DELETE FROM unmatched_payments WHERE event_id = ? AND assigned_invoice_id IS NULL",
                               [.text(eventID)]) == 1
        }
    }
}
