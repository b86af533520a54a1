import Billing
import PDF
import QRCode

/// Draws the QR-bill's receipt (62 mm) and payment part (148 mm) into the bottom 105 mm of an
/// A4 page, as laid out by the guidelines: titles 11 pt bold, headings 6/8 pt bold, values
/// 8/10 pt, the 46 × 46 mm QR code with the 7 × 7 mm Swiss cross, and the separation lines.
struct QRBillPDFPart: Sendable {
    let bill: QRBill
    let labels: QRBillLabels
    let code: QRCode
    let fonts: InvoiceFonts

    static let millimetre = 72.0 / 25.4
    static let height = 105 * millimetre

    /// `nil` when the payload cannot be encoded (it always can: at most 997 characters).
    init?(bill: QRBill, language: Language, fonts: InvoiceFonts) {
        guard let code = bill.qrCode else { return nil }
        self.fonts = fonts
        self.bill = bill
        self.labels = QRBillLabels(language)
        self.code = code
    }

    /// The top of the payment part on `page`.
    static func top(of page: PDFPage) -> Double { page.size.height - height }

    func draw(on page: inout PDFPage) {
        let m = QRBillPDFPart.millimetre
        let top = QRBillPDFPart.top(of: page)
        page.fill(PDFRect(x: 0, y: top, width: page.size.width, height: QRBillPDFPart.height), color: .white)
        page.drawLine(fromX: 0, y: top, toX: page.size.width, y: top, width: 0.5)
        page.drawLine(fromX: 62 * m, y: top, toX: 62 * m, y: page.size.height, width: 0.5)
        page.drawText(labels.separate, x: 105 * m, y: top - 1.5 * m, font: fonts.regular, size: 7, alignment: .center)
        drawReceipt(on: &page, top: top)
        drawPaymentPart(on: &page, top: top)
    }

    // MARK: Receipt

    private func drawReceipt(on page: inout PDFPage, top: Double) {
        let m = QRBillPDFPart.millimetre, left = 5 * m, width = 52 * m
        page.drawText(labels.receipt, x: left, y: top + 5 * m + 8, font: fonts.bold, size: 11)
        var y = top + 12 * m + 5
        func section(_ heading: String, _ lines: [String]) {
            page.drawText(heading, x: left, y: y, font: fonts.bold, size: 6)
            y += 9
            for line in lines {
                for wrapped in fonts.regular.lines(wrapping: line, size: 8, width: width) {
                    page.drawText(wrapped, x: left, y: y, font: fonts.regular, size: 8)
                    y += 9
                }
            }
            y += 4.5
        }
        section(labels.account, [bill.formattedAccount] + bill.creditor.lines)
        if bill.referenceType != .non { section(labels.reference, [bill.formattedReference]) }
        if let debtor = bill.debtor {
            section(labels.payableBy, debtor.lines)
        } else {
            // IG 2.3 §3.5.4: a blank field with corner marks, 52 × 20 mm, for the payer to fill in.
            page.drawText(labels.payableByBlank, x: left, y: y, font: fonts.bold, size: 6)
            QRBillPDFPart.drawCornerMarks(on: &page, x: left, y: y + 1 * m, width: 52 * m, height: 20 * m)
        }
        let amountY = top + 68 * m
        page.drawText(labels.currency, x: left, y: amountY, font: fonts.bold, size: 6)
        page.drawText(labels.amount, x: left + 12 * m, y: amountY, font: fonts.bold, size: 6)
        page.drawText(bill.amount.currency.code, x: left, y: amountY + 10, font: fonts.regular, size: 8)
        page.drawText(bill.formattedAmount, x: left + 12 * m, y: amountY + 10, font: fonts.regular, size: 8)
        page.drawText(labels.acceptancePoint, x: 57 * m, y: top + 82 * m, font: fonts.bold, size: 6,
                      alignment: .right)
    }

    // MARK: Payment part

