import Billing
import Foundation
import Store
import Testing
import TestSupport
import Workflows

/// Not a test of behaviour: seeds INVOICE_BENCH_CUSTOMERS customers into INVOICE_BENCH_DB for timing
/// `invoice run` by hand (skipped unless both are set).
@Suite struct RunBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["INVOICE_BENCH_DB"] != nil))
    func seedingABenchmarkDatabase() throws {
        let environment = ProcessInfo.processInfo.environment
        let path = try #require(environment["INVOICE_BENCH_DB"])
        let count = Int(environment["INVOICE_BENCH_CUSTOMERS"] ?? "") ?? 100_000
        let store = try Store(path: path)
        try RunBenchmark.seed(store: store, customers: count, today: try Day(parsing: "2026-06-01"))
        #expect(try store.customerCount() == Int64(count))
    }

    @Test func aSmallSeededDeskRunsWithoutErrors() throws {
        let directory = try TemporaryDirectory("bench-small")
        defer { directory.remove() }
        let store = try Store(path: directory.path("invoice.sqlite"))
        let today = try Day(parsing: "2026-06-01")
        try RunBenchmark.seed(store: store, customers: 300, today: today)
        let summary = try ScheduledRun(store: store).run(today: today, pageSize: 64)
        #expect(summary.errors.isEmpty)
        #expect(summary.renewalsInvoiced == 80)  // ends today … today + 7: 8 of every 30
        #expect(summary.expired > 0)
        #expect(try !ScheduledRun(store: store).run(today: today).changedAnything)
    }
}
