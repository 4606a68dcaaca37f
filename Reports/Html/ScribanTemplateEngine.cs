using System.Collections.Concurrent;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Conformance.Reports.Html;

/// <summary>
/// <see cref="ITemplateEngine"/> on Scriban. Templates are <c>NAME.sbn-html</c> files; a template includes another
/// with <c>{{ include '_style' }}</c> (partials start with an underscore by convention). A file in an override folder
/// replaces the shipped file of the same name, so a team can restyle one page and keep the rest.
/// Every printed value is HTML-escaped by <see cref="HtmlTemplateContext"/>; a name the model lacks is an error.
/// </summary>
public sealed class ScribanTemplateEngine : ITemplateEngine
{
    public const string Extension = ".sbn-html";

    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Template>> _parsed = new(StringComparer.Ordinal);
    private readonly FolderLoader _loader;
    private readonly ThreadLocal<HtmlTemplateContext?> _contexts = new();

    /// <param name="folders">Template folders, most important first; later ones fill in what earlier ones lack.</param>
    public ScribanTemplateEngine(params IEnumerable<string> folders)
    {
        foreach (string folder in folders.Reverse())
        {
            if (!Directory.Exists(folder))
            {
                throw new TemplateException($"template folder '{folder}' does not exist");
            }

            foreach (string file in Directory.EnumerateFiles(folder, "*" + Extension))
            {
                _files[Path.GetFileName(file)[..^Extension.Length]] = file;
            }
        }

        _loader = new FolderLoader(this);
    }

    /// <summary>The templates shipped with the tool: <c>Templates/</c> next to the assembly.</summary>
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "Templates");

    /// <summary>The shipped templates, overridden file by file from <paramref name="overrideFolder"/> when given.</summary>
    public static ScribanTemplateEngine Create(string? overrideFolder) =>
        overrideFolder is null ? new ScribanTemplateEngine(ShippedFolder) : new ScribanTemplateEngine(overrideFolder, ShippedFolder);

    public void Render(string templateName, object model, TextWriter output)
    {
        var template = Parsed(templateName);

        // A context per thread, reused: building Scriban's built-in functions costs more than rendering a case page.
        var context = _contexts.Value ??= new HtmlTemplateContext(_loader, Partials());
        var globals = new ScriptObject();
        globals.Import(model, renamer: member => member.Name);
        context.PushGlobal(globals);
        context.PushOutput(new TextWriterOutput(output));
        bool clean = false;
        try
        {
            template.Render(context);
            clean = true;
        }
        catch (ScriptRuntimeException e)
        {
            throw new TemplateException($"template '{templateName}{Extension}': {OneLine(e.Message)}", e);
        }
        finally
        {
            if (clean)
            {
                context.PopOutput();
                context.PopGlobal();
            }
            else
            {
                _contexts.Value = null; // a failed render may leave scopes behind: start the next one afresh
            }
        }
    }

    /// <summary>Every partial (<c>_name</c>), parsed once for all renders; Scriban's include finds them in the context's cache.</summary>
    private Dictionary<string, Template> Partials() =>
        _files.Keys.Where(name => name.StartsWith('_')).ToDictionary(name => name, Parsed, StringComparer.Ordinal);

    private Template Parsed(string name) => _parsed.GetOrAdd(name, n => new Lazy<Template>(() => Parse(n))).Value;

    private Template Parse(string name)
    {
        var template = Template.Parse(Text(name), name + Extension);
        if (template.HasErrors)
        {
            throw new TemplateException($"template '{name}{Extension}' is malformed: {OneLine(string.Join("; ", template.Messages))}");
        }

        return template;
    }

    private string Text(string name)
    {
        string file = _files.GetValueOrDefault(name) ?? throw new TemplateException($"no template '{name}{Extension}' in the template folders");
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TemplateException($"cannot read template '{file}': {e.Message}", e);
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>Resolves <c>include 'name'</c> to the parsed template of that name (the loader's path is the name).</summary>
    private sealed class FolderLoader(ScribanTemplateEngine engine) : ITemplateLoader
    {
        public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) => templateName;

        public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => engine.Text(templatePath);

        public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
            ValueTask.FromResult<string?>(Load(context, callerSpan, templatePath));
    }
}
