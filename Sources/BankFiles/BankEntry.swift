import Billing

/// One entry of a bank file (`Ntry`), without its transactions (`NtryDtls/TxDtls`), which the reader
/// hands over one at a time so that memory stays flat however large a batch entry
/// ("Sammelgutschrift") is. Everything but `additionalInfo` precedes the transactions in the file.
public struct BankEntry: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable {
        case credit = "CRDT"
        case debit = "DBIT"
    }

    /// The account (`Acct/Id/IBAN`, else `Acct/Id/Othr/Id`) of the statement or notification.
    public var account: String = ""
    /// Its position in the file (1-based), to name it in messages.
    public var index: Int = 0
    public var amount: Money?
    public var direction: Direction?
    /// `RvslInd` true: the entry reverses an earlier one (its direction is the reversing one).
    public var isReversal = false
    /// `BOOK`, `PDNG`, `INFO` (`Sts` in .04, `Sts/Cd` from .05 on).
    public var status: String = ""
    public var bookingDate: Day?
    /// The bank's unique reference for the entry.
    public var accountServicerReference: String?
    public var entryReference: String?
    /// `BkTxCd/Domn`: domain, family and sub-family codes (`PMNT/RCDT/VCOM`).
    public var transactionCode: String = ""
    /// Charges the bank booked on the entry (`Chrgs`).
    public var charges: [BankCharge] = []
    public var additionalInfo: String = ""

    public init() {}
}

/// One transaction of an entry (`TxDtls`).
public struct BankTransaction: Sendable, Hashable {
    /// Its position in the entry (1-based).
    public var position: Int = 0
    public var amount: Money?
    public var direction: BankEntry.Direction?
    public var accountServicerReference: String?
    public var endToEndID: String?
    public var transactionID: String?
    public var instructionID: String?
    /// `RmtInf/Strd/CdtrRefInf`: the type (`QRR`, `SCOR`, `ISR Reference`…) and the reference.
    public var referenceType: String = ""
    public var reference: String = ""
    /// `RmtInf/Ustrd` lines and `Strd/AddtlRmtInf`, in order.
    public var unstructured: [String] = []
    public var debtorName: String = ""
    public var charges: [BankCharge] = []
    /// `RtrInf/Rsn/Cd` of a returned payment (`AC04`…).
    public var returnReason: String = ""

    public init() {}

    /// The payer's own references that a reversal repeats (`NOTPROVIDED` is none).
    public var payerReferences: [String] {
        [endToEndID, transactionID, instructionID].compactMap { $0 }.filter { !$0.isEmpty && $0 != "NOTPROVIDED" }
    }
}

/// A charge record (`Chrgs/Rcrd`, or `TtlChrgsAndTaxAmt` when there are no records).
public struct BankCharge: Sendable, Hashable {
    public var amount: Money
    /// `ChrgInclInd`: the charge was taken out of the entry's or transaction's amount.
    public var included: Bool
    public var direction: BankEntry.Direction

    public init(amount: Money, included: Bool, direction: BankEntry.Direction) {
        self.amount = amount
        self.included = included
        self.direction = direction
    }
}
