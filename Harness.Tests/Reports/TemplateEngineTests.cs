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

    [Test]
    public void EveryPrintedValueIsEscapedForTextAndAttributes()
    {
        File.WriteAllText(Path.Combine(_folder, "t.hbs"), "<a title={{Value}} href=\"{{Value}}\">{{Value}}</a>");
        string html = new HandlebarsTemplateEngine(_folder).Render("t", new { Value = "<script>x</script> ' \" ` = & \u0007 \ud800" });

        Assert.That(html, Is.EqualTo("<a title=&lt;script&gt;x&lt;/script&gt; &#39; &quot; &#96; &#61; &amp; \uFFFD \uFFFD href=\"&lt;script&gt;x&lt;/script&gt; &#39; &quot; &#96; &#61; &amp; \uFFFD \uFFFD\">&lt;script&gt;x&lt;/script&gt; &#39; &quot; &#96; &#61; &amp; \uFFFD \uFFFD</a>"));
    }

    [Test]
    public void AnUnresolvedBindingIsAnError()
    {
        File.WriteAllText(Path.Combine(_folder, "t.hbs"), "{{Nope}}");

        var error = Assert.Throws<TemplateException>(() => new HandlebarsTemplateEngine(_folder).Render("t", new { Value = 1 }));
        Assert.That(error!.Message, Does.Contain("t.hbs").And.Contain("Nope"));
    }

    [Test]
    public void AMalformedOrMissingTemplateIsAnError()
    {
        File.WriteAllText(Path.Combine(_folder, "bad.hbs"), "{{#each Items}}no end");
        var engine = new HandlebarsTemplateEngine(_folder);

        Assert.That(() => engine.Render("bad", new { Items = Array.Empty<int>() }), Throws.TypeOf<TemplateException>().With.Message.Contains("bad.hbs"));
        Assert.That(() => engine.Render("absent", new { }), Throws.TypeOf<TemplateException>().With.Message.Contains("absent.hbs"));
        Assert.That(() => new HandlebarsTemplateEngine(Path.Combine(_folder, "nowhere")), Throws.TypeOf<TemplateException>());
    }

    [Test]
    public void AnOverrideFolderReplacesShippedTemplatesFileByFileAndPartialsToo()
    {
        File.WriteAllText(Path.Combine(_folder, "_style.hbs"), "body { color: rebeccapurple; }");
        var engine = HandlebarsTemplateEngine.Create(_folder);
        var run = SampleReport.Build();

        var files = Directory.CreateTempSubdirectory("wsconf-html-");
        try
        {
            new HtmlReportWriter(engine).Write(run, SampleReport.Gate(run), files.FullName);
            string index = File.ReadAllText(Path.Combine(files.FullName, "index.html"));
            Assert.That(index, Does.Contain("rebeccapurple").And.Contain("<table class=\"matrix\">"));
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    [Test]
    public void ShippedTemplatesOnlyPrintAndIterate()
    {
        foreach (string file in Directory.EnumerateFiles(HandlebarsTemplateEngine.ShippedFolder, "*.hbs"))
        {
            string text = File.ReadAllText(file);
            var blocks = System.Text.RegularExpressions.Regex.Matches(text, @"\{\{[#^/]\s*(\w+)").Select(m => m.Groups[1].Value).Distinct();
            Assert.That(blocks, Is.SubsetOf(new[] { "each" }), Path.GetFileName(file));
            Assert.That(text, Does.Not.Contain("{{{").And.Not.Contain("{{&"), $"{Path.GetFileName(file)} must not print unescaped");
            Assert.That(text, Does.Not.Contain("<script").IgnoreCase.And.Not.Contain("http://").And.Not.Contain("https://"), $"{Path.GetFileName(file)}: no scripts or external resources");
        }
    }
}
