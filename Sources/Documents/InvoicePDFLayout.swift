import Foundation
import PDF

/// The native PDF of an invoice on A4: the same content as `invoice.html`, laid out with the
/// embedded Liberation Sans (metric-compatible with Helvetica/Arial) and its real widths.
///
/// Positions are in points from the top-left corner. The recipient address sits in the right
/// window of a Swiss C5/C6 envelope (SN 010130): 118 mm from the left edge, 50 mm from the top,
/// 45 mm high, with the sender line above it; an address too long for it is shortened, never
/// drawn past the window. The line table's header repeats on every page; every page has the
/// footer (or, on the last page of a QR-bill invoice, the payment part) and "page N of M". The
/// seller's VAT number is in the header of every page, so the payment part cannot take it away.
struct InvoicePDFLayout {
    let view: InvoiceView
    let fonts: InvoiceFonts
    let logo: PDFImage?
    /// The Swiss QR-bill drawn at the bottom of the last page (or on a page of its own).
    let paymentPart: QRBillPDFPart?

    static let millimetre = 72.0 / 25.4
    static let left = 20 * millimetre
    static let right = PDFPageSize.a4.width - 20 * millimetre
    static let contentBottom = PDFPageSize.a4.height - 30 * millimetre
    static let windowLeft = 118 * millimetre
    static let windowTop = 50 * millimetre
    static let windowBottom = 95 * millimetre
    static let recipientSize = 10.5
    static let recipientLeading = 13.0
    static let tableSize = 9.0
    static let leading = 11.0
    static let gray = PDFColor(white: 0.4)
    static let rule = PDFColor(white: 0.7)

    private var pages: [PDFPage] = []
    private var page = PDFPage(size: .a4)
    private var y = 0.0

    init(view: InvoiceView, fonts: InvoiceFonts, logo: PDFImage?, paymentPart: QRBillPDFPart? = nil) {
        self.view = view
        self.fonts = fonts
        self.logo = logo
        self.paymentPart = paymentPart
    }

    /// Lays out every page and returns the finished document.
    func document(title: String, author: String, creationDate: Date?) -> PDFDocument {
        var layout = self
        layout.drawFirstPageHeader()
        layout.drawTable()
        layout.drawTotals()
        layout.drawClosingText()
        if paymentPart != nil, layout.y > QRBillPDFPart.top(of: layout.page) - 8 * InvoicePDFLayout.millimetre {
            layout.newPage()
        }
        layout.pages.append(layout.page)
        var document = PDFDocument(info: PDFDocumentInfo(title: title, author: author, subject: view.subject,
                                                         creator: "invoice", creationDate: creationDate))
        for (index, var finished) in layout.pages.enumerated() {
            if let paymentPart, index == layout.pages.count - 1 {
                paymentPart.draw(on: &finished)
                layout.drawPageNumber(on: &finished, number: index + 1, of: layout.pages.count,
                                      y: QRBillPDFPart.top(of: finished) - 1.5 * InvoicePDFLayout.millimetre)
            } else {
                layout.drawFooter(on: &finished, number: index + 1, of: layout.pages.count)
            }
            document.append(finished)
        }
        return document
    }

    // MARK: Header

