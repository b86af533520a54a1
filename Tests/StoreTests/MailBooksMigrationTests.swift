import Billing
import Foundation
import Database
import SQLite
import Store
import Testing
import TestSupport

/// Migration 9 (mail follows the books) on a database version 8 wrote: an invoice version 8 marked
/// sent when its mail was only queued is unsent again, one whose mail the server accepted stays sent,
/// and a message version 8 cancelled gets the operator as its reason.
@Suite struct MailBooksMigrationTests {
    // Mutation (mutants.tsv migration9-noop): migration 9's `UPDATE invoices SET sent_at = NULL WHERE sent_at IS NOT NULL …` → `… IS NOT NULL AND 0 …`
    // (the statement does nothing) → invoice 2 stays "sent" although its mail never left, and this test fails.
    @Test func sentMeansAcceptedAfterTheMigration() throws {
        let directory = try TemporaryDirectory("mail-books-migration")
        defer { directory.remove() }
        let path = directory.path("billing.sqlite")
        try FileManager.default.copyItem(atPath: SchemaMigrationTests.fixtures.appendingPathComponent("v8.sqlite").path, toPath: path)
        // What version 8 wrote: invoice 2 queued (and so marked sent), a receipt cancelled by the operator.
        let version8 = try Connection(path: path)
        try version8.execute(Self.writtenByVersion8)
        #expect(try version8.scalarText("SELECT sent_at FROM invoices WHERE id = 2") == "2026-01-06")
        #expect(try version8.scalarInt("PRAGMA user_version") == 8)
        let store = try Store(path: path)
        #expect(try store.invoice(id: 1).sentAt == (try Day(parsing: "2026-01-05")))
        #expect(try store.invoice(id: 2).sentAt == nil)
        #expect(try store.mail(id: 2).state == .deferred)
        #expect(try store.mail(id: 3).cancelReason == "cancelled by the operator")
        #expect(try store.isNoMail(invoiceID: 2) == false)
        // The run's sweep does not queue invoice 2 again: its mail exists (deferred).
        #expect(try !store.documentsWithoutMail().contains(2))
    }

    static let writtenByVersion8 = """
        UPDATE invoices SET sent_at = '2026-01-06' WHERE id = 2;
        INSERT INTO mail_queue (id, idempotency_key, kind, invoice_id, sender, recipient, subject, file, message_id, size, state, attempts, next_attempt_at, lease_owner, lease_until, last_reply, unknown_outcome, created_at, updated_at, sent_at) VALUES
          (2, 'invoice:2:invoice:1', 'invoice', 2, 'billing@cloudwerk.ch', 'compta@lumiere.example', 'Facture CW-2026-00002 de Cloudwerk AG',
           'invoice-2-invoice-1-0a1b2c3d.eml', '<invoice-2.20260106@cloudwerk.ch>', 40112, 'deferred', 1, 1767700000, NULL, NULL,
           '451 4.3.0 try again later', 0, '2026-01-06T10:06:00Z', '2026-01-06T10:07:00Z', NULL),
          (3, 'invoice:1:receipt', 'receipt', 1, 'billing@cloudwerk.ch', 'j.mueller@mueller-soehne.example', 'Zahlungsbestätigung CW-2026-00001',
           'invoice-1-receipt-4e5f6a7b.eml', '<receipt-1.20260120@cloudwerk.ch>', 39001, 'cancelled', 0, 1768906800, NULL, NULL,
           '', 0, '2026-01-20T11:00:00Z', '2026-01-20T11:05:00Z', NULL);
        """
}
