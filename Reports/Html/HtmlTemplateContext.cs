using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Conformance.Reports.Html;

/// <summary>
/// A Scriban context that HTML-escapes every value a template prints (<see cref="HtmlTextEncoder"/>), so escaping
/// is the engine's default and not each template's duty. Two things print as they are: the output of
/// <c>{{ include 'name' }}</c> (another template file) and a <see cref="Markup"/> passed through <c>raw</c>.
/// A name or member the model does not have is an error, not an empty string.
/// </summary>
internal sealed class HtmlTemplateContext : TemplateContext
{
    public HtmlTemplateContext(ITemplateLoader loader, IReadOnlyDictionary<string, Template> partials)
    {
        TemplateLoader = loader;
        StrictVariables = true;
        EnableRelaxedMemberAccess = false;
        EnableRelaxedTargetAccess = false;
        EnableRelaxedIndexerAccess = false;
        EnableRelaxedFunctionAccess = false;
        EnableNullIndexer = false;
        MemberRenamer = member => member.Name; // the view models' names as they are in C#: {{ Title }}, {{ row.Cells }}
        LoopLimit = 0;
        RecursiveLimit = 20;
        NewLine = "\n";
        PushCulture(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (path, template) in partials)
        {
            CachedTemplates[path] = template;
        }

        var functions = new ScriptObject();
        functions.Import("raw", new Func<object?, object>(Raw));
        BuiltinObject.SetValue("raw", functions["raw"], readOnly: true);
        var include = (IScriptCustomFunction)BuiltinObject["include"]!;
        BuiltinObject.Remove("include");
        BuiltinObject.SetValue("include", new RawInclude(include), readOnly: true);
    }

    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        switch (textAsObject)
        {
            case null:
                return this;
            case RawText raw:
                return Write(raw.Text);
            default:
                string text = textAsObject as string ?? ObjectToString(textAsObject) ?? "";
                return Write(HtmlTextEncoder.Encode(text));
        }
    }

    private static object Raw(object? value) => value is Markup markup
        ? new RawText(markup.Html)
        : throw new ScriptRuntimeException(default, $"raw prints only prebuilt markup (a {nameof(Markup)} value), not {value?.GetType().Name ?? "null"}");

    /// <summary>Text that is already HTML and is written as it is.</summary>
    private sealed record RawText(string Text)
    {
        public override string ToString() => Text;
    }

    /// <summary>Scriban's <c>include</c>, whose result (a rendered template file) is markup, not text to escape.</summary>
    private sealed class RawInclude(IScriptCustomFunction include) : IScriptCustomFunction
    {
        public int RequiredParameterCount => include.RequiredParameterCount;

        public int ParameterCount => include.ParameterCount;

        public ScriptVarParamKind VarParamKind => include.VarParamKind;

        public Type ReturnType => typeof(object);

        public ScriptParameterInfo GetParameterInfo(int index) => include.GetParameterInfo(index);

        public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            include.Invoke(context, callerContext, arguments, blockStatement) is string text ? new RawText(text) : new RawText("");

        public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            ValueTask.FromResult<object?>(Invoke(context, callerContext, arguments, blockStatement));
    }
}
