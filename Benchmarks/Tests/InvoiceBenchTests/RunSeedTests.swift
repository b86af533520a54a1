import Billing
import Foundation
@testable import InvoiceBench
import Store
import Testing
import TestSupport
import Workflows

/// The run section's seeding gives the scheduled run real work: renewals, expiries, no errors.
@Suite struct RunSeedTests {
    @Test func aSmallSeededDeskRunsWithoutErrors() throws {
        let directory = try TemporaryDirectory("bench-small")
        defer { directory.remove() }
        let store = try Store(path: directory.path("invoice.sqlite"))
        let today = try Day(parsing: "2026-06-01")
        try RunSeed.seed(store: store, customers: 300, today: today)
        #expect(try store.customerCount() == 300)
        let summary = try ScheduledRun(store: store).run(today: today, pageSize: 64)
        #expect(summary.errors.isEmpty)
        #expect(summary.renewalsInvoiced == 80)  // ends today … today + 7: 8 of every 30
        #expect(summary.expired > 0)
        #expect(try !ScheduledRun(store: store).run(today: today).changedAnything)
    }

    /// Every registered section has a distinct command-line name.
    @Test func sectionNamesAreDistinct() {
        let names = BenchSections.all.map { $0.name }
        #expect(Set(names).count == names.count)
        #expect(names == ["store", "run", "documents", "mail", "serve", "events", "einvoice", "postgres", "camt"])
    }
}