    private mutating func drawFirstPageHeader() {
        let m = InvoicePDFLayout.millimetre, left = InvoicePDFLayout.left, right = InvoicePDFLayout.right
        if let logo {
            let size = logo.size(fittingWidth: 60 * m, height: 22 * m)
            page.draw(logo, in: PDFRect(x: left, y: 15 * m, width: size.width, height: size.height))
        }
        var sellerY = 15 * m + 8
        page.drawText(view.seller.company, x: right, y: sellerY, font: fonts.bold, size: 10, alignment: .right)
        for line in view.seller.addressLines + [view.seller.email, view.seller.phone, view.seller.website, sellerVATLine]
        where !line.isEmpty {
            sellerY += 11
            page.drawText(line, x: right, y: sellerY, font: fonts.regular, size: 8.5, color: InvoicePDFLayout.gray,
                          alignment: .right)
        }

        // Window: sender line, then the recipient.
        let windowLeft = InvoicePDFLayout.windowLeft, windowTop = InvoicePDFLayout.windowTop
        let windowWidth = right - windowLeft
        let senderLines = fonts.regular.lines(wrapping: view.senderLine, size: 7, width: windowWidth)
        page.drawText(senderLines.first ?? "", x: windowLeft, y: windowTop + 7, font: fonts.regular, size: 7,
                      color: InvoicePDFLayout.gray)
        page.drawLine(fromX: windowLeft, y: windowTop + 9, toX: right, y: windowTop + 9, width: 0.3,
                      color: InvoicePDFLayout.rule)
        var recipientY = windowTop + 24
        for line in recipientWindowLines(width: windowWidth) {
            page.drawText(line, x: windowLeft, y: recipientY, font: fonts.regular, size: InvoicePDFLayout.recipientSize)
            recipientY += InvoicePDFLayout.recipientLeading
        }

        // Facts beside the window.
        var facts: [(String, String)] = []
        if !view.isDraft { facts.append((view.labels["invoiceNumber"], view.number)) }
        if !view.issueDate.isEmpty { facts.append((view.labels["invoiceDate"], view.issueDate)) }
        if !view.dueDate.isEmpty { facts.append((view.labels["dueDate"], view.dueDate)) }
        facts.append((view.labels["customerNumber"], view.customerNumber))
        if !view.purchaseOrder.isEmpty { facts.append((view.labels["purchaseOrder"], view.purchaseOrder)) }
        if !view.customerVatID.isEmpty { facts.append((view.labels["customerVatID"], view.customerVatID)) }
        if !view.addresseeName.isEmpty { facts.append((view.labels["contact"], view.addresseeName)) }
        var factY = windowTop + 24
        for (label, value) in facts {
            page.drawText(label, x: left, y: factY, font: fonts.regular, size: 8.5, color: InvoicePDFLayout.gray)
            page.drawText(value, x: left + 88, y: factY, font: fonts.regular, size: 8.5)
            factY += 12
        }

        y = max(windowTop + 45 * m, factY, recipientY) + 10
        page.drawText(view.heading, x: left, y: y, font: fonts.bold, size: 16)
        if view.isCancelled {
            let width = fonts.bold.width(of: view.heading, size: 16)
            page.drawText(view.labels["cancelled"].uppercased(), x: left + width + 12, y: y, font: fonts.bold,
                          size: 16, color: PDFColor(red: 0.75, green: 0.1, blue: 0.1))
        }
        y += 8
        if !view.subject.isEmpty {
            y += page.drawParagraph(view.subject, x: left, top: y, width: right - left, font: fonts.regular, size: 11).height
        }
        if !view.billingInfo.isEmpty {
            y += 4
            y += page.drawParagraph(view.billingInfo, x: left, top: y, width: right - left, font: fonts.regular,
                                    size: 8.5, color: InvoicePDFLayout.gray).height
        }
        y += 14
    }

    // MARK: Table

    private struct Columns {
        let position: Double
        let description: Double
        let descriptionWidth: Double
        let quantity: Double
        let unitPrice: Double
        let discount: Double?
        let vat: Double?
        let amount: Double
    }

    /// The columns, right-aligned from the right margin. Each is at least its usual width and as wide
    /// as its header (bold) or its widest cell plus a 9 pt gap, so headers never run together
    /// ("QtàPrezzo unitario" in Italian, where Qtà ended 1.5 pt before Prezzo); the description
    /// takes what is left.
    private var columns: Columns {
        let size = InvoicePDFLayout.tableSize, labels = view.labels, gap = 9.0
        func width(_ minimum: Double, header: String, cells: [String]) -> Double {
            let widest = cells.reduce(fonts.bold.width(of: header, size: size)) { max($0, fonts.regular.width(of: $1, size: size)) }
            return max(minimum, widest + gap)
        }
        let amount = InvoicePDFLayout.right
        let amountWidth = width(72, header: labels["amount"] + " " + view.currency, cells: view.lines.map(\.amount))
        let vat: Double? = view.exemptNote.isEmpty ? amount - amountWidth : nil
        let afterVAT = vat.map { $0 - width(40, header: labels["vat"], cells: view.lines.map(\.vatRate)) } ?? amount - amountWidth
        let discount: Double? = view.showsDiscount ? afterVAT : nil
        let unitPrice = discount.map { $0 - width(40, header: labels["discount"], cells: view.lines.map(\.discount)) } ?? afterVAT
        let quantity = unitPrice - width(66, header: labels["unitPrice"], cells: view.lines.map(\.unitPrice))
        let description = InvoicePDFLayout.left + max(24, 2 + fonts.bold.width(of: labels["position"], size: size) + gap)
        let quantityWidth = width(62, header: labels["quantity"], cells: view.lines.map(\.quantity))
        return Columns(position: InvoicePDFLayout.left, description: description,
                       descriptionWidth: quantity - quantityWidth - description, quantity: quantity, unitPrice: unitPrice,
                       discount: discount, vat: vat, amount: amount)
    }

