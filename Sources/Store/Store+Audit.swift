import Billing
import Database

/// The audit trail (issue 22): every write transaction that changed something appends one entry, in
/// that same transaction, under the store's `audit` context. Entries form a hash chain: each carries
/// the SHA-256 of the one before. The chain's head row (`audit_head`) is updated first, which takes
/// its row lock: concurrent writers (PostgreSQL) line up behind it, so the chain stays linear.
/// Triggers refuse UPDATE and DELETE of entries on both engines (migration 14).
extension Store {
    /// Names an object the current write transaction changes (`invoice:INV-2026-00001`,
    /// `customer:3`), for the audit entry; `audit list --object` finds entries by it. Outside a
    /// write transaction it does nothing.
    public func noteChanged(_ object: String) {
        guard writeDepth > 0 else { return }
        audited.changes.objects.insert(object)
    }

    /// The object key of an invoice or credit note: `invoice:NUMBER`, or `draft:ID` before it has one.
    static func invoiceObject(number: String?, id: Int64) -> String {
        if let number, !number.isEmpty { return "invoice:\(number)" }
        return "draft:\(id)"
    }

    /// Appends the entry for what the transaction changed (nothing changed: no entry). Called by
    /// `write` as the last step inside the outermost transaction.
    func appendAuditEntry() throws {
        let changes = audited.changes
        guard !changes.isEmpty else { return }
        let db = audited.base
        guard let head = try db.first("UPDATE audit_head SET seq = seq + 1 WHERE chain = 'main' RETURNING seq, hash",
                                      [], { ($0.int(0), $0.text(1)) }) else {
            throw StoreError("the audit trail's head row is missing from the database; run `invoice audit verify`")
        }
        let objects = changes.objects.sorted()
        let tables = changes.tables.sorted()
        let recordedAt = Store.timestamp()
        let context = audit
        let hash = Store.sha256(AuditEntry.preimage(sequence: head.0, recordedAt: recordedAt, actor: context.actor,
                                                    action: context.action, objects: objects, tables: tables,
                                                    previousHash: head.1))
        try db.run("""
            INSERT INTO audit_entries (seq, recorded_at, actor, action, objects, tables, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(head.0), .text(recordedAt), .text(context.actor), .text(context.action),
                  .text(objects.joined(separator: "\n")), .text(tables.joined(separator: "\n")), .text(head.1), .text(hash)])
        for object in objects {
            try db.run("INSERT INTO audit_objects (object, seq) VALUES (?, ?)", [.text(object), .integer(head.0)])
        }
        try db.run("UPDATE audit_head SET hash = ? WHERE chain = 'main'", [.text(hash)])
    }

    private func auditEntry(_ row: Row) -> AuditEntry {
        func list(_ text: String) -> [String] { text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        return AuditEntry(sequence: row.int(0), recordedAt: row.text(1), actor: row.text(2), action: row.text(3),
                          objects: list(row.text(4)), tables: list(row.text(5)), previousHash: row.text(6), hash: row.text(7))
    }

    private static let auditColumns = "e.seq, e.recorded_at, e.actor, e.action, e.objects, e.tables, e.previous_hash, e.hash"

    /// The entries in chain order, optionally only those naming `object` and those recorded on or
    /// after `since` (UTC day).
    public func forEachAuditEntry(object: String? = nil, since: Day? = nil, _ body: (AuditEntry) throws -> Void) throws {
        let sinceText = since.map { $0.description } ?? ""
        try read {
            if let object {
                try connection.forEach("""
                    SELECT \(Store.auditColumns) FROM audit_objects o JOIN audit_entries e ON e.seq = o.seq
                    WHERE o.object = ? AND e.recorded_at >= ? ORDER BY e.seq
                    """, [.text(object), .text(sinceText)]) { try body(auditEntry($0)) }
            } else {
                try connection.forEach("SELECT \(Store.auditColumns) FROM audit_entries e WHERE e.recorded_at >= ? ORDER BY e.seq",
                                       [.text(sinceText)]) { try body(auditEntry($0)) }
            }
        }
    }

    /// Walks the chain from the first entry: consecutive sequence numbers, each entry's previous
    /// hash equal to the hash of the one before, each hash equal to what its fields give, and the
    /// head row naming the last entry (a removed tail shows there). Stops at the first broken link.
    public func verifyAudit() throws -> AuditVerification {
        try read {
            var expected: Int64 = 1
            var previous = AuditEntry.genesisHash
            var broken: (Int64, String)?
            try connection.forEach("SELECT \(Store.auditColumns) FROM audit_entries e ORDER BY e.seq") { row in
                guard broken == nil else { return }
                let entry = auditEntry(row)
                if entry.sequence != expected {
                    broken = (expected, "entry \(expected) is missing (the next one is \(entry.sequence))")
                } else if entry.previousHash != previous {
                    broken = (entry.sequence, "entry \(entry.sequence) does not follow entry \(entry.sequence - 1): the previous hash it records differs (one of the two was altered)")
                } else if entry.computedHash != entry.hash {
                    broken = (entry.sequence, "entry \(entry.sequence) was altered: its hash does not match its contents")
                }
                expected = entry.sequence + 1
                previous = entry.hash
            }
            if let broken { return AuditVerification(entries: expected - 1, broken: broken) }
            let last = expected - 1
            guard let head = try connection.first("SELECT seq, hash FROM audit_head WHERE chain = 'main'", [], { ($0.int(0), $0.text(1)) }) else {
                return AuditVerification(entries: last, broken: (last + 1, "the chain's head row is missing"))
            }
            if head.0 != last || head.1 != previous {
                return AuditVerification(entries: last, broken: (last + 1, "the chain ends at entry \(last) but its head names entry \(head.0): entries after \(last) were removed"))
            }
            return AuditVerification(entries: last, broken: nil)
        }
    }
}
