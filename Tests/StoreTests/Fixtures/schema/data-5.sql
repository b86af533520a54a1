-- Written by version 5: CW-2026-00003 issued to Müller at their old address (since moved), frozen.
INSERT INTO invoices (id, number, customer_id, user_id, title, issue_date, due_date, currency, language, tax_mode, exempt_note, notes, status, cash_rounding, net, vat, gross, rounding, total, paid, vat_groups, sent_at, created_at, billed_to) VALUES
  (4, 'CW-2026-00003', 1, 1, 'Abonnement Februar 2026', '2026-02-01', '2026-03-03', 'CHF', 'de', 'net', '', '', 'open', 5, 9900, 802, 10702, -2, 10700, 0, '8.1:9900:802', NULL, '2026-02-01T06:00:00Z',
   '{"company":"Müller & Söhne AG","contact":"Jürg Müller","street":"Bahnhofstrasse","building":"12","postcode":"8001","town":"Zürich","country":"CH","email":"buchhaltung@mueller-soehne.example","vatID":"","currency":"CHF","language":"de","billingInfo":"","addressee":{"id":1,"salutation":"Herr","firstName":"Jürg","surname":"Müller","email":"j.mueller@mueller-soehne.example"}}');
INSERT INTO invoice_lines (invoice_id, position, title, description, quantity, unit, unit_price, discount, vat_rate, amount) VALUES
  (4, 1, 'Plan Business', 'Abonnement 01.02.2026 – 28.02.2026', '1', 'Monat', 9900, '0', '8.1', 9900);
UPDATE counters SET value = 3 WHERE scope = '2026';
UPDATE customers SET street = 'Seefeldstrasse', building = '200', postcode = '8008' WHERE id = 1;
