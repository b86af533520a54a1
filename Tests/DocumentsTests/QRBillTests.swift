import Billing
import Documents
import Testing

struct QRBillTests {
    static func qrIBANSeller() throws -> Operator {
        var seller = try Fixtures.seller()
        seller.qrIBAN = "CH4431999123000889012"
        return seller
    }

    @Test func theQRReferenceCheckDigitMatchesTheGuidelinesExample() {
        #expect(QRBillReference.modulo10RecursiveCheckDigit("21000000000313947143000901") == 7)
        #expect(QRBillReference.isValidQRReference("210000000003139471430009017"))
        #expect(!QRBillReference.isValidQRReference("210000000003139471430009018"))
        #expect(QRBillReference.formatted("210000000003139471430009017") == "21 00000 00003 13947 14300 09017")
    }

    @Test func theCreditorReferenceCheckDigitsMatchTheISO11649Example() {
        #expect(QRBillReference.creditorReference(from: "539007547034") == "RF18539007547034")
        #expect(QRBillReference.isValidCreditorReference("RF18 5390 0754 7034"))
        #expect(!QRBillReference.isValidCreditorReference("RF19 5390 0754 7034"))
        #expect(QRBillReference.formatted("RF18539007547034") == "RF18 5390 0754 7034")
        #expect(QRBillReference.creditorReference(from: "CW-2026-00001") == "RF76CW202600001")
    }

    @Test func aSwissInvoiceWithAnOrdinaryIBANGetsAnSCORPayload() throws {
        let bill = try #require(QRBill(try Fixtures.swissGross(), message: "Rechnung CW-2026-00001"))
        #expect(bill.payload == """
            SPC
            0200
            1
            CH9300762011623852957
            S
            Cloudwerk AG
            Technoparkstrasse
            1
            8005
            Zürich
            CH







            66.00
            CHF
            S
            Müller & Söhne AG
            Bahnhofstrasse
            10
            8001
            Zürich
            CH
            SCOR
            RF76CW202600001
            Rechnung CW-2026-00001
            EPD
            """)
        #expect(bill.formattedAccount == "CH93 0076 2011 6238 5295 7")
        #expect(bill.formattedAmount == "66.00")
    }

    @Test func aQRIBANGetsAQRReferenceFromTheInvoiceNumber() throws {
        var document = try Fixtures.swissGross()
        document.seller = try QRBillTests.qrIBANSeller()
        let bill = try #require(QRBill(document, message: "Rechnung CW-2026-00001"))
        #expect(bill.account == "CH4431999123000889012")
        #expect(bill.referenceType == .qrr)
        #expect(bill.reference == "000000000000000002026000014")
        #expect(QRBillReference.isValidQRReference(bill.reference))
        #expect(bill.payload.contains("\nQRR\n000000000000000002026000014\nRechnung CW-2026-00001\nEPD"))
        #expect(!bill.payload.hasSuffix("\n"))
    }

    @Test func theAmountIsWhatIsStillOpen() throws {
        let bill = try #require(QRBill(try Fixtures.germanNet(), message: "Rechnung CW-2026-00002"))
        let document = try Fixtures.germanNet()
        #expect(bill.amount == document.invoice.open)
        #expect(bill.payload.contains("\n\(document.invoice.open.decimalString)\nEUR\n"))
        #expect(bill.formattedAmount.contains(" "))
    }

    @Test func thereIsNoQRBillForOtherCurrenciesForeignIBANsOrNothingOpen() throws {
        #expect(QRBill(try Fixtures.american(), message: "") == nil)
        var foreign = try Fixtures.swissGross()
        foreign.seller.iban = "DE89370400440532013000"
        #expect(QRBill(foreign, message: "") == nil)
        var paid = try Fixtures.swissGross()
        paid.invoice.payments = [Payment(amount: paid.invoice.open, date: try Fixtures.day("2026-10-20"))]
        #expect(QRBill(paid, message: "") == nil)
        var noCountry = try Fixtures.swissGross()
        noCountry.seller.country = nil
        #expect(QRBill(noCountry, message: "") == nil)
    }

    @Test func aLongPayloadStaysWithin997Characters() throws {
        var document = try Fixtures.swissGross()
        document.seller.company = String(repeating: "Ä", count: 200)
        document.customer.company = String(repeating: "B", count: 200)
        let bill = try #require(QRBill(document, message: String(repeating: "x", count: 500)))
        #expect(bill.creditor.name.count == 70)
        #expect(bill.message.count == 140)
        #expect(bill.payload.count <= 997)
    }

    @Test func aTypicalPayloadAvoidsAnAlignmentPatternUnderTheSwissCross() throws {
        let bill = try #require(QRBill(try Fixtures.swissGross(), message: "Rechnung CW-2026-00001"))
        let code = try #require(bill.qrCode)
        #expect(code.version == 14)
        #expect(code.errorCorrection == .medium)
    }
}
