import Billing
import Foundation
import Store
import Workflows

/// `invoice run` over many customers with bookings: renewals, expiries, overdue, reminders.
struct RunBench: BenchSection {
    static let name = "run"
    static let summary = "the scheduled run (invoice run) over 10,000 and 100,000 customers"
    let environment: BenchEnvironment

    func run() throws {
        let small = quick ? 2_000 : 10_000
        let large = quick ? 20_000 : 100_000
        report.section("The scheduled run (`invoice run`, one process, renewal pass, expiry, overdue, reminders)")
        let today = try Day(parsing: "2026-11-25")
        var results: [(customers: Int, seconds: Double, peakKiB: Int, bookings: Int64)] = []
        for count in [small, large] {
            let path = directory.appendingPathComponent("run-\(count).sqlite").path
            let store = try Store(path: path)
            try RunSeed.seed(store: store, customers: count, today: today)
            let bookings = Int64(count + (count + 9) / 10)
            let measured = try measureProcess(invoice, ["--db", path, "--date", today.description, "run"])
            results.append((count, measured.seconds, measured.peakKiB, bookings))
        }
        for r in results {
            report.figure("run over \(r.customers) customers", r.seconds, unit: "s")
            report.figure("bookings/s at \(r.customers) customers", Double(r.bookings) / r.seconds, unit: "bookings/s")
            report.figure("peak memory at \(r.customers) customers", Double(r.peakKiB) / 1024, unit: "MiB")
        }
        if results.count == 2 {
            report.figure("memory growth \(small) → \(large) customers",
                          Double(results[1].peakKiB - results[0].peakKiB) / Double(max(results[0].peakKiB, 1)) * 100, unit: "%")
        }
        report.note("target: ≤ 10 s for 100,000 customers on 2 cores, memory flat")
    }
}
