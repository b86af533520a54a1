-- Written by version 4: a payment provider's event, applied.
INSERT INTO webhook_events (id, received_at, payload, status, result) VALUES
  ('evt_1QdzKx2eZvKYlo2C', '2026-01-25T11:00:00Z', '{"type":"payment.succeeded","data":{"invoice":"CW-2026-00002","amount":"50.00","currency":"CHF"}}', 'applied', 'payment recorded');
UPDATE payments SET event_id = 'evt_1QdzKx2eZvKYlo2C' WHERE id = 2;
