import Billing
import Database
import Foundation
import Testing
import TestSupport
@testable import Store

/// A database written by the version before credit notes (schema 5), with customer credit stored the
/// old way: a "Verrechnetes Guthaben" line at 0 % VAT. Opening it migrates those lines into prepaid
/// amounts (BT-113): lines, net and VAT as if the credit had never been a line, the amount due unchanged.
struct MoneyMigrationTests {
    /// `sqlite3 .dump` of that database, made with the previous `invoice` binary: INV-2026-00001 overpaid
    /// by 11.93; INV-2026-00002 (8.1 % and 2.6 %) consumed it (net 98.07 instead of 110.00) and got
    /// 50.00; INV-2026-00003 overpaid by 14.60; INV-2026-00004 consumed 5.41 and had net −0.41, total 0.
    static let schema5 = """
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
INSERT INTO settings VALUES('company','Old Desk AG');
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    company TEXT NOT NULL, contact TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '', building TEXT NOT NULL DEFAULT '', postcode TEXT NOT NULL DEFAULT '',
    town TEXT NOT NULL DEFAULT '', country TEXT NOT NULL,
    email TEXT NOT NULL, vat_id TEXT NOT NULL DEFAULT '', currency TEXT NOT NULL, language TEXT NOT NULL,
    billing_info TEXT NOT NULL DEFAULT '', active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL
) STRICT;
INSERT INTO customers VALUES(1,'Altkunde AG','','','','','','CH','ap@alt.ch','','CHF','de','',1,'2026-11-26T13:00:24Z');
CREATE TABLE users (
    id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
    salutation TEXT NOT NULL DEFAULT '', first_name TEXT NOT NULL, surname TEXT NOT NULL, email TEXT NOT NULL
) STRICT;
CREATE TABLE products (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('plan', 'module')), name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '', trial_days INTEGER NOT NULL DEFAULT 0,
    free INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1, UNIQUE (kind, name)
) STRICT;
CREATE TABLE product_prices (
    product_id INTEGER NOT NULL REFERENCES products(id), currency TEXT NOT NULL,
    monthly INTEGER, yearly INTEGER, onetime INTEGER, vat_rate TEXT NOT NULL, gross INTEGER NOT NULL,
    PRIMARY KEY (product_id, currency)
) STRICT;
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY, number TEXT UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers(id), user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    title TEXT NOT NULL DEFAULT '', issue_date TEXT, due_date TEXT,
    currency TEXT NOT NULL, language TEXT NOT NULL, tax_mode TEXT NOT NULL, exempt_note TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, cash_rounding INTEGER NOT NULL DEFAULT 1,
    net INTEGER NOT NULL DEFAULT 0, vat INTEGER NOT NULL DEFAULT 0, gross INTEGER NOT NULL DEFAULT 0,
    rounding INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0, paid INTEGER NOT NULL DEFAULT 0,
    vat_groups TEXT NOT NULL DEFAULT '', sent_at TEXT, created_at TEXT NOT NULL
, billed_to TEXT) STRICT;
INSERT INTO invoices VALUES(1,'INV-2026-00001',1,NULL,'','2026-03-02','2026-04-01','CHF','de','net','','','paid',5,10000,810,10810,0,10810,12003,'8.1:10000:810',NULL,'2026-11-26T13:00:24Z','{"street":"","contact":"","postcode":"","vatID":"","currency":"CHF","billingInfo":"","building":"","town":"","email":"ap@alt.ch","country":"CH","language":"de","company":"Altkunde AG"}');
INSERT INTO invoices VALUES(2,'INV-2026-00002',1,NULL,'','2026-03-02','2026-04-01','CHF','de','net','','','partially_paid',5,9807,836,10643,2,10645,5000,'0:-1193:0;2.6:1000:26;8.1:10000:810',NULL,'2026-11-26T13:00:24Z','{"town":"","email":"ap@alt.ch","vatID":"","currency":"CHF","street":"","company":"Altkunde AG","billingInfo":"","contact":"","postcode":"","country":"CH","building":"","language":"de"}');
INSERT INTO invoices VALUES(3,'INV-2026-00003',1,NULL,'','2026-03-02','2026-04-01','CHF','de','net','','','paid',5,500,41,541,-1,540,2000,'8.1:500:41',NULL,'2026-11-26T13:00:25Z','{"language":"de","billingInfo":"","country":"CH","postcode":"","building":"","email":"ap@alt.ch","contact":"","street":"","town":"","company":"Altkunde AG","vatID":"","currency":"CHF"}');
INSERT INTO invoices VALUES(4,'INV-2026-00004',1,NULL,'','2026-03-02','2026-04-01','CHF','de','net','','','paid',5,-41,41,0,0,0,0,'0:-541:0;8.1:500:41',NULL,'2026-11-26T13:00:30Z','{"billingInfo":"","building":"","postcode":"","language":"de","town":"","contact":"","email":"ap@alt.ch","company":"Altkunde AG","street":"","currency":"CHF","country":"CH","vatID":""}');
CREATE TABLE invoice_lines (
    invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', quantity TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '',
    unit_price INTEGER NOT NULL, discount TEXT NOT NULL DEFAULT '0', vat_rate TEXT NOT NULL, amount INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, position)
) STRICT;
INSERT INTO invoice_lines VALUES(1,1,'Abo','','1','',10000,'0','8.1',10000);
INSERT INTO invoice_lines VALUES(2,1,'Abo','','1','',10000,'0','8.1',10000);
INSERT INTO invoice_lines VALUES(2,2,'Buch','','1','',1000,'0','2.6',1000);
INSERT INTO invoice_lines VALUES(2,3,'Verrechnetes Guthaben','','1','',-1193,'0','0',-1193);
INSERT INTO invoice_lines VALUES(3,1,'Klein','','1','',500,'0','8.1',500);
INSERT INTO invoice_lines VALUES(4,1,'Klein','','1','',500,'0','8.1',500);
INSERT INTO invoice_lines VALUES(4,2,'Verrechnetes Guthaben','','1','',-541,'0','0',-541);
CREATE TABLE payments (
    id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices(id), amount INTEGER NOT NULL,
    date TEXT NOT NULL, method TEXT NOT NULL DEFAULT '', reference TEXT NOT NULL DEFAULT '',
    event_id TEXT UNIQUE, created_at TEXT NOT NULL
) STRICT;
INSERT INTO payments VALUES(1,1,12003,'2026-03-02','','',NULL,'2026-11-26T13:00:24Z');
INSERT INTO payments VALUES(2,2,5000,'2026-03-02','','',NULL,'2026-11-26T13:00:25Z');
INSERT INTO payments VALUES(3,3,2000,'2026-03-02','','',NULL,'2026-11-26T13:00:30Z');
CREATE TABLE credit_ledger (
    id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), currency TEXT NOT NULL,
    amount INTEGER NOT NULL, reason TEXT NOT NULL, invoice_id INTEGER REFERENCES invoices(id), date TEXT NOT NULL
) STRICT;
INSERT INTO credit_ledger VALUES(1,1,'CHF',1193,'overpayment of invoice INV-2026-00001',1,'2026-03-02');
INSERT INTO credit_ledger VALUES(2,1,'CHF',-1193,'consumed by invoice',2,'2026-03-02');
INSERT INTO credit_ledger VALUES(3,1,'CHF',1460,'overpayment of invoice INV-2026-00003',3,'2026-03-02');
INSERT INTO credit_ledger VALUES(4,1,'CHF',-541,'consumed by invoice',4,'2026-03-02');
CREATE TABLE counters (scope TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
INSERT INTO counters VALUES('2026',4);
CREATE TABLE bookings (
    id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
    product_id INTEGER NOT NULL REFERENCES products(id), kind TEXT NOT NULL CHECK (kind IN ('plan', 'module')),
    cycle TEXT NOT NULL CHECK (cycle IN ('monthly', 'yearly', 'free', 'trial', 'onetime')),
    status TEXT NOT NULL CHECK (status IN ('free', 'trial', 'pending', 'active', 'cancelled', 'scheduled', 'expired', 'withdrawn')),
    start TEXT, end TEXT, invoice_id INTEGER REFERENCES invoices(id), replaces_id INTEGER REFERENCES bookings(id),
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE booking_periods (
    id INTEGER PRIMARY KEY, booking_id INTEGER NOT NULL REFERENCES bookings(id),
    cycle TEXT NOT NULL, reason TEXT NOT NULL CHECK (reason IN ('initial', 'renewal', 'change')),
    planned_start TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL,
    invoice_id INTEGER NOT NULL UNIQUE REFERENCES invoices(id), currency TEXT NOT NULL,
    list_amount INTEGER NOT NULL, credit INTEGER NOT NULL DEFAULT 0, carried_credit INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('invoiced', 'paid', 'void')), paid_on TEXT
) STRICT;
CREATE TABLE booking_events (
    id INTEGER PRIMARY KEY, booking_id INTEGER NOT NULL REFERENCES bookings(id), date TEXT NOT NULL,
    action TEXT NOT NULL, detail TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE trials (
    customer_id INTEGER NOT NULL REFERENCES customers(id), product_id INTEGER NOT NULL REFERENCES products(id),
    date TEXT NOT NULL, PRIMARY KEY (customer_id, product_id)
) STRICT;
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3), due_on TEXT NOT NULL, recorded_on TEXT NOT NULL,
    queued_at TEXT, UNIQUE (invoice_id, level)
) STRICT;
CREATE TABLE mail_queue (
    id INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL, invoice_id INTEGER REFERENCES invoices(id),
    sender TEXT NOT NULL, recipient TEXT NOT NULL, subject TEXT NOT NULL,
    file TEXT NOT NULL, message_id TEXT NOT NULL, size INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
    lease_owner TEXT, lease_until INTEGER, last_reply TEXT NOT NULL DEFAULT '',
    unknown_outcome INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, sent_at TEXT
) STRICT;
CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY, received_at TEXT NOT NULL, payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'applied', 'ignored')), result TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX users_customer ON users(customer_id);
CREATE INDEX invoices_customer ON invoices(customer_id);
CREATE INDEX invoices_status ON invoices(status, due_date);
CREATE INDEX payments_invoice ON payments(invoice_id);
CREATE INDEX credit_customer ON credit_ledger(customer_id, currency);
CREATE INDEX bookings_customer ON bookings(customer_id, kind, product_id);
CREATE INDEX bookings_replaces ON bookings(replaces_id) WHERE replaces_id IS NOT NULL;
CREATE UNIQUE INDEX booking_periods_planned ON booking_periods(booking_id, planned_start) WHERE state <> 'void';
CREATE UNIQUE INDEX booking_periods_paid ON booking_periods(booking_id, start) WHERE state = 'paid';
CREATE INDEX booking_periods_unpaid ON booking_periods(state) WHERE state = 'invoiced';
CREATE INDEX booking_events_booking ON booking_events(booking_id);
CREATE INDEX mail_queue_due ON mail_queue(state, next_attempt_at);
CREATE INDEX mail_queue_invoice ON mail_queue(invoice_id);
COMMIT;
PRAGMA user_version = 5;
"""

