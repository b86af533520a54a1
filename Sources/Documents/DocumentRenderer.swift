import Billing
import Foundation
import Mustache

/// Renders invoices (HTML, text, PDF) and their mails from the templates and label files.
///
/// Build one per run and share it: templates are parsed once and cached, label files are read
/// at construction, and rendering is safe from several threads at once.
public struct DocumentRenderer: Sendable {
    public let library: TemplateLibrary
    public let directories: [URL]
    private let labelSets: [Language: DocumentLabels]
    private let logos = LogoCache()
    private let fonts: FontCache
    /// File URLs of the Liberation Sans styles (`regular`, `bold`, `italic`) the HTML's `@font-face`
    /// names, from the first template directory holding `fonts/LiberationSans-*.ttf` (else the shipped one's).
    public let fontURLs: [String: String]

    /// Uses `overrideDirectory` (the operator's, searched first) and the shipped templates found by
    /// `TemplateLocator` unless `shippedDirectory` is given.
    public init(overrideDirectory: URL? = nil, shippedDirectory: URL? = nil) throws {
        guard let shipped = shippedDirectory ?? TemplateLocator.shippedDirectory() else {
            throw DocumentError("cannot find the shipped Templates/ directory (looked beside the executable, "
                + "in the checkout and the current directory); pass --templates DIR or set INVOICE_TEMPLATES")
        }
        if let overrideDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: overrideDirectory.path, isDirectory: &isDirectory),
                  isDirectory.boolValue
            else { throw DocumentError("templates directory \(overrideDirectory.path) does not exist") }
        }
        directories = [overrideDirectory, shipped].compactMap { $0 }
        library = TemplateLibrary(directories: directories)
        fonts = FontCache(directories: directories)
        var sets: [Language: DocumentLabels] = [:]
        for language in Language.allCases {
            sets[language] = try DocumentLabels(language: language, directories: directories)
        }
        labelSets = sets
        var urls: [String: String] = [:]
        for (style, file) in [("regular", "Regular"), ("bold", "Bold"), ("italic", "Italic")] {
            // The shipped copy when no directory has one: a browser then falls back to Arial or Helvetica.
            let candidates = directories.map { $0.appendingPathComponent("fonts/LiberationSans-\(file).ttf") }
            let found = candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates.last
            if let found { urls[style] = found.standardizedFileURL.absoluteString }
        }
        fontURLs = urls
    }

    /// The template data of a view, with the print layout's values (`print`).
    func templateValue(_ view: InvoiceView) -> TemplateValue {
        guard case .object(var object) = view.templateValue else { return view.templateValue }
        object["print"] = view.printValue(fonts: fontURLs)
        return .object(object)
    }

    public func labels(_ language: Language) -> DocumentLabels {
        labelSets[language] ?? DocumentLabels(language: language, values: [:])
    }

    /// The document's view; a logo that cannot be used is left out of it (see `warnings(for:)`).
    public func view(_ document: InvoiceDocument) -> InvoiceView {
        var view = InvoiceView(document, labels: labels(document.invoice.language))
        if logos.entry(for: document.seller).problem != nil {
            view.seller.logoPath = ""
            view.seller.logoURL = ""
        }
        return view
    }

    /// Why the logo at `path` cannot be used (checked and decoded once per renderer), or nil.
    public func logoProblem(at path: String) -> String? {
        logos.entry(at: path).problem
    }

    /// Why `seller`'s logo (frozen with an issued document, or the file) cannot be used, or nil.
    public func logoProblem(for seller: Operator) -> String? {
        logos.entry(for: seller).problem
    }

    /// What the document shows differently from its data: a logo left out, characters the QR-bill
    /// may not carry. One line each; the document is made all the same.
    public func warnings(for document: InvoiceDocument) -> [String] {
        warnings(document, view: view(document))
    }

    private func warnings(_ document: InvoiceDocument, view: InvoiceView) -> [String] {
        var list: [String] = []
        if let problem = logos.entry(for: document.seller).problem { list.append(problem) }
        if let bill = view.qrBill, !bill.substitutions.isEmpty {
            let shown = bill.substitutions.map {
                $0.replacement.isEmpty ? "'\($0.original)' left out" : "'\($0.original)' as '\($0.replacement)'"
            }
            list.append("the QR-bill shows \(shown.joined(separator: ", ")) (IG QR-bill 2.3 character set)")
        }
        return list
    }

    public func html(_ document: InvoiceDocument) throws -> String {
        try library.render("invoice.html", templateValue(view(document)))
    }

    public func text(_ document: InvoiceDocument) throws -> String {
        try library.render("invoice.txt", templateValue(view(document)))
    }

    public func pdf(_ document: InvoiceDocument) throws -> RenderedDocument {
        try pdf(document, view: view(document))
    }

    /// Several formats of one document from one view: formatted once, its QR code encoded once.
    /// Each rendered document carries the document's `warnings`.
    public func render(_ formats: [DocumentFormat], _ document: InvoiceDocument) throws -> [RenderedDocument] {
        let view = view(document)
        let warnings = warnings(document, view: view)
        var template: TemplateValue?
        return try formats.map { format in
            var rendered: RenderedDocument
            switch format {
            case .html, .txt:
                let value = template ?? templateValue(view)
                template = value
                let bytes = try library.renderUTF8(format == .html ? "invoice.html" : "invoice.txt", value)
                rendered = RenderedDocument(format: format, data: Data(bytes))
            case .pdf:
                rendered = try pdf(document, view: view)
            }
            rendered.warnings = warnings
            return rendered
        }
    }

    private func pdf(_ document: InvoiceDocument, view: InvoiceView) throws -> RenderedDocument {
        let logo = logos.entry(for: document.seller).image
        let fonts = try self.fonts.fonts()
        let paymentPart = view.qrBill.flatMap { QRBillPDFPart(bill: $0, language: document.invoice.language, fonts: fonts) }
        let pdf = InvoicePDFLayout(view: view, fonts: fonts, logo: logo, paymentPart: paymentPart).document(
            title: document.invoice.number ?? labels(document.invoice.language)["draft"],
            author: document.seller.company, creationDate: document.creationDate)
        return RenderedDocument(format: .pdf, data: pdf.data(), substitutions: pdf.substitutions.map {
            CharacterSubstitution(original: $0.original, replacement: $0.replacement)
        })
    }

    /// The invoice's Swiss QR-bill, if it gets one (see `QRBill`); the message names the invoice.
    public func qrBill(_ document: InvoiceDocument) -> QRBill? {
        view(document).qrBill
    }

    public func render(_ format: DocumentFormat, _ document: InvoiceDocument) throws -> RenderedDocument {
        try render([format], document)[0]
    }
}
