@testable import PDF
import Testing

@Suite struct NumberFormattingTests {
    @Test(arguments: [
        (0.0, "0"), (12.0, "12"), (12.5, "12.5"), (12.345, "12.35"), (-0.25, "-0.25"),
        (841.89, "841.89"), (0.004, "0"), (1_000_000.1, "1000000.1"), (-3.0, "-3"), (0.05, "0.05"),
    ])
    func numbersAreWrittenWithAtMostTwoDecimals(value: Double, expected: String) {
        var buffer = ByteBuffer()
        buffer.append(value)
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == expected)
    }

    @Test func crossReferenceOffsetsArePaddedToTenDigits() {
        var buffer = ByteBuffer()
        buffer.append(1234, paddedTo: 10)
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == "0000001234")
    }

    @Test func literalStringsEscapeParenthesesAndBackslashes() {
        var buffer = ByteBuffer()
        buffer.appendLiteralString(Array("a(b)c\\d".utf8))
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == "(a\\(b\\)c\\\\d)")
    }
}
