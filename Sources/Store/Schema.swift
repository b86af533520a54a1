import Database

/// The database schema as numbered migrations; `PRAGMA user_version` records how far a file is.
enum Schema {
    static let migrations: [String] = [
        // 1: the billing core.
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            company TEXT NOT NULL, contact TEXT NOT NULL DEFAULT '',
            street TEXT NOT NULL DEFAULT '', building TEXT NOT NULL DEFAULT '', postcode TEXT NOT NULL DEFAULT '',
            town TEXT NOT NULL DEFAULT '', country TEXT NOT NULL,
            email TEXT NOT NULL, vat_id TEXT NOT NULL DEFAULT '', currency TEXT NOT NULL, language TEXT NOT NULL,
            billing_info TEXT NOT NULL DEFAULT '', active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE users (
            id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
            salutation TEXT NOT NULL DEFAULT '', first_name TEXT NOT NULL, surname TEXT NOT NULL, email TEXT NOT NULL
        ) STRICT;
        CREATE INDEX users_customer ON users(customer_id);
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
        ) STRICT;
        CREATE INDEX invoices_customer ON invoices(customer_id);
        CREATE INDEX invoices_status ON invoices(status, due_date);
        CREATE TABLE invoice_lines (
            invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE, position INTEGER NOT NULL,
            title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', quantity TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '',
            unit_price INTEGER NOT NULL, discount TEXT NOT NULL DEFAULT '0', vat_rate TEXT NOT NULL, amount INTEGER NOT NULL,
            PRIMARY KEY (invoice_id, position)
        ) STRICT;
        CREATE TABLE payments (
            id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices(id), amount INTEGER NOT NULL,
            date TEXT NOT NULL, method TEXT NOT NULL DEFAULT '', reference TEXT NOT NULL DEFAULT '',
            event_id TEXT UNIQUE, created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX payments_invoice ON payments(invoice_id);
        CREATE TABLE credit_ledger (
            id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), currency TEXT NOT NULL,
            amount INTEGER NOT NULL, reason TEXT NOT NULL, invoice_id INTEGER REFERENCES invoices(id), date TEXT NOT NULL
        ) STRICT;
        CREATE INDEX credit_customer ON credit_ledger(customer_id, currency);
        CREATE TABLE counters (scope TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
        """,
        // 2: bookings of plans and modules, their invoiced periods, history, trials used, reminders.
        """
        CREATE TABLE bookings (
            id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
            product_id INTEGER NOT NULL REFERENCES products(id), kind TEXT NOT NULL CHECK (kind IN ('plan', 'module')),
            cycle TEXT NOT NULL CHECK (cycle IN ('monthly', 'yearly', 'free', 'trial', 'onetime')),
            status TEXT NOT NULL CHECK (status IN ('free', 'trial', 'pending', 'active', 'cancelled', 'scheduled', 'expired', 'withdrawn')),
            start TEXT, end TEXT, invoice_id INTEGER REFERENCES invoices(id), replaces_id INTEGER REFERENCES bookings(id),
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX bookings_customer ON bookings(customer_id, kind, product_id);
        CREATE INDEX bookings_replaces ON bookings(replaces_id) WHERE replaces_id IS NOT NULL;
        CREATE TABLE booking_periods (
            id INTEGER PRIMARY KEY, booking_id INTEGER NOT NULL REFERENCES bookings(id),
            cycle TEXT NOT NULL, reason TEXT NOT NULL CHECK (reason IN ('initial', 'renewal', 'change')),
            planned_start TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL,
            invoice_id INTEGER NOT NULL UNIQUE REFERENCES invoices(id), currency TEXT NOT NULL,
            list_amount INTEGER NOT NULL, credit INTEGER NOT NULL DEFAULT 0, carried_credit INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL CHECK (state IN ('invoiced', 'paid', 'void')), paid_on TEXT
        ) STRICT;
        CREATE UNIQUE INDEX booking_periods_planned ON booking_periods(booking_id, planned_start) WHERE state <> 'void';
        CREATE UNIQUE INDEX booking_periods_paid ON booking_periods(booking_id, start) WHERE state = 'paid';
        CREATE INDEX booking_periods_unpaid ON booking_periods(state) WHERE state = 'invoiced';
        CREATE TABLE booking_events (
            id INTEGER PRIMARY KEY, booking_id INTEGER NOT NULL REFERENCES bookings(id), date TEXT NOT NULL,
            action TEXT NOT NULL, detail TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX booking_events_booking ON booking_events(booking_id);
        CREATE TABLE trials (
            customer_id INTEGER NOT NULL REFERENCES customers(id), product_id INTEGER NOT NULL REFERENCES products(id),
            date TEXT NOT NULL, PRIMARY KEY (customer_id, product_id)
        ) STRICT;
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices(id),
            level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3), due_on TEXT NOT NULL, recorded_on TEXT NOT NULL,
            queued_at TEXT, UNIQUE (invoice_id, level)
        ) STRICT;
        """,
        // 3: the mail queue; message bytes live in files in the Outbox directory.
        """
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
        CREATE INDEX mail_queue_due ON mail_queue(state, next_attempt_at);
        CREATE INDEX mail_queue_invoice ON mail_queue(invoice_id);
        """,
        // 4: payment provider webhook events, keyed by the provider's event id (redeliveries change nothing).
        """
        CREATE TABLE webhook_events (
            id TEXT PRIMARY KEY, received_at TEXT NOT NULL, payload TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('received', 'applied', 'ignored')), result TEXT NOT NULL DEFAULT ''
        ) STRICT;
        """,
        // 5: who an issued invoice was made out to, frozen at issue (later edits of the customer don't rewrite it).
        """
        ALTER TABLE invoices ADD COLUMN billed_to TEXT;
        """,
        // e-invoices: the buyer's reference (BT-10, Leitweg-ID), electronic address (BT-49) and wanted format;
        // an invoice's VAT category ('' = derived: S/Z when taxed, E when exempt).
        """
        ALTER TABLE customers ADD COLUMN buyer_reference TEXT NOT NULL DEFAULT '';
        ALTER TABLE customers ADD COLUMN electronic_address TEXT NOT NULL DEFAULT '';
        ALTER TABLE customers ADD COLUMN einvoice TEXT NOT NULL DEFAULT '';
        ALTER TABLE invoices ADD COLUMN vat_category TEXT NOT NULL DEFAULT '';
        """,
        // Issue 9: a booking keeps the price it was bought at (and a repriced one for its next renewal),
        // the day of the month its periods are anchored to, and whether it lapsed (stored as status
        // 'pending' + lapsed = 1: the status CHECK of migration 2 stays as it is); a period knows whether it
        // starts on the day of payment; upgrade credit differences wait for the customer's next invoice.
        // Only ADD COLUMN and a new table, so it is safe whatever number it gets.
        """
        ALTER TABLE bookings ADD COLUMN anchor_day INTEGER;
        ALTER TABLE bookings ADD COLUMN price_currency TEXT;
        ALTER TABLE bookings ADD COLUMN price_amount INTEGER;
        ALTER TABLE bookings ADD COLUMN price_vat TEXT;
        ALTER TABLE bookings ADD COLUMN price_gross INTEGER;
        ALTER TABLE bookings ADD COLUMN next_price INTEGER;
        ALTER TABLE bookings ADD COLUMN lapsed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE booking_periods ADD COLUMN starts_on_payment INTEGER NOT NULL DEFAULT 0;
        UPDATE booking_periods SET starts_on_payment = 1 WHERE reason = 'initial'
            OR (reason = 'change' AND (SELECT status FROM bookings WHERE id = booking_periods.booking_id) = 'pending');
        UPDATE bookings SET price_currency = (SELECT currency FROM customers WHERE id = bookings.customer_id)
            WHERE cycle IN ('monthly', 'yearly');
        UPDATE bookings SET
            price_amount = coalesce(
                (SELECT list_amount FROM booking_periods WHERE booking_id = bookings.id AND state <> 'void'
                 AND currency = bookings.price_currency ORDER BY planned_start DESC, id DESC LIMIT 1),
                (SELECT CASE bookings.cycle WHEN 'yearly' THEN yearly ELSE monthly END FROM product_prices
                 WHERE product_id = bookings.product_id AND currency = bookings.price_currency)),
            price_vat = (SELECT vat_rate FROM product_prices WHERE product_id = bookings.product_id AND currency = bookings.price_currency),
            price_gross = (SELECT gross FROM product_prices WHERE product_id = bookings.product_id AND currency = bookings.price_currency)
            WHERE price_currency IS NOT NULL;
        UPDATE bookings SET anchor_day = CAST(substr(coalesce(
                (SELECT start FROM booking_periods WHERE booking_id = bookings.id AND state = 'paid' ORDER BY start LIMIT 1),
                start), 9, 2) AS INTEGER)
            WHERE cycle IN ('monthly', 'yearly') AND start IS NOT NULL;
        UPDATE bookings SET lapsed = 1 WHERE status = 'pending'
            AND EXISTS (SELECT 1 FROM booking_periods WHERE booking_id = bookings.id AND state = 'paid');
        CREATE TABLE booking_adjustments (
            id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
            booking_id INTEGER NOT NULL REFERENCES bookings(id), currency TEXT NOT NULL,
            amount INTEGER NOT NULL, vat_rate TEXT NOT NULL, gross INTEGER NOT NULL, title TEXT NOT NULL,
            created_on TEXT NOT NULL, invoice_id INTEGER REFERENCES invoices(id)
        ) STRICT;
        CREATE INDEX booking_adjustments_open ON booking_adjustments(customer_id) WHERE invoice_id IS NULL;
        CREATE INDEX IF NOT EXISTS booking_periods_booking ON booking_periods(booking_id, planned_start);
        """,
        // 8 (money): credit notes are rows of `invoices` with kind 'credit_note' and their own counter
        // scope ('cn:' + year); customer credit applied at issue is a prepaid amount (BT-113), no longer a
        // 0 % VAT line; refunds; payments nobody could match; webhook events that became credit.
        // Stored "Credit balance applied" lines (matched by their ledger row) become the prepaid amount;
        // `money_recompute` lists the invoices whose stored totals Store.init recomputes from the lines.
        """
        ALTER TABLE invoices ADD COLUMN kind TEXT NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note'));
        ALTER TABLE invoices ADD COLUMN prepaid INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE invoices ADD COLUMN credited INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE invoices ADD COLUMN preceding_id INTEGER REFERENCES invoices(id);
        ALTER TABLE invoices ADD COLUMN credit_reason TEXT NOT NULL DEFAULT '';
        ALTER TABLE invoices ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX invoices_preceding ON invoices(preceding_id) WHERE preceding_id IS NOT NULL;
        ALTER TABLE credit_ledger ADD COLUMN refund_id INTEGER;
        CREATE TABLE refunds (
            id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), currency TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0), date TEXT NOT NULL, reference TEXT NOT NULL DEFAULT '',
            credit_note_id INTEGER REFERENCES invoices(id), event_id TEXT UNIQUE, created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX refunds_customer ON refunds(customer_id, currency);
        CREATE TABLE unmatched_payments (
            event_id TEXT PRIMARY KEY, invoice_number TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,
            paid_on TEXT NOT NULL, reason TEXT NOT NULL, received_at TEXT NOT NULL,
            assigned_invoice_id INTEGER REFERENCES invoices(id), assigned_at TEXT
        ) STRICT;
        CREATE TABLE webhook_events_new (
            id TEXT PRIMARY KEY, received_at TEXT NOT NULL, payload TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('received', 'applied', 'ignored', 'credited', 'unmatched', 'assigned', 'refunded')),
            result TEXT NOT NULL DEFAULT ''
        ) STRICT;
        INSERT INTO webhook_events_new SELECT id, received_at, payload, status, result FROM webhook_events;
        DROP TABLE webhook_events;
        ALTER TABLE webhook_events_new RENAME TO webhook_events;
        CREATE TABLE pending_receipts (
            invoice_id INTEGER PRIMARY KEY REFERENCES invoices(id), error TEXT NOT NULL, since TEXT NOT NULL
        ) STRICT;
        CREATE TABLE money_recompute (invoice_id INTEGER PRIMARY KEY) STRICT;
        CREATE TEMP TABLE old_credit_lines AS
            SELECT l.invoice_id AS invoice_id, l.position AS position, -l.amount AS prepaid
            FROM invoice_lines l JOIN credit_ledger c ON c.invoice_id = l.invoice_id AND c.reason = 'consumed by invoice'
            WHERE l.quantity = '1' AND l.amount = c.amount AND l.amount < 0 AND l.discount = '0'
              AND l.title IN ('Credit balance applied', 'Verrechnetes Guthaben', 'Avoir imputé', 'Credito compensato')
              AND CAST(l.vat_rate AS REAL) = 0
              AND l.position = (SELECT max(position) FROM invoice_lines m WHERE m.invoice_id = l.invoice_id);
        UPDATE invoices SET prepaid = (SELECT prepaid FROM old_credit_lines o WHERE o.invoice_id = invoices.id)
            WHERE id IN (SELECT invoice_id FROM old_credit_lines);
        DELETE FROM invoice_lines WHERE (invoice_id, position) IN (SELECT invoice_id, position FROM old_credit_lines);
        INSERT INTO money_recompute (invoice_id) SELECT invoice_id FROM old_credit_lines;
        DROP TABLE old_credit_lines;
        """,
        // 9 (mail follows the books): `sent_at` means the server accepted the invoice mail (250), no longer
        // that it was queued: invoices whose mail waits (or failed) are unsent again. `no_mail` opts one
        // invoice out of the scheduled run's mailing; `cancel_reason` says why a message was cancelled
        // (the document's state when it was claimed, or the operator). The partial index serves the
        // run's sweep for issued documents never mailed.
        """
        ALTER TABLE invoices ADD COLUMN no_mail INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE mail_queue ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
        UPDATE invoices SET sent_at = NULL WHERE sent_at IS NOT NULL
            AND EXISTS (SELECT 1 FROM mail_queue m WHERE m.invoice_id = invoices.id AND m.kind IN ('invoice', 'credit_note'))
            AND NOT EXISTS (SELECT 1 FROM mail_queue m WHERE m.invoice_id = invoices.id
                            AND m.kind IN ('invoice', 'credit_note') AND m.state = 'sent');
        UPDATE mail_queue SET cancel_reason = 'cancelled by the operator' WHERE state = 'cancelled';
        CREATE INDEX invoices_unmailed ON invoices(id)
            WHERE sent_at IS NULL AND no_mail = 0 AND status IN ('open', 'partially_paid', 'issued');
        """,
        // 10 (issued documents never change): `sold_by` freezes the seller of an issued invoice or credit
        // note (every setting its documents show, JSON, see Store+SoldBy.swift) with its logo's SHA-256;
        // `logos` keeps each logo's bytes once. Documents issued before get what they show today: the
        // ids wait in `sold_by_pending` for `Schema.freezeSellers`, which needs the logo file's bytes.
        """
        ALTER TABLE invoices ADD COLUMN sold_by TEXT;
        CREATE TABLE logos (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL) STRICT;
        CREATE TABLE sold_by_pending (invoice_id INTEGER PRIMARY KEY) STRICT;
        INSERT INTO sold_by_pending (invoice_id) SELECT id FROM invoices WHERE status <> 'draft' AND number IS NOT NULL;
        """,
        // 11 (issue 17, reminder fees are billed): the fee a reminder asks for is an invoice of its own,
        // issued with the reminder; one per (invoice, level), each fee invoice for one reminder.
        """
        CREATE TABLE reminder_fees (
            invoice_id INTEGER NOT NULL REFERENCES invoices(id),
            level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
            fee_invoice_id INTEGER NOT NULL UNIQUE REFERENCES invoices(id),
            PRIMARY KEY (invoice_id, level)
        ) STRICT;
        """,
        // 12: the buyer's purchase order an invoice bills (printed, and EN 16931 BT-13).
        """
        ALTER TABLE invoices ADD COLUMN purchase_order TEXT NOT NULL DEFAULT '';
        """,
        // 13 (issue 19, events for the operator's app): each change writes an event in its own
        // transaction, numbered per customer (`event_sequences` is the counter row, 0 = no customer);
        // `once_key` makes the run's once-per-object events (overdue, trial ending) unique. Endpoints
        // carry their secret (and the one a rotation replaced, until `previous_until`); one delivery
        // row per event and endpoint, claimed with a lease; one attempt row per try.
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY, type TEXT NOT NULL, customer_id INTEGER NOT NULL, seq INTEGER NOT NULL,
            once_key TEXT UNIQUE, payload TEXT NOT NULL, created_at TEXT NOT NULL,
            UNIQUE (customer_id, seq)
        ) STRICT;
        CREATE INDEX events_type ON events(type, id);
        CREATE TABLE event_sequences (customer_id INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL) STRICT;
        CREATE TABLE endpoints (
            id INTEGER PRIMARY KEY, url TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
            event_filter TEXT NOT NULL DEFAULT '', secret TEXT NOT NULL, previous_secret TEXT, previous_until INTEGER,
            allow_private INTEGER NOT NULL DEFAULT 0, disabled_reason TEXT, created_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE event_deliveries (
            id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL REFERENCES events(id),
            endpoint_id INTEGER NOT NULL REFERENCES endpoints(id),
            state TEXT NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
            lease_owner TEXT, lease_until INTEGER, last_status INTEGER, updated_at TEXT NOT NULL,
            UNIQUE (event_id, endpoint_id)
        ) STRICT;
        CREATE INDEX event_deliveries_due ON event_deliveries(state, next_attempt_at, id);
        CREATE INDEX event_deliveries_endpoint ON event_deliveries(endpoint_id, state);
        CREATE TABLE delivery_attempts (
            id INTEGER PRIMARY KEY, delivery_id INTEGER NOT NULL REFERENCES event_deliveries(id),
            attempted_at TEXT NOT NULL, status INTEGER NOT NULL, latency_ms INTEGER NOT NULL,
            answer TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX delivery_attempts_delivery ON delivery_attempts(delivery_id, id);
        """,
        // 14 (issue 22, audit trail): one entry per committed write transaction that changed something
        // (Store+Audit.swift), a hash chain: each entry carries the SHA-256 of the one before. The head
        // row is updated first in every writing transaction (its row lock keeps the chain linear under
        // concurrent writers). Entries and their object index are append-only: triggers refuse UPDATE and
        // DELETE on both engines (the `-- postgres:` lines are PostgreSQL's form, see PostgresDialect).
        """
        CREATE TABLE audit_entries (
            seq INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            objects TEXT NOT NULL, tables TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL
        ) STRICT;
        CREATE INDEX audit_entries_time ON audit_entries(recorded_at);
        CREATE TABLE audit_objects (
            object TEXT NOT NULL, seq INTEGER NOT NULL REFERENCES audit_entries(seq), PRIMARY KEY (object, seq)
        ) STRICT;
        CREATE TABLE audit_head (chain TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL) STRICT;
        INSERT INTO audit_head (chain, seq, hash) VALUES ('main', 0, '0000000000000000000000000000000000000000000000000000000000000000');
        -- sqlite only {
        CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        CREATE TRIGGER audit_objects_no_update BEFORE UPDATE ON audit_objects
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        CREATE TRIGGER audit_objects_no_delete BEFORE DELETE ON audit_objects
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
        -- }
        -- postgres: CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$;
        -- postgres: CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
        -- postgres: CREATE TRIGGER audit_objects_append_only BEFORE UPDATE OR DELETE ON audit_objects FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
        -- postgres: CREATE TRIGGER audit_head_kept BEFORE DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
        """,
        // 15 (issue 21, money in): every transaction of an imported bank file (camt.053/054), keyed by the bank's
        // references — `bank_key` the entry's reference (AcctSvcrRef, else NtryRef) and the transaction's
        // position, `tx_key` the transaction's own AcctSvcrRef — so a file imported again or a statement
        // repeating a notification records nothing twice; `entry_key` finds an entry already imported with
        // or without its details; a reversal names its original (`reverses_id`).
        """
        CREATE TABLE bank_transactions (
            id INTEGER PRIMARY KEY, bank_key TEXT NOT NULL UNIQUE, tx_key TEXT UNIQUE, entry_key TEXT NOT NULL,
            account TEXT NOT NULL,
            booked_on TEXT NOT NULL, direction TEXT NOT NULL CHECK (direction IN ('CRDT', 'DBIT')),
            amount INTEGER NOT NULL, currency TEXT NOT NULL, reference TEXT NOT NULL DEFAULT '',
            payer_refs TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL, invoice_id INTEGER REFERENCES invoices(id),
            customer_id INTEGER REFERENCES customers(id), applied INTEGER NOT NULL DEFAULT 0,
            credited INTEGER NOT NULL DEFAULT 0, reverses_id INTEGER REFERENCES bank_transactions(id),
            reversed INTEGER NOT NULL DEFAULT 0, detail TEXT NOT NULL DEFAULT '', imported_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX bank_transactions_entry ON bank_transactions(entry_key);
        CREATE INDEX bank_transactions_reference ON bank_transactions(reference, amount) WHERE direction = 'CRDT';
        """,
        // 16 (issue 18, mail bodies where every host reaches them): on PostgreSQL the exact bytes of a
        // queued message are written here in the transaction that queues it, so a mailing run on any host
        // sends them; SQLite keeps them as files in Outbox/ only (this table stays empty there).
        """
        CREATE TABLE mail_bodies (mail_id INTEGER PRIMARY KEY REFERENCES mail_queue(id), data BLOB NOT NULL) STRICT;
        """,
        // 17 (issue 20, the HTTP API): keys (only the SHA-256 of each, hex; revoked ones are kept, their
        // names stay taken), the app's own customer ids (unique both ways), and the first answer to each
        // Idempotency-Key per API key (stored in the transaction that did the work; pruned after 24 hours).
        """
        CREATE TABLE api_keys (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, key_hash TEXT NOT NULL UNIQUE,
            read_only INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT
        ) STRICT;
        CREATE TABLE customer_external_ids (
            external_id TEXT PRIMARY KEY, customer_id INTEGER NOT NULL UNIQUE REFERENCES customers(id)
        ) STRICT;
        CREATE TABLE idempotency_keys (
            api_key_id INTEGER NOT NULL REFERENCES api_keys(id), idempotency_key TEXT NOT NULL,
            request_hash TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL,
            response_body TEXT NOT NULL, created_at TEXT NOT NULL,
            PRIMARY KEY (api_key_id, idempotency_key)
        ) STRICT;
        CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
        """,
    ]

    static var version: Int64 { Int64(migrations.count) }

    /// Brings the database up to date in one transaction; refuses databases from a newer program.
    static func migrate(_ connection: any DatabaseConnection) throws {
        if connection.engine == .postgres { return try migratePostgres(connection) }
        let current = try connection.scalarInt("PRAGMA user_version")
        if current > version {
            throw StoreError("\(connection.location) was written by a newer version of invoice (schema \(current), this program knows \(version)); upgrade invoice")
        }
        guard current < version else { return }
        try connection.transaction(.immediate) {
            // Another process may have migrated while we waited for the lock.
            let locked = try connection.scalarInt("PRAGMA user_version")
            for index in Int(locked)..<migrations.count {
                try connection.execute(migrations[index])
            }
            try connection.execute("PRAGMA user_version = \(version)")
        }
    }

    /// The key of the advisory lock PostgreSQL migrations run under (any fixed number; "invc").
    static let migrationLockKey: Int64 = 0x696E_7663

    /// PostgreSQL: the same migrations translated (`PostgresDialect`), the version in the table
    /// `schema_version`, all in one transaction under an advisory lock so two hosts starting at once
    /// migrate once.
    static func migratePostgres(_ connection: any DatabaseConnection) throws {
        try connection.transaction(.immediate) {
            try connection.run("SELECT pg_advisory_xact_lock(?)", [.integer(migrationLockKey)])
            try connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
            let current = try connection.scalarInt("SELECT coalesce(max(version), 0) FROM schema_version")
            if current > version {
                throw StoreError("\(connection.location) was written by a newer version of invoice (schema \(current), this program knows \(version)); upgrade invoice")
            }
            guard current < version else { return }
            for index in Int(current)..<migrations.count {
                try connection.execute(PostgresDialect.translate(migrations[index]))
            }
            try connection.run("DELETE FROM schema_version")
            try connection.run("INSERT INTO schema_version (version) VALUES (?)", [.integer(version)])
        }
    }

    /// Issued documents from before sellers were frozen (migration 10) get the seller their documents
    /// show today: the settings and the logo file as they are now, in one transaction; safe to run again.
    static func freezeSellers(_ store: Store) throws {
        guard try store.connection.scalarInt("SELECT count(*) FROM sold_by_pending") > 0 else { return }
        try store.write {
            let seller = try store.loadOperator()
            let ids = try store.connection.query("SELECT invoice_id FROM sold_by_pending ORDER BY invoice_id") { $0.int(0) }
            let snapshot = try store.soldBySnapshot(seller)
            for id in ids {
                try store.connection.run("UPDATE invoices SET sold_by = ? WHERE id = ? AND sold_by IS NULL",
                                         [.text(snapshot), .integer(id)])
            }
            try store.connection.run("DELETE FROM sold_by_pending")
        }
    }

    /// Invoices a migration changed the lines of (old credit lines became prepaid amounts) get their
    /// stored totals recomputed from the lines, in one transaction; safe to run again after a crash.
    static func recomputeTotals(_ store: Store) throws {
        let pending = try store.connection.query("SELECT invoice_id FROM money_recompute ORDER BY invoice_id") { $0.int(0) }
        guard !pending.isEmpty else { return }
        try store.write {
            // Read again inside the transaction: another process may have recomputed some meanwhile.
            let ids = try store.connection.query("SELECT invoice_id FROM money_recompute ORDER BY invoice_id") { $0.int(0) }
            for id in ids {
                let invoice = try store.invoice(id: id)
                try store.updateInvoice(invoice, linesChanged: false)
                try store.connection.run("DELETE FROM money_recompute WHERE invoice_id = ?", [.integer(id)])
            }
        }
    }
}