    private mutating func drawTableHeader(_ c: Columns) {
        let size = InvoicePDFLayout.tableSize, labels = view.labels
        let baseline = y + 9
        page.fill(PDFRect(x: InvoicePDFLayout.left, y: y, width: InvoicePDFLayout.right - InvoicePDFLayout.left,
                          height: 13), color: PDFColor(white: 0.92))
        page.drawText(labels["position"], x: c.position + 2, y: baseline, font: fonts.bold, size: size)
        page.drawText(labels["description"], x: c.description, y: baseline, font: fonts.bold, size: size)
        page.drawText(labels["quantity"], x: c.quantity, y: baseline, font: fonts.bold, size: size, alignment: .right)
        page.drawText(labels["unitPrice"], x: c.unitPrice, y: baseline, font: fonts.bold, size: size,
                      alignment: .right)
        if let discount = c.discount {
            page.drawText(labels["discount"], x: discount, y: baseline, font: fonts.bold, size: size,
                          alignment: .right)
        }
        if let vat = c.vat {
            page.drawText(labels["vat"], x: vat, y: baseline, font: fonts.bold, size: size, alignment: .right)
        }
        page.drawText(labels["amount"] + " " + view.currency, x: c.amount, y: baseline, font: fonts.bold,
                      size: size, alignment: .right)
        y += 17
    }

    /// A continuation page: its running header names the invoice and the seller's VAT number.
    private mutating func newPage() {
        pages.append(page)
        page = PDFPage(size: .a4)
        y = 20 * InvoicePDFLayout.millimetre
        page.drawText(view.heading, x: InvoicePDFLayout.left, y: y, font: fonts.bold, size: 9,
                      color: InvoicePDFLayout.gray)
        let seller = [view.seller.company, sellerVATLine].filter { !$0.isEmpty }.joined(separator: " · ")
        page.drawText(seller, x: InvoicePDFLayout.right, y: y, font: fonts.regular, size: 8,
                      color: InvoicePDFLayout.gray, alignment: .right)
        y += 12
    }

    /// "MwSt.-Nr. CHE-109.322.551 MWST", empty without a VAT number.
    private var sellerVATLine: String {
        view.seller.vatID.isEmpty ? "" : "\(view.labels["vatID"]) \(view.seller.vatID)"
    }

    /// The recipient's lines as they fit the envelope window: wrapped while they fit; otherwise
    /// one line each, cut with "…" to the width, and the first lines dropped (keeping the
    /// name, the street, the town and the country: the lines the post needs).
    func recipientWindowLines(width: Double) -> [String] {
        let font = fonts.regular, size = InvoicePDFLayout.recipientSize
        let room = InvoicePDFLayout.windowBottom - (InvoicePDFLayout.windowTop + 24) - font.descender * size
        let limit = max(4, Int(room / InvoicePDFLayout.recipientLeading) + 1)
        let lines = view.recipientLines.filter { !$0.isEmpty }
        let wrapped = lines.flatMap { font.lines(wrapping: $0, size: size, width: width) }
        if wrapped.count <= limit { return wrapped }
        var fitted = lines.map { InvoicePDFLayout.fit($0, font: font, size: size, width: width) }
        if fitted.count > limit { fitted = Array(fitted.prefix(1)) + fitted.suffix(limit - 1) }
        return fitted
    }

