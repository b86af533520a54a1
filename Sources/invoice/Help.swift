/// `--help` for every command: what it does, its options, an example.
enum Help {
    static func text(for path: [String]) -> String {
        for length in stride(from: min(path.count, 2), through: 1, by: -1) {
            if let text = pages[path.prefix(length).joined(separator: " ")] { return text }
        }
        return overview
    }

    static let overview = """
        invoice — billing for SaaS operators: customers, plans and modules, invoices, documents, mail.

        Usage: invoice [--db PATH] [--json] [--date YYYY-MM-DD] COMMAND ...

        Commands:
          demo                          fill an empty database with a realistic operator, catalog and invoices
          settings show|set KEY VALUE   the operator's details and billing settings
          customer add|edit|show|list|delete
          user add|edit|list|delete     the people of a customer
          catalog add-plan|add-module|list|edit
          new CUSTOMER ...              add an invoice (a draft, or issued with --issue)
          edit NUMBER|ID ...            change a draft, or an issued invoice never sent nor paid
          show NUMBER|ID                one invoice with lines, VAT breakdown and payments
          list [--status S] [--customer C]
          issue ID                      number and open a draft
          delete ID                     delete a draft (issued invoices are cancelled instead)
          cancel NUMBER                 cancel an issued invoice by a full credit note (prints its number)
          pay NUMBER --amount A         record a payment (never refused: a surplus becomes customer credit)
          credit-note NUMBER [--amount A|--line L…] [--reason R] [--refund]   credit an issued invoice
          refund CUSTOMER --amount A    pay customer credit back (prints the new balance)
          payments unmatched|assign     provider payments no invoice matched, and assigning them
          plan CUSTOMER activate|period|cancel|revoke|withdraw|show   the customer's plan
          module CUSTOMER activate|period|cancel|revoke|withdraw|list MODULE   the customer's modules
          run [--date D]                the scheduled run for cron: renewals, expiries, reminders, then mail
          print [NUMBER…|--all] ...     invoices as HTML, PDF and text files
          send NUMBER [--again]         queue the invoice mail (PDF attached) in the Outbox
          mail run [--limit N] [--connections K]   send the mail that is due
          outbox list|show|retry|cancel the mail queue
          serve [--host H] [--port P] [--max-connections N]   the payment webhook receiver (Standard Webhooks)

        Global options (before or after the command):
          --db PATH        the SQLite file (default ./invoice.sqlite, env INVOICE_DB)
          --json           machine-readable output
          --date D         make D "today" (env INVOICE_TODAY), for replays and tests

        Every command has --help. Exit status: 0 success, 1 failure, 64 wrong usage.
        """

