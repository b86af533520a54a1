import Database
import Postgres
import Testing

/// Statements are prepared once per connection; SQL built at run time does not accumulate.
@Suite struct PostgresStatementCacheTests {
    // Mutation (mutants.tsv pg-statement-cache-once): Sources/Postgres/PostgresConnection.swift: `guard reuse == .cached else { return nil }`
    // removed (every statement cached) → the `.once` IN lists grow the cache to 52 statements.
    @Test func theCacheHoldsOnlyTheFixedStatements() throws {
        try withFreshDatabase { db, _ in
            try db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, note TEXT)")
            for id in 1...500 {
                try db.run("INSERT INTO t (id, note) VALUES (?, ?)", [.integer(Int64(id)), .text("note \(id)")])
            }
            let prepared = db.cachedStatementCount
            for length in 1...50 {
                let marks = Array(repeating: "?", count: length).joined(separator: ", ")
                let found = try db.query("SELECT id FROM t WHERE id IN (\(marks))",
                                         (1...length).map { .integer(Int64($0)) }, reuse: .once) { $0.int(0) }
                #expect(found.count == length)
            }
            for id in 1...500 { _ = try db.first("SELECT note FROM t WHERE id = ?", [.integer(Int64(id))]) { $0.text(0) } }
            #expect(prepared == 1)
            #expect(db.cachedStatementCount == 2)
            // The server holds exactly the statements the connection cached.
            #expect(try db.scalarInt("SELECT count(*) FROM pg_prepared_statements") == 3)  // + this one
        }
    }
}
