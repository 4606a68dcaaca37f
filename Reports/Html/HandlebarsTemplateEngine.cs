using System.Collections.Concurrent;
using HandlebarsDotNet;

namespace Conformance.Reports.Html;

/// <summary>
/// <see cref="ITemplateEngine"/> on Handlebars.Net. Templates are <c>NAME.hbs</c> files; files whose name starts
/// with an underscore are partials (<c>_style.hbs</c> is <c>{{&gt; style}}</c>). A file in an override folder
/// replaces the shipped file of the same name, so a team can restyle one page and keep the rest.
/// Unresolved bindings are errors, and every printed value goes through <see cref="HtmlTextEncoder"/>.
/// </summary>
public sealed class HandlebarsTemplateEngine : ITemplateEngine
{
    public const string Extension = ".hbs";

    private readonly IHandlebars _handlebars;
    private readonly Dictionary<string, string> _files;
    private readonly ConcurrentDictionary<string, Lazy<HandlebarsTemplate<TextWriter, object, object>>> _compiled = new(StringComparer.Ordinal);

    /// <param name="folders">Template folders, most important first; later ones fill in what earlier ones lack.</param>
    public HandlebarsTemplateEngine(params IEnumerable<string> folders)
    {
        _handlebars = Handlebars.Create(new HandlebarsConfiguration
        {
            TextEncoder = new HtmlTextEncoder(),
            ThrowOnUnresolvedBindingExpression = true,
            FormatProvider = System.Globalization.CultureInfo.InvariantCulture,
        });
        _files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string folder in folders.Reverse())
        {
            if (!Directory.Exists(folder))
            {
                throw new TemplateException($"template folder '{folder}' does not exist");
            }

            foreach (string file in Directory.EnumerateFiles(folder, "*" + Extension))
            {
                _files[Path.GetFileNameWithoutExtension(file)] = file;
            }
        }

        foreach (var (name, file) in _files.Where(f => f.Key.StartsWith('_')))
        {
            using var reader = new StringReader(ReadFile(file));
            _handlebars.RegisterTemplate(name[1..], Compile(name, reader));
        }
    }

    /// <summary>The templates shipped with the tool: <c>Templates/</c> next to the assembly.</summary>
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "Templates");

    /// <summary>The shipped templates, overridden file by file from <paramref name="overrideFolder"/> when given.</summary>
    public static HandlebarsTemplateEngine Create(string? overrideFolder) =>
        overrideFolder is null ? new HandlebarsTemplateEngine(ShippedFolder) : new HandlebarsTemplateEngine(overrideFolder, ShippedFolder);

    public void Render(string templateName, object model, TextWriter output)
    {
        var template = _compiled.GetOrAdd(templateName, name => new Lazy<HandlebarsTemplate<TextWriter, object, object>>(() =>
        {
            string file = _files.GetValueOrDefault(name) ?? throw new TemplateException($"no template '{name}{Extension}' in the template folders");
            using var reader = new StringReader(ReadFile(file));
            return Compile(name, reader);
        })).Value;
        try
        {
            template(output, model);
        }
        catch (Exception e) when (IsHandlebars(e))
        {
            throw new TemplateException($"template '{templateName}{Extension}': {e.Message}", e);
        }
    }

    private HandlebarsTemplate<TextWriter, object, object> Compile(string name, TextReader reader)
    {
        try
        {
            return _handlebars.Compile(reader);
        }
        catch (Exception e) when (IsHandlebars(e))
        {
            throw new TemplateException($"template '{name}{Extension}' is malformed: {e.Message.ReplaceLineEndings(" ").Trim()}", e);
        }
    }

    /// <summary>Handlebars.Net's exceptions do not share one base type.</summary>
    private static bool IsHandlebars(Exception e) => e.GetType().Namespace?.StartsWith("HandlebarsDotNet", StringComparison.Ordinal) == true;

    private static string ReadFile(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TemplateException($"cannot read template '{file}': {e.Message}", e);
        }
    }
}
