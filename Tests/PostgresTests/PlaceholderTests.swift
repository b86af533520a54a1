import Database
@testable import Postgres
import Testing

/// The store writes `?`; PostgreSQL numbers its parameters. Only placeholders are rewritten.
@Suite struct PlaceholderTests {
    // Mutation (mutants.tsv pg-placeholder-quotes): Sources/Postgres/Placeholders.swift: the `case UInt8(ascii: "'")` branch removed (strings
    // scanned as SQL) → the `'?'` literal becomes `'$1'` and the server sees one parameter too many.
    @Test func questionMarksInsideLiteralsIdentifiersAndCommentsStay() throws {
        let cases: [(String, String, Int)] = [
            ("SELECT ? + ?", "SELECT $1 + $2", 2),
            ("SELECT '?', ?", "SELECT '?', $1", 1),
            ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1),
            ("SELECT E'\\' ?', ?", "SELECT E'\\' ?', $1", 1),
            ("SELECT \"a?b\" FROM t WHERE x = ?", "SELECT \"a?b\" FROM t WHERE x = $1", 1),
            ("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2),
            ("SELECT /* a /* nested? */ ? */ ?", "SELECT /* a /* nested? */ ? */ $1", 1),
            ("SELECT $q$ ? $q$, $$?$$, ?", "SELECT $q$ ? $q$, $$?$$, $1", 1),
            ("SELECT 'Grüße ?' || ?", "SELECT 'Grüße ?' || $1", 1),
        ]
        for (sql, expected, count) in cases {
            let rewritten = Placeholders.rewrite(sql)
            #expect(rewritten.sql == expected, "\(sql)")
            #expect(rewritten.count == count, "\(sql)")
        }
    }

    @Test func theServerAgreesWithTheRewriting() throws {
        try withFreshDatabase { db, _ in
            let row = try db.first("""
                SELECT '?' AS literal, ? AS bound, "q?" FROM (SELECT 'ident' AS "q?") x -- trailing ?
                """, ["value"]) { ($0.text(0), $0.text(1), $0.text(2)) }
            #expect(row?.0 == "?")
            #expect(row?.1 == "value")
            #expect(row?.2 == "ident")
            // Too few values is the caller's mistake, said plainly before anything is sent.
            let error = #expect(throws: DatabaseError.self) { try db.run("SELECT ?, ?", ["one"]) }
            #expect(error?.message == "statement expects 2 values, got 1")
        }
    }
}
