import Billing
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads a camt.053 or camt.054 file as a stream (Foundation's SAX-style `XMLParser` over an
/// `InputStream`): memory stays flat whatever the file's size, each transaction is handed to `visit`
/// as soon as its `TxDtls` ends. Bank files come from outside: a DOCTYPE (the only way to declare
/// entities, external or expanding) is refused before parsing, external entities are never resolved,
/// text nodes and nesting are bounded. Elements are read by local name within the message's namespace.
public struct CamtReader: Sendable {
    /// What the reader hands over, in file order.
    public enum Item: Sendable {
        /// The file's message, once, before anything else.
        case message(CamtMessage)
        /// One `TxDtls` of an entry (the entry's fields but `additionalInfo` are known).
        case transaction(BankTransaction, BankEntry)
        /// The end of an entry, with how many transactions it had (0: an entry without details).
        case entryEnd(BankEntry, transactions: Int)
    }

    /// The longest text of one element (the longest the schemas allow is a few hundred characters).
    public static let maxTextLength = 65_536
    public static let maxDepth = 64
    /// How far the prolog (before the root element) may reach.
    static let maxPrologLength = 65_536

    public let path: String

    public init(path: String) { self.path = path }

    /// Reads the whole file; an error thrown by `visit` stops reading and is rethrown.
    public func read(_ visit: (Item) throws -> Void) throws {
        try checkProlog()
        guard let stream = InputStream(fileAtPath: path) else { throw BankFileError("\(path): cannot be read") }
        let parser = XMLParser(stream: stream)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        try withoutActuallyEscaping(visit) { visit in
            let delegate = CamtParserDelegate(visit: visit)
            parser.delegate = delegate
            let ok = parser.parse()
            parser.delegate = nil
            try finish(parser, delegate, ok)
        }
    }

    private func finish(_ parser: XMLParser, _ delegate: CamtParserDelegate, _ ok: Bool) throws {
        if let failure = delegate.failure { throw BankFileError("\(path): \(failure.message)") }
        if let error = delegate.thrown { throw error }
        guard ok else {
            let code = (parser.parserError as NSError?)?.code ?? 0
            throw BankFileError("\(path): malformed XML at line \(parser.lineNumber), column \(parser.columnNumber) (XML parser error \(code)); nothing was imported")
        }
        guard delegate.message != nil else { throw BankFileError("\(path): has no Document element; nothing was imported") }
        guard delegate.closed else {
            throw BankFileError("\(path): ends at line \(parser.lineNumber) before </Document> (cut short?); nothing was imported")
        }
    }

    /// Refuses a DOCTYPE (entity declarations, XXE, entity expansion) in the bytes before the root element.
    func checkProlog() throws(BankFileError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BankFileError("\(path): cannot be read") }
        defer { try? handle.close() }
        let head: [UInt8]
        do { head = Array(try handle.read(upToCount: CamtReader.maxPrologLength) ?? Data()) } catch {
            throw BankFileError("\(path): cannot be read (\(error))")
        }
        var index = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func starts(_ text: String) -> Bool { head[index...].starts(with: Array(text.utf8)) }
        func skip(past end: String) -> Bool {
            let marker = Array(end.utf8)
            while index + marker.count <= head.count {
                if head[index..<(index + marker.count)].elementsEqual(marker) { index += marker.count; return true }
                index += 1
            }
            return false
        }
        while index < head.count {
            let byte = head[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1; continue }
            if starts("<?") { guard skip(past: "?>") else { break }; continue }
            if starts("<!--") { guard skip(past: "-->") else { break }; continue }
            if starts("<!") {
                throw BankFileError("\(path): declares a DOCTYPE (entities, possibly external: XXE); bank files have none, nothing was imported")
            }
            return  // the root element (or text the parser reports as malformed)
        }
        if head.count == CamtReader.maxPrologLength {
            throw BankFileError("\(path): has no root element in its first \(CamtReader.maxPrologLength) bytes; nothing was imported")
        }
    }
}

/// The SAX handler: a stack of local names, the text of the current element, the entry and
/// transaction being read.
final class CamtParserDelegate: NSObject, XMLParserDelegate {
    let visit: (CamtReader.Item) throws -> Void
    var message: CamtMessage?
    var failure: BankFileError?
    var thrown: (any Error)?
    /// The root element ended (a stream that stops early may not be reported as malformed).
    var closed = false

    private var stack: [String] = []
    /// The `Ccy` attribute of each open element ("" when none).
    private var currencies: [String] = []
    private var text = ""
    private var account = ""
    private var entryIndex = 0
    private var entry: BankEntry?
    private var transaction: BankTransaction?
    private var transactionCount = 0
    private var charge: (amount: Money?, included: Bool, direction: BankEntry.Direction)?
    /// Where in `stack` the current `Ntry` and `TxDtls` are.
    private var entryDepth = -1
    private var transactionDepth = -1

