namespace Conformance.Reports.Html;

/// <summary>
/// The one seam between the report writers and a template language. Templates only print and iterate:
/// every value they show (texts, CSS classes, colours, cut payloads) is computed by the view models.
/// </summary>
public interface ITemplateEngine
{
    /// <summary>Renders the template <paramref name="templateName"/> (file name without extension) with <paramref name="model"/>.</summary>
    /// <exception cref="TemplateException">The template is missing or malformed, or names a value the model does not have.</exception>
    void Render(string templateName, object model, TextWriter output);
}

public static class TemplateEngineExtensions
{
    public static string Render(this ITemplateEngine engine, string templateName, object model)
    {
        using var output = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        engine.Render(templateName, model, output);
        return output.ToString();
    }
}

/// <summary>A template that cannot be found, parsed or rendered with its model.</summary>
public sealed class TemplateException(string message, Exception? inner = null) : Exception(message, inner);
