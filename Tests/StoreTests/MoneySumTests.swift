import Billing
import Foundation
import Store
import Testing
import TestSupport

/// Issue 24: every sum of money is checked. A customer's payments each fit the money range, but their sum
/// over several invoices need not; the received total (and the refunded total) then answers a clear
/// error naming the limit — never a trap, never the engine's bare "integer overflow".
struct MoneySumTests {
    let directory: TemporaryDirectory
    let cli: InvoiceCLI

    init() throws {
        directory = try TemporaryDirectory("money-sums")
        cli = try InvoiceCLI.creating(database: directory.path("books.sqlite"), today: "2026-11-25")
    }

    func sqlite(_ sql: String) throws {
        try cli.sql(sql)
    }

    /// Two invoices, each paid up to just below Int64.max cents (92 payments of the largest typed amount,
    /// rows as `invoice pay` writes them): each invoice's sum fits, the customer's does not.
    /// Mutation (mutants.tsv received-total-checked): Store+Money.swift: `total.adding(…)` → `total + …` in
    /// `checkedSum` → the sum traps (the test process dies), test fails.
    @Test func aReceivedTotalBeyondTheRangeIsAClearErrorNotATrap() throws {
        defer { directory.remove() }
        let customer = try cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example",
                                  "--country", "DE", "--currency", "EUR", "--language", "en")
        var ids: [String] = []
        for _ in 0..<2 {
            let number = try cli.ok("new", customer, "--line", "Consulting;1;100.00;19", "--issue")
            ids.append(try #require((try cli.json("show", number) as? [String: Any])?["id"].map { "\($0)" }))
        }
        let largestTyped: Int64 = 99_999_999_999_999_999
        var rows: [String] = []
        for id in ids {
            for index in 0..<92 {
                rows.append("(\(id), \(largestTyped), '2026-11-25', 'bank', 'r\(id)-\(index)', '2026-11-25T10:00:00Z')")
            }
        }
        try sqlite("INSERT INTO payments (invoice_id, amount, date, method, reference, created_at) VALUES " + rows.joined(separator: ", "))
        let store = try Store(path: try cli.location())
        let customerID = try #require(Int64(customer))
        let eur = try Currency(code: "EUR")
        #expect {
            _ = try store.receivedTotal(customerID: customerID, currency: eur)
        } throws: { error in
            guard let error = error as? BillingError else { return false }
            return error.kind == .outOfRange
                && error.message == "the payments received from customer \(customerID) in EUR add up to more than the largest amount that can be recorded (EUR 92233720368547758.07)"
        }
        // One invoice's worth is exact.
        try sqlite("DELETE FROM payments WHERE invoice_id = \(ids[1])")
        #expect(try store.receivedTotal(customerID: customerID, currency: eur).minorUnits == 92 * largestTyped)
        #expect(try store.refundedTotal(customerID: customerID, currency: eur).minorUnits == 0)
    }
}
