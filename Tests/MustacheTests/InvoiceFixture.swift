import Mustache

/// Sample invoice data shaped like `peers/invoice_data.py`, for rendering the peer template.
enum InvoiceFixture {
    static func invoice(number: Int = 1, lines: Int = 8) -> TemplateValue {
        let items: [TemplateValue] = (0..<lines).map { index in
            [
                "pos": TemplateValue(index + 1),
                "title": .string("Module CRM \(index)"),
                "description": "Monthly subscription 01.12.2026 - 31.12.2026",
                "qty": 3, "unit": "month", "price": "1'234.50", "vat": "8.1%", "total": "3'703.50",
            ]
        }
        return [
            "number": .string("INV-2026-\(number)"), "date": "25.11.2026", "due": "25.12.2026",
            "customer": [
                "company": .string("Müller & Söhne AG \(number)"), "contact": "Frau Anna Müller",
                "street": "Bahnhofstrasse 12", "city": "8001 Zürich", "country": "Schweiz",
            ],
            "seller": [
                "company": "Example SaaS GmbH", "street": "Seestrasse 1", "city": "6300 Zug",
                "vat_id": "CHE-123.456.789 MWST", "iban": "CH44 3199 9123 0008 8901 2",
            ],
            "lines": .array(items), "net": "29'628.00",
            "vat_lines": [["rate": "8.1%", "base": "29,628.00", "amount": "2,399.87"]],
            "gross": "32'027.87", "currency": "CHF",
        ]
    }
}
