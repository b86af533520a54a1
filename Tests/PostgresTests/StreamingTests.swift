import Database
import Postgres
import Testing

/// Reading large results: one row in memory at a time.
@Suite struct StreamingTests {
    // Mutation (mutants.tsv pg-single-row-mode): Sources/Postgres/PostgresConnection.swift: `if singleRow { PQsetSingleRowMode(handle) }`
    // removed → the whole result arrives as one PGresult and peakRowsInMemory is 100000, not 1.
    @Test func forEachOverAHundredThousandRowsHoldsOneAtATime() throws {
        try withFreshDatabase { db, _ in
            try db.execute("""
                CREATE TABLE lines (id BIGINT PRIMARY KEY, description TEXT NOT NULL, amount BIGINT NOT NULL);
                INSERT INTO lines SELECT g, 'line ' || g || ' ' || repeat('x', 60), g * 3 FROM generate_series(1, 100000) g;
                """)
            var count = 0
            var total: Int64 = 0
            var lastID: Int64 = 0
            try db.forEach("SELECT id, description, amount FROM lines ORDER BY id") { row in
                count += 1
                total += row.int(2)
                #expect(row.int(0) == lastID + 1)
                lastID = row.int(0)
            }
            #expect(count == 100_000)
            #expect(total == 3 * 100_000 * 100_001 / 2)
            #expect(db.peakRowsInMemory == 1)
        }
    }

    // Mutation (mutants.tsv pg-first-reads-on): Sources/Postgres/PostgresConnection.swift: `first` returns true from its row handler
    // (keeps reading) → map runs 50000 times and the expectation on `calls` fails.
    @Test func firstMapsOneRowAndLeavesTheConnectionReady() throws {
        try withFreshDatabase { db, _ in
            var calls = 0
            let value = try db.first("SELECT g FROM generate_series(1, 50000) g ORDER BY g") { row -> Int64 in
                calls += 1
                return row.int(0)
            }
            #expect(value == 1)
            #expect(calls == 1)
            #expect(db.peakRowsInMemory == 1)
            #expect(try db.scalarInt("SELECT 41 + 1") == 42)
            #expect(try db.first("SELECT 1 WHERE false") { $0.int(0) } == nil)
        }
    }

    /// The store reads a row's details from inside a listing: the connection must serve both.
    @Test func aStatementRunFromInsideForEachWorks() throws {
        try withFreshDatabase { db, _ in
            try db.execute("""
                CREATE TABLE invoices (id BIGINT PRIMARY KEY);
                CREATE TABLE lines (invoice_id BIGINT NOT NULL, amount BIGINT NOT NULL);
                INSERT INTO invoices SELECT g FROM generate_series(1, 20) g;
                INSERT INTO lines SELECT i, i * 10 + l FROM generate_series(1, 20) i, generate_series(1, 3) l;
                """)
            var totals: [Int64: Int64] = [:]
            try db.forEach("SELECT id FROM invoices ORDER BY id") { row in
                let id = row.int(0)
                totals[id] = try db.scalarInt("SELECT SUM(amount) FROM lines WHERE invoice_id = ?", [.integer(id)])
                #expect(row.int(0) == id)  // the outer row is still the one being read
            }
            #expect(totals.count == 20)
            let seventh: Int64 = 71 + 72 + 73
            #expect(totals[7] == seventh)
        }
    }
}
