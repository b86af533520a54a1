import Billing
import Documents
import Testing

/// Names and addresses on the QR-bill have their spaces tidied, whichever path cleans them
/// (text within the IG 2.3 set is tidied byte by byte since issue 11's print speed work).
@Suite struct QRBillSpacingTests {
    // Mutation (mutants.tsv qr-spaces-kept): the bytewise collapse keeps every space (its run check dropped) → "Müller   &"
    // reaches the code → fails.
    @Test("Runs of spaces collapse and the ends are trimmed, in the code as on the slip", arguments: [
        ("  Müller   &  Söhne AG  ", "Müller & Söhne AG"),
        ("\u{A0}Müller\u{A0}AG\u{A0}", "Müller\u{A0}AG"),
        ("Müller\tAG \n Zürich", "Müller AG Zürich"),
        ("Łódź  Dvořák ", "Łódź Dvořák"),
        ("Café 😀  Soleil", "Café Soleil"),
    ])
    func spaces(name: String, expected: String) throws {
        var document = try Fixtures.swissGross()
        document.customer.company = name
        let bill = try #require(Fixtures.renderer.qrBill(document))
        #expect(bill.debtor?.name == expected)
        #expect(bill.payload.contains("\n\(expected)\n"))
    }
}
