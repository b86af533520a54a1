import CPostgres
import Database
import Foundation

extension PostgresConnection {
    /// Runs `body` in a transaction at `isolation` (both kinds: PostgreSQL has no write lock to take
    /// early; SERIALIZABLE gives what SQLite's `BEGIN IMMEDIATE` gave). Commits when it returns, rolls
    /// back when it throws. When a statement of the transaction failed to serialize (40001) or
    /// deadlocked (40P01), the whole of `body` runs again in a new transaction, after a jittered,
    /// growing pause, up to `maximumTransactionAttempts` times. Nested calls join the outer transaction.
    @discardableResult
    public func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body()
        }
        var attempt = 1
        while true {
            sawRetryableFailure = false
            do {
                return try attemptTransaction(body)
            } catch {
                guard sawRetryableFailure else { throw error }
                guard attempt < maximumTransactionAttempts else {
                    if let failure = error as? DatabaseError {
                        throw DatabaseError(kind: failure.kind, code: failure.code,
                                            message: failure.message + " (gave up after \(attempt) attempts)", sql: failure.sql)
                    }
                    throw error
                }
                Self.pause(beforeRetry: attempt)
                attempt += 1
            }
        }
    }

    private func attemptTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        transactionDepth = 1
        defer { transactionDepth = 0 }
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            rollBackQuietly()
            throw error
        }
    }

    /// COMMIT, which PostgreSQL answers with ROLLBACK (no error) when a statement of the transaction
    /// failed and the body went on regardless: that must not pass for a commit.
    private func commit() throws {
        guard let result = PQexec(handle, "COMMIT") else { throw connectionFailure("COMMIT") }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw failure(result, "COMMIT") }
        if let tag = PQcmdStatus(result), String(cString: tag) == "ROLLBACK" {
            throw DatabaseError(kind: .other, code: "25P02",
                                message: "the transaction was rolled back because one of its statements failed", sql: "COMMIT")
        }
    }

    private func rollBackQuietly() {
        // The connection may be gone or the transaction already over: nothing left to undo then.
        if let result = PQexec(handle, "ROLLBACK") { PQclear(result) }
    }

    /// Runs `body` in a savepoint nested in the current transaction (or in a transaction of its own):
    /// if it throws, only its own changes are rolled back. A serialization failure is not caught
    /// here: it dooms the whole transaction, which then runs again from the start.
    @discardableResult
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        guard transactionDepth > 0 else { return try transaction(.immediate, body) }
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "sp\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        do {
            let result = try body()
            try execute("RELEASE SAVEPOINT \(name)")
            return result
        } catch {
            if !sawRetryableFailure {
                if let result = PQexec(handle, "ROLLBACK TO SAVEPOINT \(name)") { PQclear(result) }
                if let result = PQexec(handle, "RELEASE SAVEPOINT \(name)") { PQclear(result) }
            }
            throw error
        }
    }

    /// Full jitter over an exponential ceiling (2 ms, 4 ms, … capped at 100 ms), so transactions that
    /// collided do not collide again in step.
    static func pause(beforeRetry attempt: Int) {
        let ceiling = min(100, 1 << min(attempt, 7))
        let milliseconds = Int.random(in: 0...ceiling)
        Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
    }
}
