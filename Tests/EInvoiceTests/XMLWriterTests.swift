import Billing
import Documents
import EInvoice
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite struct XMLWriterTests {
    // Mutation (mutants.tsv xml-escape-amp): dropping the "&" case in XMLWriter.escape → the bytes differ and libxml2 refuses the document.
    @Test func escapesMarkupInTextAndAttributes() throws {
        var w = XMLWriter()
        w.element("a", ["note": "1 < 2 & \"x\" 'y'\nz"]) { w in
            w.element("b", "Tom's <Diner> & \"Co\" ]]> €")
            w.optional("c", "")
            w.element("d") { _ in }
        }
        let text = String(decoding: w.finished(), as: UTF8.self)
        #expect(text == """
            <?xml version="1.0" encoding="UTF-8"?>
            <a note="1 &lt; 2 &amp; &quot;x&quot; &apos;y&apos;&#10;z"><b>Tom's &lt;Diner&gt; &amp; "Co" ]]&gt; €</b><d/></a>

            """)
        let root = try #require(try XMLDocument(data: Data(w.finished())).rootElement())
        #expect(root.attribute(forName: "note")?.stringValue == "1 < 2 & \"x\" 'y'\nz")
        #expect(root.elements(forName: "b").first?.stringValue == "Tom's <Diner> & \"Co\" ]]> €")
    }

    @Test func dropsCharactersXMLCannotCarry() throws {
        var w = XMLWriter()
        w.element("a", "x\u{1}y\u{FFFE}z😀")
        let root = try #require(try XMLDocument(data: Data(w.finished())).rootElement())
        #expect(root.stringValue == "xyz😀")
    }
}

@Suite struct EInvoiceRefusalTests {
    // Mutation (mutants.tsv einv-draft-guard): removing the draft guard in EInvoice.init → a draft gets an e-invoice without BT-1; this test fails.
    @Test func aDraftHasNoEInvoice() throws {
        var document = try Fixtures.germanNet()
        document.invoice.number = nil
        #expect(throws: EInvoiceError.self) { try EInvoice(document) }
    }

    // Mutation (mutants.tsv fits-two-decimals): fitsTwoDecimals returning true → a KWD amount with fils is written with 3 decimals; this test fails.
    @Test func kwdWithAThirdDecimalIsRefusedAndWithoutOneWritten() throws {
        var document = try Fixtures.american()
        let kwd = try Currency(code: "KWD")
        document.invoice.currency = kwd
        document.invoice.lines[0].unitPrice = Money(minorUnits: 12_345, currency: kwd)
        let error = try #require(throws: EInvoiceError.self) { try EInvoice(document) }
        #expect(error.message.contains("at most 2"))
        document.invoice.lines[0].unitPrice = Money(minorUnits: 12_340, currency: kwd)
        let invoice = try EInvoice(document)
        #expect(EInvoice.amountText(invoice.totals.payable) == "12.34")
        #expect(invoice.lines[0].netPrice == "12.340")
    }

    // Mutation (mutants.tsv einv-vat-category-check): dropping the AE/K check (vatCategoryProblem) → the invoice is written without the buyer's VAT id.
    @Test func reverseChargeNeedsBothVATIDs() throws {
        var document = try Fixtures.frenchExempt()
        document.invoice.vatCategory = .reverseCharge
        document.customer.vatID = ""
        let error = try #require(throws: EInvoiceError.self) { try EInvoice(document) }
        #expect(error.message.contains("customer's VAT id"))
    }
}