    private func drawPaymentPart(on page: inout PDFPage, top: Double) {
        let m = QRBillPDFPart.millimetre, left = 67 * m
        page.drawText(labels.paymentPart, x: left, y: top + 5 * m + 8, font: fonts.bold, size: 11)
        drawCode(on: &page, x: left, y: top + 17 * m, side: 46 * m)

        let amountY = top + 68 * m
        page.drawText(labels.currency, x: left, y: amountY, font: fonts.bold, size: 8)
        page.drawText(labels.amount, x: left + 14 * m, y: amountY, font: fonts.bold, size: 8)
        page.drawText(bill.amount.currency.code, x: left, y: amountY + 12, font: fonts.regular, size: 10)
        page.drawText(bill.formattedAmount, x: left + 14 * m, y: amountY + 12, font: fonts.regular, size: 10)

        let infoLeft = 118 * m, width = 87 * m
        var y = top + 5 * m + 6
        func section(_ heading: String, _ lines: [String]) {
            page.drawText(heading, x: infoLeft, y: y, font: fonts.bold, size: 8)
            y += 11
            for line in lines {
                for wrapped in fonts.regular.lines(wrapping: line, size: 10, width: width) {
                    page.drawText(wrapped, x: infoLeft, y: y, font: fonts.regular, size: 10)
                    y += 11
                }
            }
            y += 5.5
        }
        section(labels.account, [bill.formattedAccount] + bill.creditor.lines)
        if bill.referenceType != .non { section(labels.reference, [bill.formattedReference]) }
        if !bill.message.isEmpty { section(labels.additionalInformation, [bill.message]) }
        if let debtor = bill.debtor {
            section(labels.payableBy, debtor.lines)
        } else {
            // IG 2.3 §3.5.4: a blank field with corner marks, 65 × 25 mm, for the payer to fill in.
            page.drawText(labels.payableByBlank, x: infoLeft, y: y, font: fonts.bold, size: 8)
            QRBillPDFPart.drawCornerMarks(on: &page, x: infoLeft, y: y + 1.5 * m, width: 65 * m, height: 25 * m)
        }
    }

    /// The four corners of a blank field: 3 mm strokes, 0.75 pt wide (IG 2.3 §3.5.4).
    static func drawCornerMarks(on page: inout PDFPage, x: Double, y: Double, width: Double, height: Double) {
        let arm = 3 * millimetre, stroke = 0.75
        let right = x + width, bottom = y + height
        for (cornerX, cornerY, dx, dy) in [(x, y, arm, arm), (right, y, -arm, arm), (x, bottom, arm, -arm),
                                           (right, bottom, -arm, -arm)] {
            page.drawLine(fromX: cornerX, y: cornerY, toX: cornerX + dx, y: cornerY, width: stroke)
            page.drawLine(fromX: cornerX, y: cornerY, toX: cornerX, y: cornerY + dy, width: stroke)
        }
    }

    /// The QR code filling `side` × `side` points, with the Swiss cross (7 mm) in its centre.
    private func drawCode(on page: inout PDFPage, x: Double, y: Double, side: Double) {
        page.fillGrid(code.darkRuns, x: x, y: y, cell: side / Double(code.size), color: .black)
        let m = QRBillPDFPart.millimetre
        let centreX = x + side / 2, centreY = y + side / 2
        func square(_ size: Double) -> PDFRect {
            PDFRect(x: centreX - size / 2, y: centreY - size / 2, width: size, height: size)
        }
        page.fill(square(7 * m), color: .white)
        page.fill(square(6.2 * m), color: .black)
        let long = 3.9 * m, thick = 1.2 * m
        page.fill([PDFRect(x: centreX - long / 2, y: centreY - thick / 2, width: long, height: thick),
                   PDFRect(x: centreX - thick / 2, y: centreY - long / 2, width: thick, height: long)], color: .white)
    }
}