    init(visit: @escaping (CamtReader.Item) throws -> Void) { self.visit = visit }

    private func fail(_ parser: XMLParser, _ why: String) {
        guard failure == nil, thrown == nil else { return }
        failure = BankFileError("line \(parser.lineNumber): \(why); nothing was imported")
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        guard failure == nil, thrown == nil else { return }
        let name = elementName
        if stack.isEmpty {
            guard name == "Document" else { return fail(parser, "the root element is <\(name)>, not <Document> of a camt.053 or camt.054 message") }
            do { message = try CamtMessage.from(namespace: namespaceURI ?? "") } catch { return fail(parser, error.message) }
            if let message { emit(parser, .message(message)) }
        } else if let message, namespaceURI != message.namespace {
            return fail(parser, "<\(name)> is in namespace '\(namespaceURI ?? "")', not \(message.namespace)")
        }
        if stack.count == 1, let message, name != message.kind.rootElement {
            return fail(parser, "<\(name)> under <Document>: a \(message) file holds <\(message.kind.rootElement)>")
        }
        guard stack.count < CamtReader.maxDepth else { return fail(parser, "elements nest deeper than \(CamtReader.maxDepth) levels") }
        stack.append(name)
        currencies.append(attributes["Ccy"] ?? "")
        text = ""
        switch name {
        case "Ntry" where stack.count == 4 && entryDepth < 0:
            entryIndex += 1
            var fresh = BankEntry()
            fresh.account = account
            fresh.index = entryIndex
            entry = fresh
            entryDepth = stack.count - 1
            transactionCount = 0
        case "TxDtls" where entryDepth >= 0 && transactionDepth < 0:
            transactionCount += 1
            var fresh = BankTransaction()
            fresh.position = transactionCount
            transaction = fresh
            transactionDepth = stack.count - 1
        case "Rcrd" where relative().first == "Chrgs" || relative(to: transactionDepth).first == "Chrgs":
            charge = (nil, false, .debit)
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil, thrown == nil else { return }
        guard text.utf8.count + string.utf8.count <= CamtReader.maxTextLength else {
            return fail(parser, "an element's text is longer than \(CamtReader.maxTextLength) bytes")
        }
        text += string
    }

    /// The open elements below the one at `depth` (the entry's by default).
    private func relative(to depth: Int? = nil) -> ArraySlice<String> {
        let base = depth ?? entryDepth
        guard base >= 0, base < stack.count else { return [] }
        return stack[(base + 1)...]
    }

    private func money(_ parser: XMLParser, _ value: String) -> Money? {
        let code = currencies.last ?? ""
        do {
            let currency = try Currency(code: code)
            let amount = try Money(parsing: value, currency: currency, field: "<\(stack.last ?? "Amt")>")
            guard amount.minorUnits >= 0 else { throw BankFileError("an amount is negative") }
            return amount
        } catch {
            fail(parser, "<\(stack.joined(separator: "/"))> '\(value)' \(code.isEmpty ? "has no Ccy" : code) is not an amount (\(error))")
            return nil
        }
    }

    private static func direction(_ value: String) -> BankEntry.Direction? { BankEntry.Direction(rawValue: value) }

    /// The text without the white space XML allows around it (space, tab, CR, LF), looked at as UTF-8
    /// bytes: Foundation's `trimmingCharacters` bridged every element's text through NSString and was
    /// the parser's largest cost.
    static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
        guard let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        if first == bytes.startIndex, bytes.index(after: last) == bytes.endIndex { return text }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failure == nil, thrown == nil else { return }
        let value = CamtParserDelegate.trimmed(text)
        defer {
            stack.removeLast()
            currencies.removeLast()
            text = ""
            if stack.isEmpty { closed = true }
        }
        // The account of the statement or notification: Document/BkToCstmr…/Stmt|Ntfctn/Acct/Id/(IBAN|Othr/Id).
        if entryDepth < 0 {
            if stack.count >= 6, stack[3] == "Acct", stack[4] == "Id",
               stack.count == 6 ? elementName == "IBAN" : (stack.count == 7 && stack[5] == "Othr" && elementName == "Id") {
                account = value
            }
            return
        }
        if transactionDepth >= 0 {
            endTransactionElement(parser, elementName, value)
            return
        }
        endEntryElement(parser, elementName, value)
    }

