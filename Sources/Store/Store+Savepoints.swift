import Database

extension Store {
    /// Runs `body` inside a savepoint of the current write transaction: if it throws, only its own
    /// changes are rolled back and the error is rethrown (the scheduled run isolates bookings this way).
    public func isolated<T>(_ body: () throws -> T) throws -> T {
        let mark = completions.count
        let changesBefore = audited.changes
        let eventMark = pendingEvents.count
        do {
            return try write { try connection.savepoint(body) }
        } catch {
            // What the rolled-back savepoint changed is no change of the transaction.
            if writeDepth > 0 { audited.changes = changesBefore }
            if pendingEvents.count > eventMark { pendingEvents.removeSubrange(eventMark...) }
            // Nested: only this savepoint rolled back; undo what was registered inside it.
            if completions.count > mark {
                let undone = completions[mark...]
                completions.removeSubrange(mark...)
                for item in undone.reversed() { item.rolledBack() }
            }
            throw error
        }
    }
}
