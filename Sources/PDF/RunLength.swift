/// PackBits-style run-length encoding, as PDF's RunLengthDecode reads it.
enum RunLength {
    static func encode(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 + 16)
        var index = 0
        while index < input.count {
            var run = 1
            while index + run < input.count, run < 128, input[index + run] == input[index] { run += 1 }
            if run >= 2 {
                output.append(UInt8(257 - run))
                output.append(input[index])
                index += run
                continue
            }
            let start = index
            index += 1
            while index < input.count, index - start < 128 {
                if index + 1 < input.count, input[index] == input[index + 1] { break }
                index += 1
            }
            output.append(UInt8(index - start - 1))
            output.append(contentsOf: input[start..<index])
        }
        output.append(128)
        return output
    }
}
