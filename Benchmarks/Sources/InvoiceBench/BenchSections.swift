/// Every bench section, in the order they run: the one place a new section is registered.
enum BenchSections {
    static let all: [any BenchSection.Type] = [
        StoreBench.self,
        RunBench.self,
        DocumentBench.self,
        MailBench.self,
        ServeBench.self,
        EventBench.self,
        EInvoiceBench.self,
        PostgresBench.self,
        CamtBench.self,
    ]
}