    // Mutation (mutants.tsv migration6-keeps-line): leave the old line in place (drop the `DELETE FROM invoice_lines …` of migration 6)
    // → lines, net and VAT still carry the credit and this test fails.
    // Mutation (mutants.tsv recompute-skipped): skip `Schema.recomputeTotals` → the stored net of the listing stays −0.41 and this fails.
    @Test func storedCreditLinesBecomePrepaidAmountsWithTheAmountDueUnchanged() throws {
        let directory = try TemporaryDirectory("money-migration")
        defer { directory.remove() }
        let path = directory.path("v5.sqlite")
        let load = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [path], stdin: Data(Self.schema5.utf8))
        #expect(load.status == 0, "\(load.stderr)")
        let store = try Store(path: path)
        #expect(try store.connection.scalarInt("PRAGMA user_version") == store.schemaVersion)

        let second = try store.invoice(reference: "INV-2026-00002")
        #expect(second.lines.map(\.title) == ["Abo", "Buch"])
        #expect(second.totals.net.decimalString == "110.00")
        #expect(second.totals.vatGroups.map(\.rate.description) == ["2.6", "8.1"])
        #expect(second.prepaid.decimalString == "11.93")
        #expect(second.open.decimalString == "56.45")
        #expect(second.status == .partiallyPaid)

