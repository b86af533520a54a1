/// Bounds on one rendering, so that a template (an operator's own, say) that expands without end
/// fails with a clear error instead of hanging or exhausting memory.
public struct RenderLimits: Sendable, Hashable {
    /// The most bytes the output may reach (10 MiB: a 10,000-line invoice is about 3 MiB of HTML).
    public var outputBytes: Int
    /// How deep partials, parents and blocks may nest.
    public var depth: Int
    /// How many partials, parents and blocks one rendering may enter in all; partials that each
    /// include the next one twice pass any reasonable number after a few dozen levels.
    public var inclusions: Int

    public init(outputBytes: Int = 10 << 20, depth: Int = 100, inclusions: Int = 1_000_000) {
        self.outputBytes = outputBytes
        self.depth = depth
        self.inclusions = inclusions
    }
}
