import Foundation

/// A PDF 1.4 document built page by page and written into one byte buffer.
///
/// ```swift
/// var document = PDFDocument(info: PDFDocumentInfo(title: "Invoice 2025-001"))
/// var page = PDFPage(size: .a4)
/// page.drawText("Total", x: 56.69, y: 700, font: .helveticaBold)
/// page.drawText("1’234.50", x: 538.58, y: 700, alignment: .right)
/// document.append(page)
/// let bytes = document.render()
/// ```
public struct PDFDocument: Sendable {
    public var info: PDFDocumentInfo
    public private(set) var pages: [PDFPage] = []

    public init(info: PDFDocumentInfo = PDFDocumentInfo()) {
        self.info = info
    }

    /// Adds `page` after the existing pages.
    public mutating func append(_ page: PDFPage) {
        pages.append(page)
    }

    /// Every substitution made on any page, each once, in page order; warn when not empty.
    public var substitutions: [PDFSubstitution] {
        var all: [PDFSubstitution] = []
        for page in pages {
            for substitution in page.substitutions where !all.contains(substitution) {
                all.append(substitution)
            }
        }
        return all
    }

    /// The file as `Data`.
    public func data() -> Data {
        Data(render())
    }
}
