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
    }

    public func labels(_ language: Language) -> DocumentLabels {
        labelSets[language] ?? DocumentLabels(language: language, values: [:])
    }

    public func view(_ document: InvoiceDocument) -> InvoiceView {
        InvoiceView(document, labels: labels(document.invoice.language))
    }

    public func html(_ document: InvoiceDocument) throws -> String {
        try library.render("invoice.html", view(document).templateValue)
    }

    public func text(_ document: InvoiceDocument) throws -> String {
        try library.render("invoice.txt", view(document).templateValue)
    }

    public func pdf(_ document: InvoiceDocument) throws -> RenderedDocument {
        try pdf(document, view: view(document))
    }

    /// Several formats of one document from one view: formatted once, its QR code encoded once.
    public func render(_ formats: [DocumentFormat], _ document: InvoiceDocument) throws -> [RenderedDocument] {
        let view = view(document)
        var template: TemplateValue?
        return try formats.map { format in
            switch format {
            case .html, .txt:
                let value = template ?? view.templateValue
                template = value
                let text = try library.render(format == .html ? "invoice.html" : "invoice.txt", value)
                return RenderedDocument(format: format, data: Data(text.utf8))
            case .pdf:
                return try pdf(document, view: view)
            }
        }
    }

    private func pdf(_ document: InvoiceDocument, view: InvoiceView) throws -> RenderedDocument {
        let logo = try logos.image(at: document.seller.logoPath)
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
        switch format {
        case .html: RenderedDocument(format: .html, data: Data(try html(document).utf8))
        case .txt: RenderedDocument(format: .txt, data: Data(try text(document).utf8))
        case .pdf: try pdf(document)
        }
    }
}
