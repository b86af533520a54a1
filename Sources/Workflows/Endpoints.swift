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

    /// Checks an endpoint URL: `https://host…`, or `http://` to a loopback host; every address the
    /// host resolves to must be public (or loopback) unless `allowPrivate`. Returns it as given.
    public static func checkURL(_ text: String, allowPrivate: Bool) throws -> String {
        let url = try TextField.singleLine(text, field: "URL", maxLength: 2_000)
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw WorkflowError("\(url) is not a URL; give https://host/path")
        }
        guard components.user == nil, components.password == nil else {
            throw WorkflowError("\(url): no user or password in the URL; the signature authenticates the sender")
        }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let addresses = try resolve(bare)
        guard !addresses.isEmpty else { throw WorkflowError("\(url): \(bare) does not resolve to any address") }
        let loopback = addresses.allSatisfy(isLoopback)
        switch scheme {
        case "https": break
        case "http" where loopback: break
        case "http": throw WorkflowError("\(url): endpoints use https:// (http:// only to a loopback host such as 127.0.0.1)")
        default: throw WorkflowError("\(url): endpoints use https:// (http:// only to a loopback host such as 127.0.0.1)")
        }
        if !allowPrivate, let address = addresses.first(where: { !isLoopback($0) && isPrivate($0) }) {
            throw WorkflowError("\(url): \(bare) resolves to \(address), a private or link-local address; give --allow-private if that is meant")
        }
        return url
    }

    /// The numeric addresses of a host (a literal address is itself).
    static func resolve(_ host: String) throws -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { throw WorkflowError("\(host) does not resolve: \(String(cString: gai_strerror(status)))") }
        defer { freeaddrinfo(list) }
        var out: [String] = []
        var entry = list
        while let current = entry {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(cString: buffer)
                if !out.contains(text) { out.append(text) }
            }
            entry = current.pointee.ai_next
        }
        return out
    }

    static func ipv4(_ address: String) -> [Int]? {
        let parts = address.split(separator: ".").compactMap { Int($0) }
        return parts.count == 4 && parts.allSatisfy({ (0...255).contains($0) }) ? parts : nil
    }

    static func isLoopback(_ address: String) -> Bool {
        if let v4 = ipv4(address) { return v4[0] == 127 }
        return address == "::1" || address.lowercased().hasPrefix("::ffff:127.")
    }

    /// RFC 1918, CGNAT (100.64/10), link-local (169.254/16, fe80::/10), unique-local (fc00::/7),
    /// "this network" (0/8) and the unspecified address.
    static func isPrivate(_ address: String) -> Bool {
        let lower = address.lowercased()
        if lower.hasPrefix("::ffff:") { return isPrivate(String(lower.dropFirst(7))) }
        if let v4 = ipv4(address) {
            return v4[0] == 10 || v4[0] == 0 || (v4[0] == 172 && (16...31).contains(v4[1])) || (v4[0] == 192 && v4[1] == 168)
                || (v4[0] == 169 && v4[1] == 254) || (v4[0] == 100 && (64...127).contains(v4[1]))
        }
        return lower == "::" || lower.hasPrefix("fe8") || lower.hasPrefix("fe9") || lower.hasPrefix("fea") || lower.hasPrefix("feb")
            || lower.hasPrefix("fc") || lower.hasPrefix("fd")
    }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension Endpoints: Sendable {}
