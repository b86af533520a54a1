import Database

extension Store {
    /// Runs `body` inside a savepoint of the current write transaction: if it throws, only its own
    /// changes are rolled back and the error is rethrown (the scheduled run isolates bookings this way).
    public func isolated<T>(_ body: () throws -> T) throws -> T {
        try write { try connection.savepoint(body) }
    }
}
