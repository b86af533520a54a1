import Foundation

/// Prints figures as they are measured, and collects them for `--json`.
final class BenchReport {
    let json: Bool
    private var figures: [(name: String, fields: [(String, String)])] = []

    init(json: Bool) { self.json = json }

    func title(_ text: String) { if !json { emit(text) } }

    func section(_ text: String) { if !json { emit("\n\(text)") } }

    /// One figure; with a peer, also the ratio (ours ÷ peer for rates, peer ÷ ours for costs).
    func figure(_ name: String, _ value: Double, unit: String, peer: (name: String, value: Double)? = nil, higherIsBetter: Bool = true) {
        var fields: [(String, String)] = [("value", Self.format(value)), ("unit", unit)]
        var line = "  \(name.padded(46))\(Self.format(value).leftPadded(12)) \(unit)"
        if let peer {
            let ratio = higherIsBetter ? value / max(peer.value, 1e-9) : peer.value / max(value, 1e-9)
            fields += [("peer", peer.name), ("peer_value", Self.format(peer.value)), ("ratio", Self.format(ratio))]
            line += "   vs \(peer.name) \(Self.format(peer.value)) \(unit): \(Self.format(ratio))×"
        }
        figures.append((name, fields))
        if !json { emit(line) }
    }

    func note(_ text: String) { if !json { emit("  \(text)") } }

    /// With `--json`, every figure as one object keyed by figure name, fields in the order written.
    func finish() {
        guard json else { return }
        func quoted(_ text: String) -> String {
            // Foundation's encoder does the escaping; the bench writes no JSON syntax of its own beyond this.
            String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
        }
        var out = "{\n"
        for (index, figure) in figures.enumerated() {
            out += "  \(quoted(figure.name)): {\n"
            out += figure.fields.map { "    \(quoted($0.0)): \(quoted($0.1))" }.joined(separator: ",\n")
            out += index == figures.count - 1 ? "\n  }\n" : "\n  },\n"
        }
        emit(out + "}")
    }

    private func emit(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func format(_ value: Double) -> String {
        if value < 0 { return "-" + format(-value) }
        if value >= 100 { return String(Int(value.rounded())) }
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
