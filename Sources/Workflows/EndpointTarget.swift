import Foundation

/// Where an endpoint URL really points, checked: the host, its port and every address it resolves
/// to now. Built when an endpoint is added and again before each delivery batch (a name that
/// resolved to a public address when it was added may resolve to a private one later: DNS
/// rebinding), and the addresses checked are the ones libcurl connects to (`pin`, CURLOPT_RESOLVE).
///
/// Rules: `https://`, or `http://` when every address is loopback; no private or link-local address
/// (RFC 1918, CGNAT, 169.254/16, fe80::/10, fc00::/7, 0/8) unless the endpoint allows it.
public struct EndpointTarget: Sendable, Hashable {
    public var url: String
    /// The host as the URL names it, without brackets.
    public var host: String
    public var port: Int
    public var addresses: [String]

    /// Checks `url` (already a single line) and resolves its host; the error says why it is refused.
    /// `atDelivery`: the refusal says it stopped a delivery (no request made) rather than an `endpoints add`.
    public static func check(_ url: String, allowPrivate: Bool, atDelivery: Bool = false) throws -> EndpointTarget {
        let stopped = atDelivery ? "; refused at delivery, no request made" : ""
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw WorkflowError("\(url) is not a URL; give https://host/path")
        }
        guard components.user == nil, components.password == nil else {
            throw WorkflowError("\(url): no user or password in the URL; the signature authenticates the sender")
        }
        guard scheme == "https" || scheme == "http" else {
            throw WorkflowError("\(url): endpoints use https:// (http:// only to a loopback host such as 127.0.0.1)")
        }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let addresses = try resolve(bare)
        guard !addresses.isEmpty else { throw WorkflowError("\(url): \(bare) does not resolve to any address") }
        if !allowPrivate, let address = addresses.first(where: { !isLoopback($0) && isPrivate($0) }) {
            throw WorkflowError("\(url): \(bare) resolves to \(address), a private or link-local address\(stopped); \(atDelivery ? "an endpoint added with --allow-private may use one" : "give --allow-private if that is meant")")
        }
        if scheme == "http", !addresses.allSatisfy(isLoopback) {
            let shown = isNumeric(bare) ? "" : " (\(bare) resolves to \(addresses.joined(separator: ", ")))"
            throw WorkflowError("\(url): endpoints use https:// (http:// only to a loopback host such as 127.0.0.1)\(shown)\(stopped)")
        }
        return EndpointTarget(url: url, host: bare, port: components.port ?? (scheme == "https" ? 443 : 80), addresses: addresses)
    }

    /// libcurl's CURLOPT_RESOLVE entries that make it connect to exactly the checked addresses
    /// (none for a numeric host: there is nothing to look up).
    public var pin: [String] {
        guard !EndpointTarget.isNumeric(host) else { return [] }
        let list = addresses.map { $0.contains(":") ? "[\($0)]" : $0 }.joined(separator: ",")
        return ["\(host):\(port):\(list)"]
    }

    static func isNumeric(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// The numeric addresses of a host (a literal address is itself, a decimal or short IPv4 form
    /// its dotted quad).
    static func resolve(_ host: String) throws -> [String] {
        #if DEBUG
        if let pinned = testResolution(host) { return pinned }
        #endif
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

    #if DEBUG
    /// Debug builds only, for tests (no DNS server, no /etc/hosts edits):
    /// `INVOICE_TEST_RESOLVE="name=addr,addr;name2=addr"` answers for those names instead of the resolver.
    static func testResolution(_ host: String) -> [String]? {
        guard let text = ProcessInfo.processInfo.environment["INVOICE_TEST_RESOLVE"] else { return nil }
        for entry in text.split(separator: ";") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == host.lowercased() {
                return parts[1].split(separator: ",").map(String.init)
            }
        }
        return nil
    }
    #endif

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
