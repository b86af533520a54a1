import Billing

/// One entry of the audit trail: who (actor) did what (action) when, which objects and tables it
/// changed, and the chain link: the SHA-256 of the entry before it (`previousHash`) and of itself.
public struct AuditEntry: Sendable, Equatable {
    /// 1, 2, 3… with no gaps: the position in the chain.
    public let sequence: Int64
    /// Wall-clock time of the commit, `2026-11-25T13:05:00Z`.
    public let recordedAt: String
    public let actor: String
    public let action: String
    /// `invoice:INV-2026-00001`, `customer:3`, … sorted.
    public let objects: [String]
    /// The tables the transaction wrote, sorted.
    public let tables: [String]
    public let previousHash: String
    public let hash: String

    /// The hash of the entry before the first one.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The bytes the hash is taken of: a version tag, then every field but the hash itself, each as
    /// its UTF-8 length, a colon, the text and a line feed (so no two entries share a preimage).
    static func preimage(sequence: Int64, recordedAt: String, actor: String, action: String,
                         objects: [String], tables: [String], previousHash: String) -> [UInt8] {
        var out = Array("invoice-audit-1\n".utf8)
        for field in [String(sequence), recordedAt, actor, action, objects.joined(separator: "\n"),
                      tables.joined(separator: "\n"), previousHash] {
            out += Array("\(field.utf8.count):".utf8)
            out += Array(field.utf8)
            out.append(0x0A)
        }
        return out
    }

    /// The hash this entry's fields give (equal to `hash` unless the row was altered).
    var computedHash: String {
        Store.sha256(AuditEntry.preimage(sequence: sequence, recordedAt: recordedAt, actor: actor, action: action,
                                         objects: objects, tables: tables, previousHash: previousHash))
    }
}

/// What `audit verify` found: how many entries it walked, and the first broken link (nil: intact).
public struct AuditVerification: Sendable, Equatable {
    public let entries: Int64
    /// The first entry whose link is broken, and what is wrong with it.
    public let broken: (sequence: Int64, reason: String)?

    public static func == (a: AuditVerification, b: AuditVerification) -> Bool {
        a.entries == b.entries && a.broken?.sequence == b.broken?.sequence && a.broken?.reason == b.broken?.reason
    }
}
