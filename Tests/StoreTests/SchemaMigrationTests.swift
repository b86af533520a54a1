import Billing
import Foundation
import Database
import SQLite
import Store
import Testing
import TestSupport

/// Every earlier schema version migrates to the current one and keeps its data: a database file
/// from each version (`Fixtures/schema/vN.sqlite`, built by `build.py` from the first N migrations
/// and the rows that version wrote) is opened, migrated and read back through the store.
///
/// A migration appended later is exercised without editing this test: every fixture is migrated
/// through all migrations the program has. The test asks for a fixture of every version below the
/// current one (build.py writes the missing ones).
@Suite struct SchemaMigrationTests {
    static let fixtures = Paths.packageRoot.appendingPathComponent("Tests/StoreTests/Fixtures/schema")

    /// The versions with a fixture file, and the current version (`PRAGMA user_version` of a new store).
    static func versions() throws -> (fixtures: [Int64], current: Int64) {
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtures.path)
        let found = names.compactMap { name -> Int64? in
            guard name.hasPrefix("v"), name.hasSuffix(".sqlite") else { return nil }
            return Int64(name.dropFirst().dropLast(".sqlite".count))
        }.sorted()
        let directory = try TemporaryDirectory("schema-current")
        defer { directory.remove() }
        let current = try Store(path: directory.path("new.sqlite")).schemaVersion
        return (found, current)
    }

    @Test func thereIsAFixtureForEveryEarlierVersion() throws {
        let (found, current) = try Self.versions()
        let missing = (1..<current).filter { !found.contains($0) }
        #expect(missing.isEmpty, "no fixture for schema version(s) \(missing): run python3 Tests/StoreTests/Fixtures/schema/build.py")
        #expect(found.first == 1)
    }

    // Mutation (mutants.tsv migrate-new-files-only): `for index in Int(locked)..<migrations.count where locked == 0` in Schema.migrate
    // (only new files get migrations) → every fixture below the current version fails here
    // ("no such table: bookings", "no such column: billed_to", …).
    @Test(arguments: [Int64](1...11))
    func aDatabaseOfAnEarlierVersionMigratesAndKeepsItsData(version: Int64) throws {
        let (found, current) = try Self.versions()
        guard found.contains(version) else {
            // Versions beyond the fixtures: there is nothing to open (the test above asks for every earlier one).
            #expect(version >= current, "fixture v\(version).sqlite is missing")
            return
        }
        let directory = try TemporaryDirectory("schema-v\(version)")
        defer { directory.remove() }
        let path = directory.path("billing.sqlite")
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("v\(version).sqlite").path, toPath: path)
        #expect(try Connection(path: path, readOnly: true).scalarInt("PRAGMA user_version") == version)

        let store = try Store(path: path)
        let raw = try Connection(path: path, readOnly: true)
        #expect(try raw.scalarInt("PRAGMA user_version") == current)
        #expect(try raw.scalarText("PRAGMA integrity_check") == "ok")
        #expect(try raw.query("PRAGMA foreign_key_check") { $0.text(0) }.isEmpty)

        // Version 1: operator, customers, catalog, invoices with lines, payments, credit, counter.
        let seller = try store.loadOperator()
        #expect(seller.company == "Cloudwerk AG")
        #expect(seller.numberFormat.number(sequence: 7, on: try Day(parsing: "2026-03-01")) == "CW-2026-00007")
        #expect(try store.customerCount() == 2)
        let lumiere = try store.customer(id: 2)
        #expect(lumiere.company == "Café Lumière Sàrl")
        #expect(lumiere.language == .fr)
        #expect(try store.users(customerID: 1).map(\.surname) == ["Müller"])
        #expect(try store.products().map(\.name).sorted() == ["Business", "Zeiterfassung"])
        let first = try store.invoice(reference: "CW-2026-00001")
        #expect(first.status == .paid)
        #expect(first.lines.map(\.title) == ["Plan Business", "Support"])
        #expect(first.totals.payable.minorUnits == 30160)
        #expect(first.payments.map(\.amount.minorUnits) == [30160])
        let second = try store.invoice(reference: "CW-2026-00002")
        #expect(second.totals.payable.minorUnits == 13295)  // 132.96 rounded to 0.05
        #expect(second.paid.minorUnits == 5000)
        let draft = try store.invoice(id: 3)
        #expect(draft.status == .draft)
        #expect(draft.number == nil)
        #expect(try store.creditBalance(customerID: 2, currency: try Currency(code: "CHF")).minorUnits == 2500)

        // Version 2: bookings, periods, history, trials, reminders (empty but usable before).
        let plans = try store.bookings(customerID: 1, kind: .plan)
        let reminders = try store.reminders(invoiceID: second.id)
        let trial = try store.trialStarted(customerID: 1, productID: 2)
        if version >= 2 {
            let plan = try #require(plans.first)
            #expect(plan.status == .active)
            #expect(try store.periods(bookingID: plan.id).map(\.state) == [.paid])
            #expect(try store.bookingEvents(bookingID: plan.id).map(\.action) == ["activated", "paid"])
            #expect(trial == (try Day(parsing: "2026-01-10")))
            #expect(reminders.map(\.level) == [1])
        } else {
            #expect(plans.isEmpty)
            #expect(trial == nil)
            #expect(reminders.isEmpty)
        }

        // Version 3: the mail queue.
        let mail = try store.mailCounts()
        if version >= 3 {
            #expect(mail == [.sent: 1])
            #expect(try store.mail(id: 1).subject == "Rechnung CW-2026-00001 von Cloudwerk AG")
        } else {
            #expect(mail.values.reduce(0, +) == 0)
        }

        // Version 4: webhook events; the payment they recorded stays keyed to the event.
        let event = try store.webhookEvent(id: "evt_1QdzKx2eZvKYlo2C")
        if version >= 4 {
            #expect(event?.status == "applied")
            #expect(try !store.addPayment(Payment(amount: Money(minorUnits: 5000, currency: second.currency),
                                                  date: try Day(parsing: "2026-01-25")),
                                          invoiceID: second.id, eventID: "evt_1QdzKx2eZvKYlo2C"),
                    "a redelivered event records nothing")
        } else {
            #expect(event == nil)
        }

        // Version 5: the recipient frozen at issue, whatever the customer's record says now.
        if version >= 5 {
            let frozen = try store.invoice(reference: "CW-2026-00003")
            let billed = try store.billedTo(frozen)
            #expect(billed.customer.address.street == "Bahnhofstrasse")
            #expect(try store.customer(id: 1).address.street == "Seefeldstrasse")
            #expect(billed.addressee?.surname == "Müller")
        } else {
            // Invoices issued before version 5 show the customer as the record says now.
            #expect(try store.billedTo(first).customer.address.street == "Bahnhofstrasse")
        }

        // Mutation (mutants.tsv frozen-seller-migration): without `Schema.freezeSellers` the issued invoices have no frozen seller.
        // Version 10: issued documents keep the seller they showed before the upgrade (the settings of
        // then, frozen by the migration); drafts follow the settings.
        for id: Int64 in version >= 5 ? [1, 2, 4] : [1, 2] {
            #expect(try store.frozenSeller(invoiceID: id) == seller, "invoice id \(id)")
        }
        #expect(try store.frozenSeller(invoiceID: 3) == nil)

        // The migrated file takes new work: the counter continues without a gap.
        let issued = version >= 5 ? 3 : 2
        #expect(try store.write { try store.nextSequence(scope: "2026") } == Int64(issued + 1))
    }
}
