import Billing
import Mustache
import QRCode

/// The QR-bill's values for `partials/qrbill.html`: headings, formatted fields and the QR code as
/// inline SVG (46 × 46 mm, with the 7 × 7 mm Swiss cross).
struct QRBillHTML: Sendable {
    let bill: QRBill
    let labels: QRBillLabels
    let code: QRCode

    init?(bill: QRBill, language: Language) {
        guard let code = bill.qrCode else { return nil }
        self.bill = bill
        self.labels = QRBillLabels(language)
        self.code = code
    }

    /// The QR code as an SVG element; only numbers from the matrix, nothing from user data.
    var svg: String {
        let n = Double(code.size)
        let unit = n / 46  // modules per millimetre
        func number(_ value: Double) -> String { String(Double(Int((value * 1000).rounded())) / 1000) }
        func square(_ millimetres: Double, _ fill: String) -> String {
            let side = millimetres * unit, origin = (n - side) / 2
            return "<rect x=\"\(number(origin))\" y=\"\(number(origin))\" width=\"\(number(side))\" height=\"\(number(side))\" fill=\"\(fill)\"/>"
        }
        let long = 3.9 * unit, thick = 1.2 * unit
        let cross = "<rect x=\"\(number((n - long) / 2))\" y=\"\(number((n - thick) / 2))\" width=\"\(number(long))\" height=\"\(number(thick))\" fill=\"#fff\"/>"
            + "<rect x=\"\(number((n - thick) / 2))\" y=\"\(number((n - long) / 2))\" width=\"\(number(thick))\" height=\"\(number(long))\" fill=\"#fff\"/>"
        let head = "<svg class=\"qrcode\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(code.size) \(code.size)\" "
            + "width=\"46mm\" height=\"46mm\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">"
            + "<path d=\""
        let tail = "\" fill=\"#000\"/>" + square(7, "#fff") + square(6.2, "#000") + cross + "</svg>"
        return QRBillHTML.svgPath(code.darkRuns, between: head, and: tail)
    }

    /// `head`, then `M{x} {y}h{length}v1h-{length}z` for each run, then `tail`, written once into
    /// the string's storage: thousands of runs per code, every number below 1000 (a code has at
    /// most 177 modules a side).
    static func svgPath(_ runs: [(x: Int, y: Int, length: Int)], between head: String = "", and tail: String = "") -> String {
        // "M" 3 " " 3 "h" 3 "v1h-" 3 "z": at most 20 bytes a run.
        let capacity = head.utf8.count + runs.count * 20 + tail.utf8.count
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var out = base
            for byte in head.utf8 {
                out.pointee = byte
                out += 1
            }
            for run in runs {
                out = QRBillHTML.writeRun(run, at: out)
            }
            for byte in tail.utf8 {
                out.pointee = byte
                out += 1
            }
            return out - base
        }
    }

    /// `M{x} {y}h{length}v1h-{length}z` at `out`; returns the byte after it.
    @inline(__always)
    private static func writeRun(_ run: (x: Int, y: Int, length: Int), at start: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8> {
        var out = start
        @inline(__always) func put(_ byte: UInt8, _ out: inout UnsafeMutablePointer<UInt8>) {
            out.pointee = byte
            out += 1
        }
        @inline(__always) func number(_ value: Int, _ out: inout UnsafeMutablePointer<UInt8>) {
            let value = min(max(value, 0), 999)
            if value >= 100 { put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 100), &out) }
            if value >= 10 { put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10 % 10), &out) }
            put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10), &out)
        }
        put(UInt8(ascii: "M"), &out)
        number(run.x, &out)
        put(UInt8(ascii: " "), &out)
        number(run.y, &out)
        put(UInt8(ascii: "h"), &out)
        number(run.length, &out)
        put(UInt8(ascii: "v"), &out)
        put(UInt8(ascii: "1"), &out)
        put(UInt8(ascii: "h"), &out)
        put(UInt8(ascii: "-"), &out)
        number(run.length, &out)
        put(UInt8(ascii: "z"), &out)
        return out
    }

    var templateValue: TemplateValue {
        func strings(_ values: [String]) -> TemplateValue { .array(values.map { .string($0) }) }
        return .object([
            "svg": .string(svg),
            "labels": .object([
                "paymentPart": .string(labels.paymentPart), "receipt": .string(labels.receipt),
                "account": .string(labels.account), "reference": .string(labels.reference),
                "additionalInformation": .string(labels.additionalInformation),
                "payableBy": .string(bill.debtor == nil ? labels.payableByBlank : labels.payableBy),
                "currency": .string(labels.currency), "amount": .string(labels.amount),
                "acceptancePoint": .string(labels.acceptancePoint), "separate": .string(labels.separate),
            ]),
            "account": .string(bill.formattedAccount),
            "creditorLines": strings(bill.creditor.lines),
            "reference": bill.referenceType == .non ? .null : .string(bill.formattedReference),
            "message": bill.message.isEmpty ? .null : .string(bill.message),
            "debtorLines": strings(bill.debtor?.lines ?? []),
            "hasDebtor": .bool(bill.debtor != nil),
            "currency": .string(bill.amount.currency.code),
            "amount": .string(bill.formattedAmount),
        ])
    }
}
