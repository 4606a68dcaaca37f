namespace Conformance.Reports.Html;

/// <summary>
/// Markup built by the report's C# code (the inline SVG pictures), never from a target's text unescaped. A template
/// prints it as markup only when it asks for it with <c>{{ raw Value }}</c>; printed any other way it is escaped
/// like every other value, so a template cannot turn target text into markup.
/// </summary>
public sealed record Markup(string Html)
{
    public static Markup Empty { get; } = new("");
}
