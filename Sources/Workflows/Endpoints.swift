import Billing
import Foundation
import Store

/// The operator's app's endpoints: added with a URL that is checked (https, or http to a loopback
/// host; no private or link-local address unless allowed), each with a `whsec_` signing secret.
public struct Endpoints {
    let store: Store

    public init(store: Store) { self.store = store }

    /// How long the secret a rotation replaced is still signed with.
    public static let rotationOverlap: Int64 = 86_400

    public func add(url: String, filter: [String], description: String, allowPrivate: Bool) throws -> EventEndpoint {
        let checked = try Endpoints.checkURL(url, allowPrivate: allowPrivate)
        for entry in filter where !EventType.isValidFilter(entry) {
            throw WorkflowError("--events: '\(entry)' is not an event type or prefix.* (types: \(EventType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let text = try TextField.singleLine(description, field: "description", maxLength: 200)
        return try store.addEndpoint(url: checked, description: text, filter: filter, secret: try Endpoints.newSecret(),
                                     allowPrivate: allowPrivate)
    }

    /// A new secret; the old one is signed with too for `rotationOverlap` seconds. Returns the new secret.
    public func rotate(id: Int64, now: Int64) throws -> String {
        let secret = try Endpoints.newSecret()
        try store.rotateEndpointSecret(id: id, newSecret: secret, previousUntil: now + Endpoints.rotationOverlap)
        return secret
    }

    /// `whsec_` + base64 of 32 random bytes from the kernel (Standard Webhooks: 24–64 bytes).
    public static func newSecret() throws -> String {
        guard let handle = FileHandle(forReadingAtPath: "/dev/urandom") else { throw WorkflowError("cannot read /dev/urandom") }
        defer { try? handle.close() }
        guard let bytes = try handle.read(upToCount: 32), bytes.count == 32 else { throw WorkflowError("cannot read /dev/urandom") }
        return "whsec_" + bytes.base64EncodedString()
    }

    /// Checks an endpoint URL when it is added (`EndpointTarget.check`: https, or http to a loopback
    /// host; no private or link-local address unless `allowPrivate`). Returns it as given.
    public static func checkURL(_ text: String, allowPrivate: Bool) throws -> String {
        let url = try TextField.singleLine(text, field: "URL", maxLength: 2_000)
        return try EndpointTarget.check(url, allowPrivate: allowPrivate).url
    }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension Endpoints: Sendable {}