    private func endEntryElement(_ parser: XMLParser, _ name: String, _ value: String) {
        let path = Array(relative())
        guard var current = entry else { return }
        switch path {
        case []:  // </Ntry>
            entry = nil
            entryDepth = -1
            guard current.amount != nil, current.direction != nil else {
                return fail(parser, "entry \(current.index) has no Amt or CdtDbtInd")
            }
            emit(parser, .entryEnd(current, transactions: transactionCount))
            return
        case ["Amt"]: current.amount = money(parser, value)
        case ["CdtDbtInd"]:
            guard let direction = CamtParserDelegate.direction(value) else { return fail(parser, "CdtDbtInd '\(value)' is neither CRDT nor DBIT") }
            current.direction = direction
        case ["RvslInd"]: current.isReversal = value == "true" || value == "1"
        case ["Sts"] where current.status.isEmpty, ["Sts", "Cd"], ["Sts", "Prtry"]: current.status = value
        case ["BookgDt", "Dt"], ["BookgDt", "DtTm"]:
            do { current.bookingDate = try Day(parsing: String(value.prefix(10))) } catch {
                return fail(parser, "entry \(current.index): booking date '\(value)' is not a date")
            }
        case ["AcctSvcrRef"]: current.accountServicerReference = value
        case ["NtryRef"]: current.entryReference = value
        case ["BkTxCd", "Domn", "Cd"]: current.transactionCode = value
        case ["BkTxCd", "Domn", "Fmly", "Cd"], ["BkTxCd", "Domn", "Fmly", "SubFmlyCd"]: current.transactionCode += "/" + value
        case ["AddtlNtryInf"]: current.additionalInfo = value
        default:
            if path.first == "Chrgs", let record = endCharge(parser, Array(path.dropFirst()), value) { current.charges.append(record) }
        }
        entry = current
    }

    /// A charge's fields (`Rcrd/Amt`, `Rcrd/ChrgInclInd`, `Rcrd/CdtDbtInd`; `TtlChrgsAndTaxAmt` alone);
    /// returns the record when it ends.
    private func endCharge(_ parser: XMLParser, _ path: [String], _ value: String) -> BankCharge? {
        switch path {
        case ["Rcrd"]:
            defer { charge = nil }
            guard let record = charge, let amount = record.amount else { return nil }
            return BankCharge(amount: amount, included: record.included, direction: record.direction)
        case ["Rcrd", "Amt"]: charge?.amount = money(parser, value)
        case ["Rcrd", "ChrgInclInd"]: charge?.included = value == "true" || value == "1"
        case ["Rcrd", "CdtDbtInd"]: charge?.direction = CamtParserDelegate.direction(value) ?? .debit
        default: break
        }
        return nil
    }

    private func endTransactionElement(_ parser: XMLParser, _ name: String, _ value: String) {
        let path = Array(relative(to: transactionDepth))
        guard var current = transaction else { return }
        switch path {
        case []:  // </TxDtls>
            transaction = nil
            transactionDepth = -1
            if let entry { emit(parser, .transaction(current, entry)) }
            return
        case ["Refs", "AcctSvcrRef"]: current.accountServicerReference = value
        case ["Refs", "EndToEndId"]: current.endToEndID = value
        case ["Refs", "TxId"]: current.transactionID = value
        case ["Refs", "InstrId"]: current.instructionID = value
        case ["Amt"]: current.amount = money(parser, value)
        case ["AmtDtls", "TxAmt", "Amt"] where current.amount == nil: current.amount = money(parser, value)
        case ["CdtDbtInd"]: current.direction = CamtParserDelegate.direction(value)
        case ["RmtInf", "Ustrd"], ["RmtInf", "Strd", "AddtlRmtInf"]: current.unstructured.append(value)
        case ["RmtInf", "Strd", "CdtrRefInf", "Tp", "CdOrPrtry", "Cd"],
             ["RmtInf", "Strd", "CdtrRefInf", "Tp", "CdOrPrtry", "Prtry"]: current.referenceType = value
        case ["RmtInf", "Strd", "CdtrRefInf", "Ref"]: current.reference = value
        case ["RltdPties", "Dbtr", "Nm"], ["RltdPties", "Dbtr", "Pty", "Nm"]: current.debtorName = value
        case ["RtrInf", "Rsn", "Cd"]: current.returnReason = value
        default:
            if path.first == "Chrgs", let record = endCharge(parser, Array(path.dropFirst()), value) { current.charges.append(record) }
        }
        transaction = current
    }

    private func emit(_ parser: XMLParser, _ item: CamtReader.Item) {
        do { try visit(item) } catch {
            thrown = error
            parser.abortParsing()
        }
    }

    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail(parser, "declares the entity '\(name)'; bank files have none")
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(parser, "declares the external entity '\(name)' (XXE); bank files have none")
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {}
}

@available(*, unavailable)
extension CamtParserDelegate: Sendable {}
