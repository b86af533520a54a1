import Billing

/// What importing a transaction did.
public enum BankImportOutcome: String, Sendable, Hashable, CaseIterable {
    /// Paid (part of) an open invoice.
    case matched
    /// Money for a cancelled or paid invoice: customer credit.
    case credited
    /// Nothing matched (or another currency): kept for `invoice payments assign`.
    case unmatched
    /// Imported before: nothing recorded.
    case duplicate
    /// A reversal that took back a payment it named.
    case reversed
    /// Debits, unbooked entries: reported, not recorded.
    case ignored
    /// Bank charges: the operator's cost, reported, not recorded as customer money.
    case charges
}

/// One line of the report (duplicates have none: they are only counted).
public struct BankImportLine: Sendable, Hashable {
    public let outcome: BankImportOutcome
    public let amount: Money
    public let file: String
    /// The entry's position in its file and the transaction's in its entry (0: the entry itself).
    public let entry: Int
    public let position: Int
    public let invoice: String?
    public let detail: String
}

/// Counts and sums per outcome (per currency), and the lines worth reading — bounded, so that
/// memory stays flat on a file of any size.
public struct BankImportSummary: Sendable {
    public static let maxLines = 1_000

    public struct Tally: Sendable, Hashable {
        public var count = 0
        /// Per currency code, in the order they appeared.
        public var sums: [(currency: Currency, amount: Money)] = []

        public static func == (a: Tally, b: Tally) -> Bool { a.count == b.count && a.sums.map(\.amount) == b.sums.map(\.amount) }
        public func hash(into hasher: inout Hasher) { hasher.combine(count) }
    }

    public let files: Int
    public var messages: [String] = []
    public var dryRun = false
    public private(set) var tallies: [BankImportOutcome: Tally] = [:]
    public private(set) var lines: [BankImportLine] = []
    /// Lines left out beyond `maxLines`.
    public private(set) var linesLeftOut = 0

    public init(files: Int) { self.files = files }

    mutating func add(_ outcome: BankImportOutcome, _ amount: Money, _ line: BankImportLine?) {
        var tally = tallies[outcome] ?? Tally()
        tally.count += 1
        if let index = tally.sums.firstIndex(where: { $0.currency == amount.currency }) {
            // A sum beyond the money range is reported as the largest amount rather than trapping.
            do { tally.sums[index].amount = try tally.sums[index].amount.adding(amount) } catch {
                tally.sums[index].amount = Money.largest(amount.currency)
            }
        } else {
            tally.sums.append((amount.currency, amount))
        }
        tallies[outcome] = tally
        guard let line else { return }
        if lines.count < BankImportSummary.maxLines { lines.append(line) } else { linesLeftOut += 1 }
    }

    public func tally(_ outcome: BankImportOutcome) -> Tally { tallies[outcome] ?? Tally() }
}