    /// `text` on one line no wider than `width`, cut with "…" if needed.
    static func fit(_ text: String, font: PDFFont, size: Double, width: Double) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        if font.width(of: flat, size: size) <= width { return flat }
        var cut = Substring(flat)
        while !cut.isEmpty, font.width(of: cut + "…", size: size) > width { cut = cut.dropLast() }
        return cut.trimmingCharacters(in: .whitespaces) + "…"
    }

    private mutating func drawTable() {
        // Measured once per document: the widths depend on every line's cells.
        let c = columns, size = InvoicePDFLayout.tableSize, leading = InvoicePDFLayout.leading
        drawTableHeader(c)
        for line in view.lines {
            let titleLines = fonts.bold.lines(wrapping: line.title, size: size, width: c.descriptionWidth)
            let descriptionLines = fonts.regular.lines(wrapping: line.description, size: 8, width: c.descriptionWidth)
            let height = Double(titleLines.count) * leading + Double(descriptionLines.count) * 10 + 5
            if y + height > InvoicePDFLayout.contentBottom {
                newPage()
                drawTableHeader(c)
            }
            let baseline = y + size * fonts.regular.ascender
            page.drawText(line.position, x: c.position + 2, y: baseline, font: fonts.regular, size: size)
            page.drawText(line.quantity, x: c.quantity, y: baseline, font: fonts.regular, size: size, alignment: .right)
            page.drawText(line.unitPrice, x: c.unitPrice, y: baseline, font: fonts.regular, size: size, alignment: .right)
            if let discount = c.discount, !line.discount.isEmpty {
                page.drawText(line.discount, x: discount, y: baseline, font: fonts.regular, size: size, alignment: .right)
            }
            if let vat = c.vat { page.drawText(line.vatRate, x: vat, y: baseline, font: fonts.regular, size: size, alignment: .right) }
            page.drawText(line.amount, x: c.amount, y: baseline, font: fonts.regular, size: size, alignment: .right)
            var textY = baseline
            for title in titleLines {
                page.drawText(title, x: c.description, y: textY, font: fonts.bold, size: size)
                textY += leading
            }
            textY -= leading - 10
            for description in descriptionLines {
                if !description.isEmpty {
                    page.drawText(description, x: c.description, y: textY, font: fonts.regular, size: 8,
                                  color: InvoicePDFLayout.gray)
                }
                textY += 10
            }
            y += height
            page.drawLine(fromX: InvoicePDFLayout.left, y: y - 2, toX: InvoicePDFLayout.right, y: y - 2, width: 0.3,
                          color: InvoicePDFLayout.rule)
        }
        y += 6
    }

    // MARK: Totals and text

    private mutating func drawTotals() {
        var rows: [(label: String, amount: String, bold: Bool)] = [(view.netLabel, view.net, false)]
        for vat in view.vatRows { rows.append((vat.label, vat.amount, false)) }
        if !view.vatRows.isEmpty { rows.append((view.labels["gross"], view.gross, false)) }
        if !view.rounding.isEmpty { rows.append((view.labels["rounding"], view.rounding, false)) }
        rows.append((view.labels["total"], view.total, true))
        for payment in view.payments { rows.append((payment.label, payment.amount, false)) }
        if !view.payments.isEmpty { rows.append((view.labels["open"], view.open, true)) }
        let height = Double(rows.count) * 14 + 10
        if y + height > InvoicePDFLayout.contentBottom { newPage() }
        let labelX = InvoicePDFLayout.right - 250
        for row in rows {
            if row.bold {
                page.drawLine(fromX: labelX, y: y - 1, toX: InvoicePDFLayout.right, y: y - 1, width: 0.6)
            }
            let baseline = y + 10
            let font = row.bold ? fonts.bold : fonts.regular
            page.drawText(row.label, x: labelX, y: baseline, font: font, size: 9.5)
            page.drawText(row.amount, x: InvoicePDFLayout.right, y: baseline, font: font, size: 9.5, alignment: .right)
            y += 14
        }
        y += 12
    }

    private mutating func drawClosingText() {
        var paragraphs: [(String, PDFFont)] = []
        if !view.exemptNote.isEmpty { paragraphs.append((view.exemptNote, fonts.italic)) }
        if view.isGross { paragraphs.append((view.labels["pricesIncludeVAT"], fonts.regular)) }
        if !view.paymentTerms.isEmpty { paragraphs.append((view.paymentTerms, fonts.bold)) }
        if !view.bankLine.isEmpty { paragraphs.append((view.bankLine, fonts.regular)) }
        if !view.notes.isEmpty { paragraphs.append((view.notes, fonts.regular)) }
        paragraphs.append((view.labels["thankYou"], fonts.regular))
        let width = InvoicePDFLayout.right - InvoicePDFLayout.left
        for (text, font) in paragraphs {
            let height = font.height(wrapping: text, size: 9.5, width: width)
            if y + height > InvoicePDFLayout.contentBottom { newPage() }
            y += page.drawParagraph(text, x: InvoicePDFLayout.left, top: y, width: width, font: font, size: 9.5).height
            y += 6
        }
    }

    // MARK: Footer

    private func drawFooter(on page: inout PDFPage, number: Int, of count: Int) {
        let m = InvoicePDFLayout.millimetre, left = InvoicePDFLayout.left, right = InvoicePDFLayout.right
        let top = PDFPageSize.a4.height - 25 * m
        page.drawLine(fromX: left, y: top, toX: right, y: top, width: 0.3, color: InvoicePDFLayout.rule)
        let columns = view.seller.footerColumns
        let width = (right - left) / Double(max(columns.count, 1))
        for (index, column) in columns.enumerated() {
            var lineY = top + 10
            for line in column.prefix(4) {
                let fitted = fonts.regular.lines(wrapping: line, size: 7, width: width - 6).first ?? ""
                page.drawText(fitted, x: left + Double(index) * width, y: lineY, font: fonts.regular, size: 7,
                              color: InvoicePDFLayout.gray)
                lineY += 9
            }
        }
        drawPageNumber(on: &page, number: number, of: count, y: PDFPageSize.a4.height - 8 * m)
    }

    private func drawPageNumber(on page: inout PDFPage, number: Int, of count: Int, y: Double) {
        let label = view.labels.text("page", ["page": String(number), "pages": String(count)])
        page.drawText(label, x: InvoicePDFLayout.right, y: y, font: fonts.regular, size: 7.5,
                      color: InvoicePDFLayout.gray, alignment: .right)
    }
}
