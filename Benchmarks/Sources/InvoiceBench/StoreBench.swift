import Billing
import Foundation
import Store
import Workflows

/// Issuing invoices into SQLite, against the sqlite3 shell doing the same inserts; and the memory
/// of streaming a long `list --json`.
struct StoreBench: BenchSection {
    static let name = "store"
    static let summary = "issuing invoices into SQLite against the sqlite3 shell; memory of list --json"
    let environment: BenchEnvironment

    func run() throws {
        report.section("Issuing invoices into SQLite (3 lines each, numbered, totals stored)")
        let bulkCount = quick ? 2_000 : 10_000
        let singleCount = quick ? 200 : 1_000
        let bulk = try issue(count: bulkCount, oneTransaction: true, file: "bulk.sqlite")
        let single = try issue(count: singleCount, oneTransaction: false, file: "single.sqlite")
        let peerBulk = try sqliteShell(count: bulkCount, oneTransaction: true, file: "peer-bulk.sqlite")
        let peerSingle = try sqliteShell(count: singleCount, oneTransaction: false, file: "peer-single.sqlite")
        report.figure("issued/s, all in one transaction", Double(bulkCount) / bulk, unit: "inv/s",
                      peer: ("sqlite3 shell", Double(bulkCount) / peerBulk))
        report.figure("issued/s, one transaction each (fsync)", Double(singleCount) / single, unit: "inv/s",
                      peer: ("sqlite3 shell", Double(singleCount) / peerSingle))

        report.section("Streaming `invoice list --json` (peak resident memory of the process)")
        let small = quick ? 2_000 : 10_000
        let large = quick ? 20_000 : 100_000
        let smallDB = directory.appendingPathComponent("list-small.sqlite").path
        let largeDB = directory.appendingPathComponent("list-large.sqlite").path
        try seed(path: smallDB, count: small)
        try seed(path: largeDB, count: large)
        let a = try measureProcess(invoice, ["--db", smallDB, "list", "--json"])
        let b = try measureProcess(invoice, ["--db", largeDB, "list", "--json"])
        report.figure("peak memory listing \(small) invoices", Double(a.peakKiB) / 1024, unit: "MiB")
        report.figure("peak memory listing \(large) invoices", Double(b.peakKiB) / 1024, unit: "MiB")
        report.figure("memory growth \(small) → \(large)", Double(b.peakKiB - a.peakKiB) / Double(max(a.peakKiB, 1)) * 100, unit: "%")
        report.figure("list --json throughput", Double(large) / b.seconds, unit: "inv/s")
    }

    private func makeStore(_ file: String) throws -> (Store, Customer) {
        let path = directory.appendingPathComponent(file).path
        let store = try Store(path: path)
        let customer = try store.addCustomer(Customer(
            id: 0, company: "Bench GmbH", address: Address(country: try Country(code: "CH")), email: "bench@example.ch",
            currency: try Currency(code: "CHF"), language: .de))
        return (store, customer)
    }

    private func draft(_ i: Int, currency: Currency) throws -> InvoiceDraft {
        InvoiceDraft(title: "Bench \(i)", lines: [
            try InvoiceLine(parsing: "Plan Business;1;99.00;8.1;;Monat", currency: currency),
            try InvoiceLine(parsing: "Modul Zeiterfassung;\(i % 5 + 1);12.00;8.1;;Monat", currency: currency),
            try InvoiceLine(parsing: "Support;1.5;120.00;8.1;10;h", currency: currency),
        ])
    }

    private func issue(count: Int, oneTransaction: Bool, file: String) throws -> Double {
        let (store, customer) = try makeStore(file)
        let invoicing = Invoicing(store: store)
        let today = try Day(parsing: "2026-11-25")
        let drafts = try (0..<count).map { try draft($0, currency: customer.currency) }
        return try measure {
            let body = {
                for d in drafts { _ = try invoicing.create(customerReference: String(customer.id), d, issue: true, today: today) }
            }
            if oneTransaction { try store.write(body) } else { try body() }
        }
    }

    /// The same rows written by the sqlite3 command-line shell from an SQL script (WAL, synchronous FULL).
    private func sqliteShell(count: Int, oneTransaction: Bool, file: String) throws -> Double {
        let path = directory.appendingPathComponent(file).path
        var sql = """
            PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
            CREATE TABLE counters (scope TEXT PRIMARY KEY, value INTEGER NOT NULL);
            CREATE TABLE invoices (id INTEGER PRIMARY KEY, number TEXT UNIQUE, customer_id INTEGER, title TEXT, issue_date TEXT,
              due_date TEXT, currency TEXT, status TEXT, net INTEGER, vat INTEGER, gross INTEGER, total INTEGER, vat_groups TEXT);
            CREATE TABLE invoice_lines (invoice_id INTEGER, position INTEGER, title TEXT, quantity TEXT, unit TEXT,
              unit_price INTEGER, discount TEXT, vat_rate TEXT, amount INTEGER, PRIMARY KEY (invoice_id, position));

            """
        if oneTransaction { sql += "BEGIN IMMEDIATE;\n" }
        for i in 0..<count {
            if !oneTransaction { sql += "BEGIN IMMEDIATE;\n" }
            sql += """
                INSERT INTO counters VALUES ('2026', 1) ON CONFLICT (scope) DO UPDATE SET value = value + 1;
                INSERT INTO invoices (number, customer_id, title, issue_date, due_date, currency, status, net, vat, gross, total, vat_groups)
                  VALUES ('INV-2026-' || (SELECT value FROM counters WHERE scope = '2026'), 1, 'Bench \(i)', '2026-11-25', '2026-12-25',
                  'CHF', 'open', 30000, 2430, 32430, 32430, '8.1:30000:2430');
                INSERT INTO invoice_lines VALUES (last_insert_rowid(), 1, 'Plan Business', '1', 'Monat', 9900, '0', '8.1', 9900);
                INSERT INTO invoice_lines VALUES ((SELECT max(id) FROM invoices), 2, 'Modul Zeiterfassung', '\(i % 5 + 1)', 'Monat', 1200, '0', '8.1', \(1200 * (i % 5 + 1)));
                INSERT INTO invoice_lines VALUES ((SELECT max(id) FROM invoices), 3, 'Support', '1.5', 'h', 12000, '10', '8.1', 16200);

                """
            if !oneTransaction { sql += "COMMIT;\n" }
        }
        if oneTransaction { sql += "COMMIT;\n" }
        let script = directory.appendingPathComponent(file + ".sql")
        try Data(sql.utf8).write(to: script)
        return try measureProcess("/bin/sh", ["-c", "sqlite3 '\(path)' < '\(script.path)'"]).seconds
    }

    private func seed(path: String, count: Int) throws {
        let store = try Store(path: path)
        let customer = try store.addCustomer(Customer(
            id: 0, company: "Bench GmbH", address: Address(country: try Country(code: "CH")), email: "bench@example.ch",
            currency: try Currency(code: "CHF"), language: .de))
        let invoicing = Invoicing(store: store)
        let today = try Day(parsing: "2026-11-25")
        let template = try draft(1, currency: customer.currency)
        try store.write {
            for _ in 0..<count { _ = try invoicing.create(customerReference: String(customer.id), template, issue: true, today: today) }
        }
    }
}
