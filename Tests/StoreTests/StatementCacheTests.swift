import Billing
import Foundation
import Database
import SQLite
import Store
import Testing
import TestSupport

/// SQL built from the input (IN lists as long as the numbers asked for) is not cached forever: a
/// long-running process (`invoice serve`, a big `print`) would otherwise keep one prepared
/// statement per distinct list length.
@Suite struct StatementCacheTests {
    // Mutation (mutants.tsv store-foreach-cached): `reuse: .cached` in Store.forEachInvoice → the cache grows by one statement per
    // list length and this test fails.
    @Test func invoiceQueriesWithListsOfEveryLengthKeepTheCacheFixed() throws {
        let directory = try TemporaryDirectory("statement-cache")
        defer { directory.remove() }
        let store = try Store(path: try TestEngine.location(for: directory.path("billing.sqlite")))
        var filter = InvoiceFilter(numbers: ["INV-1"])
        try store.forEachInvoice(filter) { _ in }
        let before = store.cachedStatementCount
        for length in 1...40 {
            filter = InvoiceFilter(statuses: Array([InvoiceStatus.open, .paid, .cancelled].prefix(length % 3 + 1)),
                                   numbers: (0..<length).map { "INV-\($0)" }, limit: length)
            var seen = 0
            try store.forEachInvoice(filter) { _ in seen += 1 }
            #expect(seen == 0)
        }
        #expect(store.cachedStatementCount == before, "\(store.cachedStatementCount - before) statements added")
    }

    // Mutation (mutants.tsv sqlite-cache-once): `if reuse == .cached { cache[sql] = statement }` → `cache[sql] = statement` in
    // Connection.prepared → this test fails.
    @Test func aStatementUsedOnceIsNotKeptButACachedOneIs() throws {
        let directory = try TemporaryDirectory("statement-cache-raw")
        defer { directory.remove() }
        let connection = try Connection(path: directory.path("raw.sqlite"))
        try connection.execute("CREATE TABLE t (x INTEGER)")
        let start = connection.cachedStatementCount
        for count in 1...10 {
            let list = Array(repeating: "?", count: count).joined(separator: ", ")
            _ = try connection.query("SELECT x FROM t WHERE x IN (\(list))", (0..<count).map { .integer(Int64($0)) },
                                     reuse: .once) { $0.int(0) }
        }
        #expect(connection.cachedStatementCount == start)
        _ = try connection.scalarInt("SELECT count(*) FROM t")
        _ = try connection.scalarInt("SELECT count(*) FROM t")
        #expect(connection.cachedStatementCount == start + 1)
    }
}
