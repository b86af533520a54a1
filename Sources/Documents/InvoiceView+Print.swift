import Foundation
import Mustache
import PDF

/// What the HTML needs to print faithfully from a browser (see `Templates/partials/styles.html`).
extension InvoiceView {
    /// Whether the invoice with its Swiss QR-bill fits on one A4 page: the content between the
    /// letterhead (which ends below the envelope window, 97 mm from the top) and the payment part
    /// (192 mm from the top) is estimated from the stylesheet's fixed sizes, generously: a line of
    /// body text holds 80 characters (about 100 fit), a table title 34, a description 42. When in
    /// doubt the payment part goes on a page of its own, which the guidelines allow as well.
    public var fitsAbovePaymentPart: Bool {
        estimatedBodyHeight <= 95 - 8
    }

    /// Millimetres from the heading to the thanks, as `styles.html` sizes them (no footer: with the
    /// payment part on the same page the footer's details are in the letterhead and on the slip).
    var estimatedBodyHeight: Double {
        func lineCount(_ text: String, _ perLine: Int) -> Double {
            guard !text.isEmpty else { return 0 }
            func rows(_ count: Int) -> Double { Double(max(1, (count + perLine - 1) / perLine)) }
            // Where every scalar is a character (no CR: CR LF is one), lines are counted in scalars,
            // without breaking the text into grapheme clusters.
            if !text.utf8.contains(0x0D), PDFFont.isOneScalarPerCharacter(text) {
                var total = 0.0, count = 0
                for scalar in text.unicodeScalars {
                    if scalar == "\n" {
                        total += rows(count)
                        count = 0
                    } else {
                        count += 1
                    }
                }
                return total + rows(count)
            }
            return InvoiceView.lines(of: text).map { rows($0.count) }.reduce(0, +)
        }
        let body = 4.2, small = 3.7, paragraph = 1.5
        var height = 6.5 + 1.5  // h1
        if !subject.isEmpty { height += 4.8 + 1.5 }
        if !billingInfo.isEmpty { height += lineCount(billingInfo, 80) * small + 2 }
        height += 3 + 5.5 + 3  // table margins and header row
        for line in lines {
            height += lineCount(line.title, 34) * body + lineCount(line.description, 42) * small + 1.8
        }
        let totalsRows = 2 + vatRows.count + (vatRows.isEmpty ? 0 : 1) + (rounding.isEmpty ? 0 : 1)
            + payments.count + (payments.isEmpty ? 0 : 1)
        height += Double(totalsRows) * 5.2
        for text in [exemptNote, isGross ? labels["pricesIncludeVAT"] : "", paymentTerms, bankLine, notes,
                     labels["thankYou"]] where !text.isEmpty {
            height += lineCount(text, 80) * body + paragraph
        }
        return height
    }

    /// `"Seite " counter(page) " von " counter(pages)` from the `page` label, for an `@page` margin box.
    var pageNumberCSS: String {
        var parts: [String] = []
        var rest = Substring(labels["page"])
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = rest[rest.index(after: open)..<close]
            if !rest[..<open].isEmpty { parts.append(InvoiceView.cssString(String(rest[..<open]))) }
            if name == "page" || name == "pages" { parts.append("counter(\(name))") }
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(InvoiceView.cssString(String(rest))) }
        return parts.joined(separator: " ")
    }

    /// The running header on every page: seller, VAT number, invoice number (a CSS string).
    var runningHeaderCSS: String {
        let vat = seller.vatID.isEmpty ? "" : "\(labels["vatID"]) \(seller.vatID)"
        return InvoiceView.cssString([seller.company, vat, heading].filter { !$0.isEmpty }.joined(separator: " · "))
    }

    /// A quoted CSS string whose characters are letters, digits, spaces and hex escapes only, so
    /// that neither CSS nor HTML can be broken out of (`"O\000027 Brien"`).
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || ".,-:/()+@ ".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 6) + " "
            }
        }
        return out + "\""
    }

    /// The `print` object of the template data: margin-box strings and whether the payment part
    /// shares the last page. `fonts` are file URLs of the shipped Liberation Sans, when found.
    func printValue(fonts: [String: String]) -> TemplateValue {
        var fontValues: [String: TemplateValue] = [:]
        for (style, url) in fonts { fontValues[style] = .string(url) }
        let fits = qrBill != nil && fitsAbovePaymentPart
        return .object([
            "pageNumber": .string(pageNumberCSS),
            "runningHeader": .string(runningHeaderCSS),
            "paymentPartOnLastPage": .bool(fits),
            "paymentPartOnOwnPage": .bool(qrBill != nil && !fits),
            "fonts": .object(fontValues),
        ])
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