        let fourth = try store.invoice(reference: "INV-2026-00004")
        #expect(fourth.lines.map(\.title) == ["Klein"])
        #expect(fourth.totals.net.decimalString == "5.00")
        #expect(fourth.totals.vat.decimalString == "0.41")
        #expect(fourth.prepaid.decimalString == "5.41")
        #expect(fourth.open.isZero)
        #expect(fourth.status == .paid)

        // Untouched: invoices without a credit line.
        let first = try store.invoice(reference: "INV-2026-00001")
        #expect(first.prepaid.isZero && first.totals.payable.decimalString == "108.10")

        // The stored totals of listings follow (they are what `list` shows).
        var listed: [String: InvoiceSummary] = [:]
        try store.forEachInvoice(InvoiceFilter()) { listed[$0.number ?? ""] = $0 }
        #expect(listed["INV-2026-00004"]?.net.decimalString == "5.00")
        #expect(listed["INV-2026-00004"]?.prepaid.decimalString == "5.41")
        #expect(listed["INV-2026-00002"]?.open.decimalString == "56.45")
        // The ledger is unchanged: the credit was used by those invoices; 9.19 is left.
        let customer = try store.customer(reference: "1")
        #expect(try store.creditBalance(customerID: customer.id, currency: customer.currency).decimalString == "9.19")
        #expect(try store.connection.scalarInt("SELECT count(*) FROM money_recompute") == 0)

        // Opening it again changes nothing.
        let again = try Store(path: path)
        #expect(try again.invoice(reference: "INV-2026-00002") == second)
    }
}