    static let pages: [String: String] = [
        "settings": """
            Usage: invoice settings show
                   invoice settings set KEY VALUE

            Shows or changes the operator's details and billing settings. Keys:
            \(Operator_settingsList)
            Example: invoice settings set number_format "RE-{YYYY}-{SEQ:4}"
            """,
        "customer": """
            Usage: invoice customer add --company NAME --email E --country CC --currency CUR --language LL
                                        [--contact NAME] [--street S] [--building N] [--postcode P] [--town T]
                                        [--vat-id ID] [--billing-info TEXT]
                   invoice customer edit ID [same options] [--active|--inactive]
                   invoice customer show ID          (--json: credit_balance)
                   invoice customer credit ID        the credit ledger: date, amount, reason, document
                   invoice customer list [--all]
                   invoice customer delete ID

            Customers are referred to by id (or exact company name). `add` prints the new id
            (with --json the customer object). A customer with invoices cannot be deleted: deactivate it.
            """,
        "user": """
            Usage: invoice user add CUSTOMER --first-name F --surname S --email E [--salutation S]
                   invoice user edit USER-ID [--salutation S] [--first-name F] [--surname S] [--email E]
                   invoice user list CUSTOMER
                   invoice user delete USER-ID

            The people of a customer. Only these four fields are editable. Changing an email sends
            no confirmation mail.
            """,
        "catalog": """
            Usage: invoice catalog add-plan NAME --currency CUR --monthly A --yearly A --vat RATE
                                            [--gross] [--trial-days N] [--free] [--description TEXT]
                   invoice catalog add-module NAME ... [--onetime A]
                   invoice catalog edit plan|module NAME [--description T] [--trial-days N] [--free|--not-free]
                                            [--active|--inactive]
                   invoice catalog list

            Plans and modules with per-currency prices. Prices for more currencies: repeat add-plan or
            add-module with another --currency. --gross means prices include VAT.
            """,
        "new": """
            Usage: invoice new CUSTOMER [--title T] [--gross | --exempt NOTE] [--user USER-ID] [--notes TEXT]
                               [--line "TITLE;QUANTITY;UNIT PRICE;VAT RATE[;DISCOUNT %[;UNIT]]"]...
                               [--from FILE.json] [--issue]

            Adds an invoice in the customer's currency and language. Prints its id, or its number with
            --issue. Decimals use a point: --line "Consulting;1.5;150.00;8.1".
            --from reads {"title": ..., "lines": [{"title", "quantity", "unit_price", "vat_rate",
            "discount", "unit", "description"}]} with numbers as strings.
            """,
        "edit": """
            Usage: invoice edit NUMBER|ID [--title T] [--notes TEXT] [--user USER-ID] [--gross|--net|--exempt NOTE]
                                [--line SPEC]... (replaces all lines) [--add-line SPEC]...

            Drafts can be edited freely. An issued invoice only while it is unpaid and was never sent;
            otherwise cancel it and issue a new one.
            """,
        "show": """
            Usage: invoice show NUMBER|ID [--json]

            One invoice: header, lines, VAT per rate, rounding, payments, amount still open.
            """,
        "list": """
            Usage: invoice list [--status draft|open|partially_paid|paid|cancelled|overdue] [--customer C] [--json]

            Streams invoices (--json: an array of invoice objects without lines).
            """,
        "issue": "Usage: invoice issue ID\n\nNumbers a draft from the gapless counter, dates it and opens it; consumes credit.",
        "delete": "Usage: invoice delete ID\n\nDeletes a draft. Issued invoices are never deleted: use invoice cancel.",
        "cancel": "Usage: invoice cancel NUMBER\n\nCancels an issued invoice by issuing a credit note for all that is left to credit, and prints the credit note's number.\nWhat was still due is no longer owed; what was paid or applied from credit goes back to the customer's credit.",
        "credit-note": """
            Usage: invoice credit-note NUMBER [--amount A | --line "TITLE;QUANTITY;UNIT PRICE;VAT RATE"…] [--reason TEXT] [--refund]

            Issues a credit note (its own gapless number, credit_note_number_format, default CN-{YYYY}-{SEQ:5})
            against an issued invoice and prints its number. Without --amount or --line it credits all that is
            left; an amount is split over the invoice's VAT rates in proportion; never more than is left.
            On an unpaid invoice it reduces the amount due (credited in full, the invoice is cancelled); on
            money already paid it becomes customer credit, or with --refund is recorded as paid back.

            Example: invoice credit-note INV-2026-00012 --amount 50.00 --reason "Goodwill"
            """,
        "refund": """
            Usage: invoice refund CUSTOMER --amount A [--currency CUR] [--date D] [--reference R]

            Records money paid back to the customer from their credit balance (never below zero) and prints
            the new balance. --date (the global option) dates it.
            """,
        "payments": """
            Usage: invoice payments unmatched [--all] [--json]
                   invoice payments assign EVENT NUMBER

            Payments the webhook received for an unknown invoice (or in another currency) are kept, never
            lost: list them, then apply one to an invoice as `invoice pay` would.
            """,
        "pay": """
            Usage: invoice pay NUMBER --amount A [--currency CUR] [--date YYYY-MM-DD] [--method M] [--reference R]

            Records a payment dated --date (which is also "today" for the command). A surplus becomes
            the customer's credit balance, used by the next invoice.
            """,
        "plan": """
            Usage: invoice plan CUSTOMER activate PLAN --free|--trial|--monthly|--yearly
                   invoice plan CUSTOMER period [--start YYYY-MM-DD] [--end YYYY-MM-DD]
                   invoice plan CUSTOMER cancel|revoke|withdraw
                   invoice plan CUSTOMER show
                   invoice plan CUSTOMER list            every plan booking, history included

            A customer has one current plan. activate:
              --free     now, no invoice, open-ended
              --trial    now, for the catalog's trial days, no invoice; once per customer and plan
              --monthly, --yearly
                         issues an invoice for one period (catalog price in the customer's currency);
                         the booking is pending until paid, then active from the payment day for one cycle.
            Activating another plan (or cycle) over a paid one is a change: a dearer plan or monthly →
            yearly is an upgrade, effective when its invoice is paid, with the unused paid days credited
            as a negative line; a cheaper plan or yearly → monthly is scheduled for the day after the paid
            period and invoiced by `invoice run` like a renewal. Over a trial or free plan it converts it.
            cancel: no renewal, usable until the end, then expired (revoke undoes it).
            withdraw: ends now; unpaid invoices are cancelled (never deleted); credit balance dropped.
            show --json: the booking object (kind, product, status, cycle, start, end, invoice, periods,
            next_renewal, history, change).
            Example: invoice plan 3 activate Business --monthly
            """,
        "module": """
            Usage: invoice module CUSTOMER activate MODULE --free|--trial|--monthly|--yearly
                   invoice module CUSTOMER period MODULE [--start YYYY-MM-DD] [--end YYYY-MM-DD]
                   invoice module CUSTOMER cancel|revoke|withdraw|show MODULE
                   invoice module CUSTOMER list [--history]

            Modules are booked like plans (see invoice plan --help), any number per customer, one
            booking per module. list --json gives the booking objects.
            Example: invoice module 3 activate Zeiterfassung --trial
            """,
        "serve": """
            Usage: INVOICE_WEBHOOK_SECRET=whsec_... invoice serve [--host H] [--port P] [--max-connections N]

            Receives payment webhooks until SIGTERM or SIGINT. Listens on 127.0.0.1:8080 by default
            (an IPv6 address such as ::1 also works); --port 0 picks a free port. Prints
            "listening on http://HOST:PORT" when ready. Connections are kept alive (HTTP/1.1,
            pipelining answered in order); at most --max-connections (default 512) are open at once,
            more are answered 503 with Retry-After.
            The signing secret comes only from the environment (whsec_ + base64); without it, no start.

            POST /webhooks/payments, signed per Standard Webhooks 1.0:
              webhook-id: msg_...        webhook-timestamp: UNIX-SECONDS (at most 5 minutes off)
              webhook-signature: v1,BASE64(HMAC-SHA256(secret, "ID.TIMESTAMP.BODY")) [v1,... more]
              {"type": "payment.succeeded",
               "data": {"id": "evt_123", "invoice": "INV-2026-00004", "amount": "1630.30",
                        "currency": "EUR", "paid_at": "2026-11-25T10:00:00Z"}}
            amount is a JSON string, a plain decimal with at most the currency's decimals (a JSON
            number is refused). The payment is dated the UTC day of paid_at (not --date); its method
            is "webhook" and its reference the event id. The event is stored under data.id in the
            same transaction as the payment: a redelivery answers 200 "duplicate" and changes nothing.
            Other event types are stored and answered 200 "ignored".

            Answers (JSON): 200 {"status": "applied"|"duplicate"|"ignored", "invoice", "invoice_status"};
            400 malformed; 401 bad signature or timestamp; 404 unknown invoice number or path;
            405 wrong method; 409 currency mismatch, cancelled or already paid invoice; 408 too slow;
            413 body over 1 MiB; 431 header over 16 KiB; 500 internal error (details on stderr);
            503 too many connections. Refusals change nothing. GET /healthz: 200.

            Example: INVOICE_WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw invoice serve --port 9000
            """,
        "run": """
            Usage: invoice run [--date YYYY-MM-DD]

            The scheduled run for cron, once a day or more. For "today" (--date) it activates what
            paid invoices pay for if a payment was missed, invoices renewals renewal_days before a
            period ends (the renewal starts the day after), starts scheduled changes, rolls paid
            renewals in, expires ended trials and cancelled bookings, leaves a booking whose renewal is
            unpaid at its end pending (no access until paid), stops bookings unpaid past due date +
            grace_days (their invoice cancelled), records payment reminders due (levels 1-3 at
            reminder_days after the due date, each once) and counts overdue invoices. Days without a
            run are caught up. Running it again for the same date changes nothing.
            """,
        "send": """
            Usage: invoice send NUMBER [--again]

            Queues the invoice mail (text, HTML and the PDF) in the Outbox: the message file is written
            to Outbox/ beside the database (env INVOICE_OUTBOX) and a queue row added. Once per invoice;
            --again queues it once more on purpose. `invoice mail run` sends it.
            """,
        "mail": """
            Usage: invoice mail run [--limit N] [--connections K]

            Sends the queued and deferred messages that are due, over K parallel SMTP connections
            (default 2, at most 16), each reused from message to message; at most N messages. A message
            is sent only on the server's 250 to its data; 4xx replies, timeouts and dropped connections
            defer it with exponential backoff and jitter (mail_backoff, mail_max_attempts); 5xx fails
            it at once. Authentication and TLS errors pause the run and leave the messages untouched
            (the exit status is 1 only if nothing could be sent). With no smtp_url the mail waits.
            --date D moves the queue clock: `invoice --date 2099-01-01 mail run` finds all mail due.

            Environment: INVOICE_SMTP_URL, INVOICE_SMTP_USER, INVOICE_SMTP_PASSWORD override the settings.
            INVOICE_MAIL_LEASE_SECONDS (default 600): how long a run holds the messages it claimed.
            Leases follow the wall clock, not --date, so the messages of a run that died come back
            to the next run after this long (they are then flagged as possible duplicates).
            """,
        "outbox": """
            Usage: invoice outbox list [--state S]
                   invoice outbox show|retry|cancel ID

            The mail queue. States: queued, sending, sent, deferred, failed, cancelled. retry makes a
            failed, deferred or cancelled message due now with a fresh attempt budget.
            """,
        "demo": """
            Usage: invoice demo

            Fills an empty database with a realistic operator, catalog, customers and invoices in
            several states. A second run says the database is already seeded and changes nothing.
            """,
        "print": """
            Usage: invoice print [NUMBER...|--all|--status S|--customer C|--since YYYY-MM-DD]
                                 [--format html,pdf,txt] [--out DIR]

            Writes documents named after the invoice number (drafts: draft-ID) into DIR (default
            Outbox/print/). Streams invoices from the database and renders on both cores; a progress
            bar on a terminal, a summary line otherwise. A failing invoice is reported and the batch
            goes on; the exit status is then 1. Characters the PDF fonts cannot show are reported.
            One document to stdout: invoice show NUMBER --html|--pdf|--txt
            """,
    ]

    static let Operator_settingsList: String = SettingsCommand.keyList
}
