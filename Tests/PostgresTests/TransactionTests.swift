import Database
import Postgres
import Testing

/// Transactions: whole-transaction retry on serialization failures, nested joins, savepoints.
@Suite struct TransactionTests {
    // Mutation (mutants.tsv pg-never-retry): Sources/Postgres/PostgresConnection+Transactions.swift: `guard sawRetryableFailure else`
    // becomes `guard false else` (never retry) → the transaction throws 40001 and the test fails.
    @Test func aSerializationFailureRunsTheWholeTransactionAgain() throws {
        try withFreshDatabase { a, database in
            let b = try PostgresConnection(uri: database.uri)
            try a.execute("CREATE TABLE counter (id BIGINT PRIMARY KEY, value BIGINT NOT NULL); INSERT INTO counter VALUES (1, 0)")
            var attempts = 0
            let written = try a.transaction(.immediate) { () throws -> Int64 in
                attempts += 1
                // The snapshot is taken here: the read decides what is written, as in the store.
                let value = try a.scalarInt("SELECT value FROM counter WHERE id = 1")
                if attempts == 1 {
                    // Another host commits a change to the same row meanwhile: a real 40001 follows.
                    try b.run("UPDATE counter SET value = value + 100 WHERE id = 1")
                }
                try a.run("UPDATE counter SET value = ? WHERE id = 1", [.integer(value + 1)])
                return value + 1
            }
            #expect(attempts == 2)
            #expect(written == 101)
            #expect(try b.scalarInt("SELECT value FROM counter WHERE id = 1") == 101)
        }
    }

    @Test func retriesAreBoundedAndTheFailureIsReported() throws {
        try withFreshDatabase { a, database in
            let b = try PostgresConnection(uri: database.uri)
            try a.execute("CREATE TABLE counter (id BIGINT PRIMARY KEY, value BIGINT NOT NULL); INSERT INTO counter VALUES (1, 0)")
            a.maximumTransactionAttempts = 3
            var attempts = 0
            let error = #expect(throws: DatabaseError.self) {
                try a.transaction(.immediate) {
                    attempts += 1
                    _ = try a.scalarInt("SELECT value FROM counter WHERE id = 1")
                    try b.run("UPDATE counter SET value = value + 1 WHERE id = 1")
                    try a.run("UPDATE counter SET value = 0 WHERE id = 1")
                }
            }
            #expect(attempts == 3)
            #expect(error?.kind == .serializationFailure)
            #expect(error?.code == "40001")
            #expect(error?.message.hasSuffix("(gave up after 3 attempts)") == true)
            #expect(try a.scalarInt("SELECT value FROM counter WHERE id = 1") == 3)
        }
    }

    /// The store wraps engine errors in its own: the retry must not depend on seeing a DatabaseError.
    @Test func aWrappedSerializationFailureIsRetriedToo() throws {
        struct Wrapped: Error {}
        try withFreshDatabase { a, database in
            let b = try PostgresConnection(uri: database.uri)
            try a.execute("CREATE TABLE counter (id BIGINT PRIMARY KEY, value BIGINT NOT NULL); INSERT INTO counter VALUES (1, 0)")
            var attempts = 0
            try a.transaction(.immediate) {
                attempts += 1
                _ = try a.scalarInt("SELECT value FROM counter WHERE id = 1")
                if attempts == 1 { try b.run("UPDATE counter SET value = 7 WHERE id = 1") }
                do { try a.run("UPDATE counter SET value = value + 1 WHERE id = 1") } catch { throw Wrapped() }
            }
            #expect(attempts == 2)
            #expect(try b.scalarInt("SELECT value FROM counter WHERE id = 1") == 8)
        }
    }

    // Mutation (mutants.tsv pg-savepoint-no-rollback): Sources/Postgres/PostgresConnection+Transactions.swift: savepoint's catch skips (`if false`)
    // `ROLLBACK TO SAVEPOINT` → the outer transaction stays aborted: the next statement fails with
    // "current transaction is aborted" (25P02) and the outer row is never committed.
    @Test func aSavepointRollbackKeepsTheOuterTransaction() throws {
        struct Refused: Error {}
        try withFreshDatabase { db, _ in
            try db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, note TEXT)")
            try db.transaction(.immediate) {
                try db.run("INSERT INTO t VALUES (?, ?)", [1, "outer"])
                #expect(throws: DatabaseError.self) {
                    try db.savepoint {
                        try db.run("INSERT INTO t VALUES (?, ?)", [2, "inner"])
                        try db.run("INSERT INTO t VALUES (?, ?)", [1, "duplicate"])  // 23505 aborts the savepoint
                    }
                }
                #expect(throws: Refused.self) {
                    try db.savepoint {
                        try db.savepoint { try db.run("INSERT INTO t VALUES (?, ?)", [3, "nested"]) }
                        throw Refused()
                    }
                }
                try db.savepoint { try db.run("INSERT INTO t VALUES (?, ?)", [4, "kept"]) }
                // A nested transaction joins the outer one.
                try db.transaction(.immediate) { try db.run("INSERT INTO t VALUES (?, ?)", [5, "joined"]) }
            }
            #expect(try db.query("SELECT id FROM t ORDER BY id") { $0.int(0) } == [1, 4, 5])
        }
    }

    @Test func aThrowingBodyRollsBackAndAFailedStatementCannotPassForACommit() throws {
        struct Stop: Error {}
        try withFreshDatabase { db, _ in
            try db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)")
            #expect(throws: Stop.self) {
                try db.transaction(.immediate) {
                    try db.run("INSERT INTO t VALUES (?)", [1])
                    throw Stop()
                }
            }
            // A body that swallows a failed statement: PostgreSQL answers the COMMIT with ROLLBACK.
            let error = #expect(throws: DatabaseError.self) {
                try db.transaction(.immediate) {
                    try db.run("INSERT INTO t VALUES (?)", [2])
                    _ = try? db.run("INSERT INTO t VALUES (?)", [2])
                }
            }
            #expect(error?.code == "25P02")
            #expect(try db.scalarInt("SELECT count(*) FROM t") == 0)
        }
    }
}
