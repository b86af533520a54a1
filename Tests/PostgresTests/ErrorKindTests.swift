import Database
import Postgres
import TestSupport
import Testing

/// PostgreSQL's SQLSTATEs arrive as the store's error kinds, with the code and a one-line message.
@Suite struct ErrorKindTests {
    // Mutation (mutants.tsv pg-unique-as-constraint): Sources/Postgres/SQLState.swift: `case "23505"` maps to `.constraint` → the first
    // expectation fails (kind constraint, not uniqueViolation).
    @Test func uniqueAndOtherConstraintViolations() throws {
        try withFreshDatabase { db, _ in
            try db.execute("""
                CREATE TABLE invoices (id BIGINT PRIMARY KEY, number TEXT NOT NULL UNIQUE, total BIGINT CHECK (total >= 0));
                """)
            try db.run("INSERT INTO invoices (id, number, total) VALUES (?, ?, ?)", [1, "2026-0001", 100])
            let duplicate = #expect(throws: DatabaseError.self) {
                try db.run("INSERT INTO invoices (id, number, total) VALUES (?, ?, ?)", [2, "2026-0001", 100])
            }
            #expect(duplicate?.kind == .uniqueViolation)
            #expect(duplicate?.code == "23505")
            #expect(duplicate?.message.contains("2026-0001") == true)  // the detail names the key
            #expect(duplicate?.message.contains("\n") == false)

            let notNull = #expect(throws: DatabaseError.self) {
                try db.run("INSERT INTO invoices (id, number, total) VALUES (?, ?, ?)", [3, nil, 100])
            }
            #expect(notNull?.kind == .constraint)
            #expect(notNull?.code == "23502")
            let check = #expect(throws: DatabaseError.self) {
                try db.run("INSERT INTO invoices (id, number, total) VALUES (?, ?, ?)", [4, "2026-0004", -1])
            }
            #expect(check?.kind == .constraint)
            #expect(check?.code == "23514")
            let syntax = #expect(throws: DatabaseError.self) { try db.run("SELEC 1") }
            #expect(syntax?.kind == .other)
            #expect(syntax?.code == "42601")
            // Nothing of the failed inserts was stored.
            #expect(try db.scalarInt("SELECT count(*) FROM invoices") == 1)
        }
    }

    @Test func readOnlyTransactionsReportReadOnly() throws {
        try withFreshDatabase { db, _ in
            try db.execute("CREATE TABLE t (x BIGINT)")
            try db.execute("SET default_transaction_read_only = on")
            let error = #expect(throws: DatabaseError.self) { try db.run("INSERT INTO t VALUES (?)", [1]) }
            #expect(error?.kind == .readOnly)
            #expect(error?.code == "25006")
        }
    }

    // Mutation (mutants.tsv pg-uri-not-redacted): Sources/Postgres/ConnectionURI.swift: `redacted` returns its input → the message
    // carries "s3cret" and the expectation on it fails.
    @Test func aFailedConnectionSaysWhereWithoutThePassword() throws {
        let uri = "postgresql://invoice:s3cret@/nowhere?host=/nonexistent-socket-dir&password=s3cret&sslmode=disable"
        let error = #expect(throws: DatabaseError.self) { try PostgresConnection(uri: uri) }
        #expect(error?.kind == .connection)
        #expect(error?.code.hasPrefix("08") == true)
        #expect(error?.message.contains("s3cret") == false)
        #expect(error?.message.hasPrefix("cannot connect to postgresql://invoice@/nowhere?host=/nonexistent-socket-dir&sslmode=disable:") == true)
        #expect(error?.message.contains("\n") == false)
        let server = try TestPostgres.serverURI()
        let missing = #expect(throws: DatabaseError.self) {
            try PostgresConnection(uri: TestPostgres.uri(server, database: "no_such_database"))
        }
        #expect(missing?.kind == .connection)
        #expect(missing?.message.contains("no_such_database") == true)
    }

    @Test func theLocationNeverShowsThePassword() throws {
        try withFreshDatabase { _, database in
            // The throwaway server trusts its socket, so the password is sent nowhere but must show nowhere.
            let connection = try PostgresConnection(uri: database.uri + "&password=hunter2")
            #expect(connection.location == database.uri)
            #expect(connection.engine == .postgres)
            #expect(try connection.scalarText("SELECT current_database()") == database.name)
        }
    }
}
