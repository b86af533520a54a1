enum BenchCommand {
    static func run(_ arguments: Arguments, _ context: Context) throws {
        throw CommandFailure(message: "bench is not built yet")
    }
}
