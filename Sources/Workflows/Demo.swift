import Billing
import Store

/// Seeds an empty database with what a small Swiss SaaS operator's desk looks like after a few months.
public struct Demo {
    let store: Store
    /// Where the demo's mails are queued (invoice mails, receipts, reminders); they wait there
    /// until a mail server is configured.
    let outbox: Outbox?

    public init(store: Store, outbox: Outbox? = nil) {
        self.store = store
        self.outbox = outbox
    }

    public struct Outcome: Sendable {
        public var customers: Int
        public var products: Int
        public var invoices: [String]
        public var mailsQueued = 0
    }

    public enum DemoError: Error, CustomStringConvertible {
        case alreadySeeded(customers: Int64)
        public var description: String {
            switch self {
            case .alreadySeeded(let n): "the database is already seeded (\(n) customers); nothing was changed"
            }
        }
    }

    struct SeedCustomer {
        let company, contact, street, building, postcode, town, country, email, vatID, currency, language, info: String
        let user: (String, String, String, String)
    }

    static let customers: [SeedCustomer] = [
        SeedCustomer(company: "Müller & Söhne AG", contact: "Jürg Müller", street: "Bahnhofstrasse", building: "12",
                     postcode: "8001", town: "Zürich", country: "CH", email: "buchhaltung@mueller-soehne.ch",
                     vatID: "CHE-123.456.789 MWST", currency: "CHF", language: "de", info: "Kostenstelle 4711",
                     user: ("Herr", "Jürg", "Müller", "juerg.mueller@mueller-soehne.ch")),
        SeedCustomer(company: "Café Lumière Sàrl", contact: "Hélène Rousseau", street: "Rue du Rhône", building: "48",
                     postcode: "1204", town: "Genève", country: "CH", email: "compta@cafe-lumiere.ch",
                     vatID: "CHE-987.654.321 TVA", currency: "CHF", language: "fr", info: "",
                     user: ("Madame", "Hélène", "Rousseau", "helene@cafe-lumiere.ch")),
        SeedCustomer(company: "Bäckerei Kühn GmbH", contact: "Björn Kühn", street: "Königsallee", building: "5a",
                     postcode: "40212", town: "Düsseldorf", country: "DE", email: "rechnungen@baeckerei-kuehn.de",
                     vatID: "DE811907980", currency: "EUR", language: "de", info: "Bestellnummer PO-2026-118",
                     user: ("Herr", "Björn", "Kühn", "bjoern@baeckerei-kuehn.de")),
        SeedCustomer(company: "Société Générale d'Études", contact: "François Lefèvre", street: "Avenue des Champs-Élysées",
                     building: "101", postcode: "75008", town: "Paris", country: "FR", email: "factures@sge-etudes.fr",
                     vatID: "FR40303265045", currency: "EUR", language: "fr", info: "Réf. commande 2026/0042",
                     user: ("M.", "François", "Lefèvre", "francois.lefevre@sge-etudes.fr")),
        SeedCustomer(company: "Acme Analytics Inc.", contact: "Sarah O'Connor", street: "Market Street", building: "555",
                     postcode: "94105", town: "San Francisco", country: "US", email: "ap@acme-analytics.com",
                     vatID: "", currency: "USD", language: "en", info: "PO 7781-B",
                     user: ("Ms.", "Sarah", "O'Connor", "sarah@acme-analytics.com")),
        SeedCustomer(company: "Grüezi Reisen GmbH", contact: "Ursula Zürcher", street: "Marktgasse", building: "3",
                     postcode: "3011", town: "Bern", country: "CH", email: "finanzen@gruezi-reisen.ch",
                     vatID: "CHE-246.813.579 MWST", currency: "CHF", language: "de", info: "",
                     user: ("Frau", "Ursula", "Zürcher", "ursula@gruezi-reisen.ch")),
        SeedCustomer(company: "Studio Bianchi SA", contact: "Lucia Bianchi", street: "Via Nassa", building: "21",
                     postcode: "6900", town: "Lugano", country: "CH", email: "amministrazione@studiobianchi.ch",
                     vatID: "CHE-135.792.468 IVA", currency: "CHF", language: "it", info: "",
                     user: ("Signora", "Lucia", "Bianchi", "lucia@studiobianchi.ch")),
        SeedCustomer(company: "Weißwurst Manufaktur Öttl KG", contact: "Andreas Öttl", street: "Maximilianstraße",
                     building: "8", postcode: "80539", town: "München", country: "DE", email: "buchhaltung@oettl-kg.de",
                     vatID: "DE129273398", currency: "EUR", language: "de", info: "",
                     user: ("Herr", "Andreas", "Öttl", "andreas@oettl-kg.de")),
        SeedCustomer(company: "Crêperie Le Goéland", contact: "Maëlle Le Bihan", street: "Quai de la Fosse",
                     building: "17", postcode: "44000", town: "Nantes", country: "FR", email: "gestion@goeland.fr",
                     vatID: "FR83404833048", currency: "EUR", language: "fr", info: "",
                     user: ("Mme", "Maëlle", "Le Bihan", "maelle@goeland.fr")),
        SeedCustomer(company: "Northwind Traders LLC", contact: "José Álvarez", street: "Broadway", building: "1200",
                     postcode: "10001", town: "New York", country: "US", email: "billing@northwind.example",
                     vatID: "", currency: "USD", language: "en", info: "",
                     user: ("Mr.", "José", "Álvarez", "jose@northwind.example")),
        SeedCustomer(company: "Zahnarztpraxis Dr. Gößwein", contact: "Dr. Karin Gößwein", street: "Seestrasse",
                     building: "77", postcode: "6004", town: "Luzern", country: "CH", email: "praxis@goesswein.ch",
                     vatID: "", currency: "CHF", language: "de", info: "Praxis-Nr. 12",
                     user: ("Frau Dr.", "Karin", "Gößwein", "karin@goesswein.ch")),
        SeedCustomer(company: "Pixel & Pinceau SAS", contact: "Chloé Dubois", street: "Rue de la République",
                     building: "9", postcode: "69002", town: "Lyon", country: "FR", email: "admin@pixel-pinceau.fr",
                     vatID: "FR12345678901", currency: "EUR", language: "fr", info: "",
                     user: ("Mme", "Chloé", "Dubois", "chloe@pixel-pinceau.fr")),
    ]

