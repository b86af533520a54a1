import Foundation

/// The document information dictionary readers show as document properties.
public struct PDFDocumentInfo: Sendable, Hashable {
    public var title: String?
    public var author: String?
    public var subject: String?
    public var keywords: String?
    /// The application that made the content.
    public var creator: String?
    /// The library that wrote the file.
    public var producer: String?
    /// Written as `D:YYYYMMDDHHmmSSZ` in UTC; leave `nil` for byte-identical output.
    public var creationDate: Date?

    public init(title: String? = nil, author: String? = nil, subject: String? = nil, keywords: String? = nil,
                creator: String? = nil, producer: String? = "invoice", creationDate: Date? = nil) {
        self.title = title
        self.author = author
        self.subject = subject
        self.keywords = keywords
        self.creator = creator
        self.producer = producer
        self.creationDate = creationDate
    }

    /// `date` in the PDF date format, in UTC: `D:20250131143000Z`.
    static func pdfDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "D:" + pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2)
            + pad(parts.hour, 2) + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
    }
}
