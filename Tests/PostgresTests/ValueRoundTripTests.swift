import Database
import Postgres
import Testing

/// Every value the store binds comes back as it went in, and integers come back exact.
@Suite struct ValueRoundTripTests {
    // Mutation (mutants.tsv pg-hex-last-byte): Sources/Postgres/PostgresRow.swift: decodeHex returns `out.dropLast()` (last byte lost)
    // → the blob comparison fails for every non-empty blob.
    @Test func everyKindOfValueRoundTrips() throws {
        try withFreshDatabase { db, _ in
            try db.execute("CREATE TABLE v (id BIGINT PRIMARY KEY, i BIGINT, t TEXT, b BYTEA)")
            let allBytes = (0...255).map { UInt8($0) }
            let rows: [(Int64, SQLValue, SQLValue, SQLValue)] = [
                (1, .integer(Int64.max), .text("Grüße, 日本, 🧾 \"quoted\" 'single' \\ back"), .blob(allBytes)),
                (2, .integer(Int64.min), .text(""), .blob([])),
                (3, .null, .null, .null),
                (4, .integer(0), .text("line one\nline two\ttab"), .blob([0, 0, 255])),
            ]
            for (id, i, t, b) in rows {
                try db.run("INSERT INTO v (id, i, t, b) VALUES (?, ?, ?, ?)", [.integer(id), i, t, b])
            }
            var seen: [Int64: (Int64?, String?, [UInt8]?)] = [:]
            try db.forEach("SELECT id, i, t, b FROM v ORDER BY id") { row in
                seen[row.int(0)] = (row.optionalInt(1), row.optionalText(2), row.isNull(3) ? nil : row.blob(3))
            }
            #expect(seen[1]?.0 == Int64.max)
            #expect(seen[1]?.1 == "Grüße, 日本, 🧾 \"quoted\" 'single' \\ back")
            #expect(seen[1]?.2 == allBytes)
            #expect(seen[2]?.0 == Int64.min)
            #expect(seen[2]?.1 == "")
            #expect(seen[2]?.2 == [])
            #expect(seen[3]?.0 == nil && seen[3]?.1 == nil && seen[3]?.2 == nil)
            #expect(seen[4]?.1 == "line one\nline two\ttab")
            #expect(seen[4]?.2 == [0, 0, 255])
            // The bytes are stored as bytes (the server agrees on their length), not as their hex text.
            #expect(try db.scalarInt("SELECT octet_length(b) FROM v WHERE id = 1") == 256)
        }
    }

    // Mutation (mutants.tsv pg-integer-overflow): Sources/Postgres/PostgresRow.swift: exactInteger returns `positive` without its overflow check
    // → 2^63 reads as a wrapped negative number instead of being refused.
    @Test func numericSumsReadExactlyAndFractionsAreRefused() throws {
        try withFreshDatabase { db, _ in
            try db.execute("CREATE TABLE money (amount BIGINT NOT NULL, rate NUMERIC(12,2) NOT NULL)")
            // Three amounts whose sum needs all 63 bits: a double would round it.
            let big: Int64 = 3_074_457_345_618_258_602
            for amount in [big, big, big] {
                try db.run("INSERT INTO money (amount, rate) VALUES (?, ?)", [.integer(amount), .text("7.50")])
            }
            #expect(try db.first("SELECT pg_typeof(SUM(amount))::text FROM money") { $0.text(0) } == "numeric")
            #expect(try db.scalarInt("SELECT SUM(amount) FROM money") == 9_223_372_036_854_775_806)
            #expect(try db.scalarInt("SELECT SUM(rate * 2) FROM money") == 45)  // 45.00: fraction zero
            #expect(try db.scalarInt("SELECT 1 = 1") == 1)

            let fractional = #expect(throws: DatabaseError.self) { try db.scalarInt("SELECT SUM(rate) FROM money") }
            #expect(fractional?.message.contains("22.50") == true)
            let tooBig = #expect(throws: DatabaseError.self) { try db.scalarInt("SELECT SUM(amount) + 2 FROM money") }
            #expect(tooBig?.message.contains("9223372036854775808") == true)
            // The connection is fine after a refused value.
            #expect(try db.scalarInt("SELECT count(*) FROM money") == 3)
        }
    }

    @Test func textWithNulIsRefusedWithAClearMessage() throws {
        try withFreshDatabase { db, _ in
            let error = #expect(throws: DatabaseError.self) { try db.first("SELECT ?::text", ["a\u{0}b"]) { $0.text(0) } }
            #expect(error?.message.contains("NUL") == true)
        }
    }
}
