using Conformance.Reports.Html;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

public sealed class TemplateEngineTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("wsconf-templates-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private void Template(string name, string text) => File.WriteAllText(Path.Combine(_folder, name + ScribanTemplateEngine.Extension), text);

    [Test]
    public void EveryPrintedValueIsEscapedForTextAndAttributes()
    {
        Template("t", "<a title={{ Value }} href=\"{{ Value }}\">{{ Value }}</a>{{ for item in Items }}<i>{{ item }}</i>{{ end }}");
        string html = new ScribanTemplateEngine(_folder).Render("t", new { Value = "<script>x</script> ' \" ` = & \u0007 \ud800", Items = new[] { "<b>" } });

        const string Escaped = "&lt;script&gt;x&lt;/script&gt; &#39; &quot; &#96; &#61; &amp; \uFFFD \uFFFD";
        Assert.That(html, Is.EqualTo($"<a title={Escaped} href=\"{Escaped}\">{Escaped}</a><i>&lt;b&gt;</i>"));
    }

    [Test]
    public void OnlyPrebuiltMarkupPrintsAsMarkupAndOnlyWhenTheTemplateAsksForIt()
    {
        Template("t", "{{ raw Picture }}|{{ Picture }}");
        string html = new ScribanTemplateEngine(_folder).Render("t", new { Picture = new Markup("<svg></svg>") });
        Assert.That(html, Is.EqualTo("<svg></svg>|Markup { Html &#61; &lt;svg&gt;&lt;/svg&gt; }"));

        Template("u", "{{ raw Text }}");
        Assert.That(() => new ScribanTemplateEngine(_folder).Render("u", new { Text = "<script>" }), Throws.TypeOf<TemplateException>().With.Message.Contains("raw"));
    }

    [Test]
    public void TemplateLogicCannotUnescapeText()
    {
        Template("t", "{{ Text | string.upcase }}{{ include '_p' }}");
        Template("_p", "<p>{{ Text }}</p>");
        string html = new ScribanTemplateEngine(_folder).Render("t", new { Text = "<x>" });
        Assert.That(html, Is.EqualTo("&lt;X&gt;<p>&lt;x&gt;</p>"), "a partial's markup is kept, its values escaped");
    }

    [Test]
    public void AnUnknownNameOrMemberIsAnError()
    {
        Template("t", "{{ Nope }}");
        Template("m", "{{ for item in Items }}{{ item.Nope }}{{ end }}");
        var engine = new ScribanTemplateEngine(_folder);

        var error = Assert.Throws<TemplateException>(() => engine.Render("t", new { Value = 1 }));
        Assert.That(error!.Message, Does.Contain("t.sbn-html").And.Contain("Nope"));
        Assert.That(() => engine.Render("m", new { Items = new[] { new { Value = 1 } } }), Throws.TypeOf<TemplateException>().With.Message.Contains("Nope"));
    }

    [Test]
    public void AMalformedOrMissingTemplateIsAnError()
    {
        Template("bad", "{{ for item in Items }}no end");
        var engine = new ScribanTemplateEngine(_folder);

        Assert.That(() => engine.Render("bad", new { Items = Array.Empty<int>() }), Throws.TypeOf<TemplateException>().With.Message.Contains("bad.sbn-html"));
        Assert.That(() => engine.Render("absent", new { }), Throws.TypeOf<TemplateException>().With.Message.Contains("absent.sbn-html"));
        Assert.That(() => new ScribanTemplateEngine(Path.Combine(_folder, "nowhere")), Throws.TypeOf<TemplateException>());
    }

    [Test]
    public void AnOverrideFolderReplacesShippedTemplatesFileByFileAndPartialsToo()
    {
        Template("_style", "body { color: rebeccapurple; }");
        var engine = ScribanTemplateEngine.Create(_folder);
        var run = SampleReport.Build();

        var files = Directory.CreateTempSubdirectory("wsconf-html-");
        try
        {
            new HtmlReportWriter(engine).Write(run, SampleReport.Gate(run), files.FullName);
            string index = File.ReadAllText(Path.Combine(files.FullName, "index.html"));
            Assert.That(index, Does.Contain("rebeccapurple").And.Contain("<table class=\"matrix"));
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    [Test]
    public void ShippedTemplatesOnlyPrintAndIterate()
    {
        foreach (string file in Directory.EnumerateFiles(ScribanTemplateEngine.ShippedFolder, "*" + ScribanTemplateEngine.Extension))
        {
            string text = File.ReadAllText(file);
            var statements = System.Text.RegularExpressions.Regex.Matches(text, @"\{\{(.*?)\}\}").Select(m => m.Groups[1].Value.Trim('~', '-', ' '));
            Assert.That(
                statements.Where(s => !System.Text.RegularExpressions.Regex.IsMatch(s, @"^(for \w+ in [\w.]+|end|include '_\w+'|raw [\w.]+|[\w.]+)$")),
                Is.Empty,
                Path.GetFileName(file) + ": templates only print (a value or raw markup), iterate and include");
            Assert.That(text, Does.Not.Contain("<script").IgnoreCase.And.Not.Contain("http://").And.Not.Contain("https://"), $"{Path.GetFileName(file)}: no scripts or external resources");
        }
    }
}