    /// Seeds, or refuses if anything is there already.
    public func seed(today: Day) throws -> Outcome {
        try store.write {
            let existing = try store.customerCount()
            guard existing == 0 else { throw DemoError.alreadySeeded(customers: existing) }
            for (key, value) in [
                ("company", "Cloudwerk AG"), ("street", "Technoparkstrasse"), ("building", "1"), ("postcode", "8005"),
                ("town", "Zürich"), ("country", "CH"), ("vat_id", "CHE-109.322.551 MWST"), ("email", "billing@cloudwerk.ch"),
                ("phone", "+41 44 123 45 67"), ("website", "https://cloudwerk.ch"), ("iban", "CH93 0076 2011 6238 5295 7"),
                ("qr_iban", "CH44 3199 9123 0008 8901 2"), ("currency", "CHF"), ("language", "de"),
                ("number_format", "CW-{YYYY}-{SEQ:5}"), ("payment_terms", "30"), ("cash_rounding", "CHF:0.05"),
            ] { try store.setSetting(key, to: value) }

            let chf = try Currency(code: "CHF"), eur = try Currency(code: "EUR"), usd = try Currency(code: "USD")
            func price(_ c: Currency, _ m: String, _ y: String, _ vat: String, gross: Bool = false, once: String? = nil) throws -> ProductPrice {
                ProductPrice(currency: c, monthly: try Money(parsing: m, currency: c), yearly: try Money(parsing: y, currency: c),
                             onetime: try once.map { try Money(parsing: $0, currency: c) },
                             vatRate: try Percentage(parsing: vat, field: "VAT"), isGross: gross)
            }
            let products: [Product] = [
                Product(id: 0, kind: .plan, name: "Starter", description: "Up to 3 users, 10 GB storage", trialDays: 14,
                        prices: [try price(chf, "29.00", "290.00", "8.1"), try price(eur, "29.00", "290.00", "19"), try price(usd, "32.00", "320.00", "0")]),
                Product(id: 0, kind: .plan, name: "Business", description: "Up to 25 users, 100 GB storage, priority support", trialDays: 30,
                        prices: [try price(chf, "99.00", "990.00", "8.1"), try price(eur, "99.00", "990.00", "19"), try price(usd, "109.00", "1090.00", "0")]),
                Product(id: 0, kind: .plan, name: "Enterprise", description: "Unlimited users, SSO, audit log",
                        prices: [try price(chf, "349.00", "3490.00", "8.1"), try price(eur, "349.00", "3490.00", "19"), try price(usd, "379.00", "3790.00", "0")]),
                Product(id: 0, kind: .plan, name: "Community", description: "For non-profits", isFree: true,
                        prices: [try price(chf, "0", "0", "8.1"), try price(eur, "0", "0", "19"), try price(usd, "0", "0", "0")]),
                Product(id: 0, kind: .module, name: "Zeiterfassung", description: "Time tracking with exports", trialDays: 14,
                        prices: [try price(chf, "12.00", "120.00", "8.1", once: "150.00"), try price(eur, "12.00", "120.00", "19", once: "150.00"), try price(usd, "13.00", "130.00", "0", once: "160.00")]),
                Product(id: 0, kind: .module, name: "E-Banking", description: "camt.054 import and payment matching",
                        prices: [try price(chf, "19.90", "199.00", "8.1", gross: true), try price(eur, "19.90", "199.00", "19", gross: true), try price(usd, "21.00", "210.00", "0")]),
                Product(id: 0, kind: .module, name: "Mahnwesen", description: "Automatic payment reminders", trialDays: 30,
                        prices: [try price(chf, "9.00", "90.00", "8.1"), try price(eur, "9.00", "90.00", "19"), try price(usd, "10.00", "100.00", "0")]),
            ]
            for product in products { _ = try store.saveProduct(product) }

            var stored: [Customer] = []
            for seed in Demo.customers {
                let customer = try store.addCustomer(Customer(
                    id: 0, company: seed.company, contact: seed.contact,
                    address: Address(street: seed.street, building: seed.building, postcode: seed.postcode, town: seed.town,
                                     country: try Country(code: seed.country)),
                    email: seed.email, vatID: seed.vatID, currency: try Currency(code: seed.currency),
                    language: try Language(code: seed.language), billingInfo: seed.info))
                _ = try store.addUser(User(id: 0, customerID: customer.id, salutation: seed.user.0, firstName: seed.user.1,
                                           surname: seed.user.2, email: seed.user.3))
                stored.append(customer)
            }

            var timeline = Timeline(store: store, outbox: outbox, today: today)
            timeline.addInvoices(stored)
            timeline.addBookings(stored)
            try timeline.play()
            var numbers: [String] = []
            try store.forEachInvoice(InvoiceFilter()) { if let number = $0.number { numbers.append(number) } }
            var mails = 0
            if let outbox {
                try store.forEachInvoice(InvoiceFilter(statuses: [.open, .partiallyPaid])) { summary in
                    if try outbox.queue(.invoice, invoice: try store.invoice(id: summary.id), store: store,
                                        key: "invoice:\(summary.id):invoice:1", today: today) != nil {
                        mails += 1
                    }
                }
            }
            return Outcome(customers: stored.count, products: products.count, invoices: numbers, mailsQueued: mails)
        }
    }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension Demo: Sendable {}
