-- Written by version 1: an operator in Zürich, two customers, a catalog, issued invoices with a
-- payment and a credit note, a draft, the number counter.
INSERT INTO settings (key, value) VALUES
  ('company', 'Cloudwerk AG'), ('street', 'Technoparkstrasse'), ('building', '1'), ('postcode', '8005'),
  ('town', 'Zürich'), ('country', 'CH'), ('email', 'billing@cloudwerk.ch'), ('currency', 'CHF'),
  ('language', 'de'), ('vat_id', 'CHE-109.322.551 MWST'), ('iban', 'CH93 0076 2011 6238 5295 7'),
  ('number_format', 'CW-{YYYY}-{SEQ:5}'), ('payment_terms', '30'), ('cash_rounding', 'CHF:0.05');
INSERT INTO customers (id, company, contact, street, building, postcode, town, country, email, vat_id, currency, language, billing_info, active, created_at) VALUES
  (1, 'Müller & Söhne AG', 'Jürg Müller', 'Bahnhofstrasse', '12', '8001', 'Zürich', 'CH', 'buchhaltung@mueller-soehne.example', '', 'CHF', 'de', '', 1, '2026-01-05T09:12:00Z'),
  (2, 'Café Lumière Sàrl', 'Hélène Rousseau', 'Rue du Rhône', '48', '1204', 'Genève', 'CH', 'compta@lumiere.example', '', 'CHF', 'fr', 'Réf. 4711', 1, '2026-01-06T10:00:00Z');
INSERT INTO users (id, customer_id, salutation, first_name, surname, email) VALUES
  (1, 1, 'Herr', 'Jürg', 'Müller', 'j.mueller@mueller-soehne.example');
INSERT INTO products (id, kind, name, description, trial_days, free, active) VALUES
  (1, 'plan', 'Business', 'Der Plan für Teams', 0, 0, 1),
  (2, 'module', 'Zeiterfassung', '', 14, 0, 1);
INSERT INTO product_prices (product_id, currency, monthly, yearly, onetime, vat_rate, gross) VALUES
  (1, 'CHF', 9900, 99000, NULL, '8.1', 0),
  (2, 'CHF', 1200, 12000, NULL, '8.1', 0);
INSERT INTO invoices (id, number, customer_id, user_id, title, issue_date, due_date, currency, language, tax_mode, exempt_note, notes, status, cash_rounding, net, vat, gross, rounding, total, paid, vat_groups, sent_at, created_at) VALUES
  (1, 'CW-2026-00001', 1, 1, 'Abonnement Januar 2026', '2026-01-05', '2026-02-04', 'CHF', 'de', 'net', '', '', 'paid', 5, 27900, 2260, 30160, 0, 30160, 30160, '8.1:27900:2260', '2026-01-05', '2026-01-05T09:15:00Z'),
  (2, 'CW-2026-00002', 2, NULL, 'Abonnement janvier 2026', '2026-01-06', '2026-02-05', 'CHF', 'fr', 'net', '', 'Merci !', 'open', 5, 12300, 996, 13296, -1, 13295, 5000, '8.1:12300:996', NULL, '2026-01-06T10:05:00Z'),
  (3, NULL, 1, NULL, 'Entwurf Februar', NULL, NULL, 'CHF', 'de', 'net', '', '', 'draft', 5, 9900, 802, 10702, -2, 10700, 0, '8.1:9900:802', NULL, '2026-01-20T08:00:00Z');
INSERT INTO invoice_lines (invoice_id, position, title, description, quantity, unit, unit_price, discount, vat_rate, amount) VALUES
  (1, 1, 'Plan Business', 'Abonnement 01.01.2026 – 31.01.2026', '1', 'Monat', 9900, '0', '8.1', 9900),
  (1, 2, 'Support', '', '1.5', 'h', 12000, '0', '8.1', 18000),
  (2, 1, 'Plan Business', '', '1', 'mois', 9900, '0', '8.1', 9900),
  (2, 2, 'Module Zeiterfassung', '', '2', 'mois', 1200, '0', '8.1', 2400),
  (3, 1, 'Plan Business', '', '1', 'Monat', 9900, '0', '8.1', 9900);
INSERT INTO payments (id, invoice_id, amount, date, method, reference, event_id, created_at) VALUES
  (1, 1, 30160, '2026-01-20', 'bank', 'ESR 4711', NULL, '2026-01-20T11:00:00Z'),
  (2, 2, 5000, '2026-01-25', 'card', '', NULL, '2026-01-25T11:00:00Z');
INSERT INTO credit_ledger (id, customer_id, currency, amount, reason, invoice_id, date) VALUES
  (1, 2, 'CHF', 2500, 'goodwill', NULL, '2026-01-10');
INSERT INTO counters (scope, value) VALUES ('2026', 2);
