-- Written by version 2: Müller's monthly plan, its invoiced and paid period, its history, a module
-- trial, and a first reminder for Lumière's open invoice.
INSERT INTO bookings (id, customer_id, product_id, kind, cycle, status, start, end, invoice_id, replaces_id, created_at) VALUES
  (1, 1, 1, 'plan', 'monthly', 'active', '2026-01-01', '2026-01-31', 1, NULL, '2026-01-05T09:14:00Z'),
  (2, 1, 2, 'module', 'trial', 'trial', '2026-01-10', '2026-01-23', NULL, NULL, '2026-01-10T12:00:00Z');
INSERT INTO booking_periods (id, booking_id, cycle, reason, planned_start, start, end, invoice_id, currency, list_amount, credit, carried_credit, state, paid_on) VALUES
  (1, 1, 'monthly', 'initial', '2026-01-01', '2026-01-01', '2026-01-31', 1, 'CHF', 9900, 0, 0, 'paid', '2026-01-20');
INSERT INTO booking_events (id, booking_id, date, action, detail) VALUES
  (1, 1, '2026-01-05', 'activated', 'Business monthly'),
  (2, 1, '2026-01-20', 'paid', 'CW-2026-00001'),
  (3, 2, '2026-01-10', 'trial', '14 days');
INSERT INTO trials (customer_id, product_id, date) VALUES (1, 2, '2026-01-10');
INSERT INTO reminders (id, invoice_id, level, due_on, recorded_on, queued_at) VALUES
  (1, 2, 1, '2026-02-15', '2026-02-15', NULL);
