/// Exact proportional allocation of money (issue 22, the VAT report's received basis): the share
/// `settled / total` of each of `parts` (minor units; Σ parts = total), in whole minor units that add
/// up to exactly `settled`. Largest remainder: every part first gets the floor of its exact share, the
/// minor units still missing go one each to the parts with the largest remainders, ties to the earlier
/// part. So a full settlement gives every part exactly, and the allocations of successive cumulative
/// settlements, taken as differences, add up to the whole without a cent lost or made.
public enum ProportionalShare {
    public static func allocate(_ parts: [Int64], total: Int64, settled: Int64) -> [Int64] {
        guard total != 0, !parts.isEmpty else { return parts.map { _ in 0 } }
        if settled == total { return parts }
        let denominator = Int128(total)
        var floors: [Int64] = []
        var remainders: [(Int128, Int)] = []
        for (index, part) in parts.enumerated() {
            let numerator = Int128(part) * Int128(settled)
            var quotient = numerator / denominator
            var remainder = numerator % denominator
            // Floor division for either sign of the numerator and the denominator.
            if remainder != 0 && ((remainder < 0) != (denominator < 0)) {
                quotient -= 1
                remainder += denominator
            }
            floors.append(Int64(quotient))
            remainders.append((denominator < 0 ? -remainder : remainder, index))
        }
        var missing = settled - floors.reduce(0, +)
        let order = remainders.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.map(\.1)
        var position = 0
        while missing > 0 && !order.isEmpty {
            floors[order[position % order.count]] += 1
            missing -= 1
            position += 1
        }
        return floors
    }
}
