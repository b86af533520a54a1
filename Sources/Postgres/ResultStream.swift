import CPostgres

/// The results of one statement sent on a connection, read one at a time (`PQgetResult`).
///
/// libpq reads a connection's results strictly in order: while a statement's rows are still
/// arriving, no other statement can be sent. The store sometimes runs a statement from inside a
/// `forEach` (a row's details while listing), so before the connection sends anything new it asks
/// the stream on the wire to `detach`: the stream then reads its remaining results into memory and
/// hands them out from there. Only that case holds rows in memory; a plain `forEach` holds one.
final class ResultStream {
    private let connection: OpaquePointer
    private var buffered: [OpaquePointer] = []
    private var bufferedIndex = 0
    private(set) var isOnWire = true

    init(connection: OpaquePointer) { self.connection = connection }

    deinit {
        while bufferedIndex < buffered.count { PQclear(buffered[bufferedIndex]); bufferedIndex += 1 }
    }

    /// The next result (the caller clears it), or nil when the statement is done.
    func next() -> OpaquePointer? {
        if bufferedIndex < buffered.count {
            defer { bufferedIndex += 1 }
            return buffered[bufferedIndex]
        }
        guard isOnWire else { return nil }
        guard let result = PQgetResult(connection) else { isOnWire = false; return nil }
        return result
    }

    /// Reads the rest of the statement's results into memory so the connection is free; returns how
    /// many rows that holds.
    @discardableResult
    func detach() -> Int {
        guard isOnWire else { return 0 }
        var rows = 0
        while let result = PQgetResult(connection) {
            rows += Int(PQntuples(result))
            buffered.append(result)
        }
        isOnWire = false
        return rows
    }

    /// Rows held in memory now, waiting to be read.
    var bufferedRowCount: Int {
        buffered[bufferedIndex...].reduce(0) { $0 + Int(PQntuples($1)) }
    }
}
