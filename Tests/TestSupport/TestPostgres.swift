import Foundation
import Postgres

/// The throwaway PostgreSQL server `scripts/test` starts (Unix socket only, in the run's temporary
/// folder), and fresh databases on it: each test gets `CREATE DATABASE t_<unique>`, dropped after.
///
/// Without `INVOICE_TEST_POSTGRES` every PostgreSQL test fails, never skips: a run that could not
/// start the server must not pass for one that tested the engine.
public enum TestPostgres: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case noServer
        public var description: String {
            "INVOICE_TEST_POSTGRES is not set: run the tests with scripts/test, which starts a throwaway PostgreSQL server"
        }
    }

    /// The URI of the server's maintenance database (`postgresql:///postgres?host=…&user=postgres`).
    public static func serverURI() throws -> String {
        guard let uri = ProcessInfo.processInfo.environment["INVOICE_TEST_POSTGRES"], !uri.isEmpty else {
            throw Failure.noServer
        }
        return uri
    }

    /// `uri` with its database name replaced by `name` (the path between the authority and the query).
    public static func uri(_ uri: String, database name: String) -> String {
        let query = uri.firstIndex(of: "?").map { String(uri[$0...]) } ?? ""
        let base = uri.firstIndex(of: "?").map { String(uri[..<$0]) } ?? uri
        guard let schemeEnd = base.range(of: "://") else { return uri }
        let afterScheme = base[schemeEnd.upperBound...]
        let authority = afterScheme.firstIndex(of: "/").map { afterScheme[..<$0] } ?? afterScheme
        return String(base[..<schemeEnd.upperBound]) + authority + "/" + name + query
    }

    /// A database of its own for one test, on the throwaway server.
    public final class Database: Sendable {
        public let name: String
        /// The URI a store, a connection or the command line opens (`--db`).
        public let uri: String
        private let server: String

        public init(_ label: String = "t") throws {
            server = try TestPostgres.serverURI()
            let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            name = "\(label.lowercased())_\(suffix)"
            uri = TestPostgres.uri(server, database: name)
            let admin = try PostgresConnection(uri: server, applicationName: "invoice-tests")
            try admin.execute("CREATE DATABASE \(name)")
        }

        /// Drops the database, ending any connection a test left open on it.
        public func drop() {
            guard let admin = try? PostgresConnection(uri: server, applicationName: "invoice-tests") else { return }
            try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }
}
