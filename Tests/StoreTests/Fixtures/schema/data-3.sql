-- Written by version 3: the invoice mail of CW-2026-00001, sent.
INSERT INTO mail_queue (id, idempotency_key, kind, invoice_id, sender, recipient, subject, file, message_id, size, state, attempts, next_attempt_at, lease_owner, lease_until, last_reply, unknown_outcome, created_at, updated_at, sent_at) VALUES
  (1, 'invoice:1', 'invoice', 1, 'billing@cloudwerk.ch', 'j.mueller@mueller-soehne.example', 'Rechnung CW-2026-00001 von Cloudwerk AG',
   '2026/01/invoice-1.eml', '<invoice-1.20260105@cloudwerk.ch>', 41234, 'sent', 1, 1767604500, NULL, NULL, '250 2.0.0 Ok: queued', 0,
   '2026-01-05T09:15:00Z', '2026-01-05T09:16:00Z', '2026-01-05T09:16:00Z');
