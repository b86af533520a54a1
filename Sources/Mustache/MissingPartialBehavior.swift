/// What rendering does when `{{>name}}` or `{{<name}}` names a template it cannot find.
public enum MissingPartialBehavior: Sendable {
    /// Throw a `MustacheError` naming the file, line and column of the tag (the default).
    case fail
    /// Render nothing, as the Mustache specification asks.
    case renderEmpty
}
