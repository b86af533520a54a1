/// An ISO 4217 currency and the number of decimals its minor unit has.
public struct Currency: Sendable, Hashable, Codable, CustomStringConvertible {
    public let code: String
    public let exponent: Int

    public init(code: String) throws {
        let upper = code.uppercased()
        guard let exponent = Currency.exponents[upper] else {
            throw BillingError("unknown currency '\(code)': use an ISO 4217 code such as CHF, EUR or USD")
        }
        self.code = upper
        self.exponent = exponent
    }

    public var description: String { code }

    /// 10^exponent: minor units per major unit.
    public var minorPerMajor: Int64 {
        var value: Int64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    public init(from decoder: any Decoder) throws {
        try self.init(code: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    /// Active ISO 4217 codes with their minor-unit exponents.
    static let exponents: [String: Int] = {
        var table: [String: Int] = [:]
        let zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
        let three = "BHD IQD JOD KWD LYD OMR TND"
        let two = """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD \
            CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD \
            GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD \
            MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP \
            PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS \
            TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWL
            """
        for code in zero.split(separator: " ") { table[String(code)] = 0 }
        for code in three.split(separator: " ") { table[String(code)] = 3 }
        for code in two.split(separator: " ") { table[String(code)] = 2 }
        return table
    }()
}
