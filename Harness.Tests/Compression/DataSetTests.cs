using System.Text;
using System.Text.Json;
using Conformance.Cases.Data;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Compression;

/// <summary>The generated data sets of category 12: Autobahn's sizes and kinds, deterministic, lazy, in the catalogue version.</summary>
public sealed class DataSetTests
{
    [TestCase("json", 194_056, true, 194_056, "Large JSON document, generated (utf8, 194056 bytes)")]
    [TestCase("bitmap", 263_222, false, 263_222, "Picture, generated bitmap 512x512 grey (binary, 263222 bytes)")]
    [TestCase("german", 222_218, false, 222_218, "Human readable text, generated German-like verse drama (binary, 222218 bytes)")]
    [TestCase("html", 263_647, true, 263_620, "Large HTML page, generated (utf8, 263647 bytes)")]
    [TestCase("pdf", 1_042_328, false, 1_042_328, "A larger PDF-like file, generated (binary, 1042328 bytes)")]
    public void Each_data_set_has_Autobahns_size_and_kind(string key, int octets, bool text, int codePoints, string label)
    {
        var data = DataSets.All.Single(d => d.Key == key);

        Assert.That(data.Octets.Length, Is.EqualTo(octets));
        Assert.That(data.IsText, Is.EqualTo(text));
        Assert.That(data.CodePoints, Is.EqualTo(codePoints));
        Assert.That(data.Label, Is.EqualTo(label));
        if (text || key == "german")
        {
            string decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data.Octets.Span);
            Assert.That(decoded.EnumerateRunes().Count(), Is.EqualTo(text ? codePoints : decoded.EnumerateRunes().Count()));
            Assert.That(decoded.Any(c => c > 127), Is.EqualTo(key is "german" or "html"), "non-ASCII characters");
        }
    }

    [Test]
    public void The_JSON_document_is_a_results_index_the_HTML_a_page_and_the_bitmap_a_bitmap()
    {
        using var json = JsonDocument.Parse(DataSets.Json.Octets);
        var agents = json.RootElement.EnumerateObject().Where(a => a.Value.ValueKind == JsonValueKind.Object).ToArray();
        Assert.That(agents, Has.Length.GreaterThan(2), "a results index: agent -> case -> outcome, like Autobahn's data1.json");
        Assert.That(agents[0].Value.EnumerateObject().First().Value.GetProperty("behavior").GetString(), Is.Not.Empty);

        string html = Encoding.UTF8.GetString(DataSets.Html.Octets.Span);
        Assert.That(html, Does.StartWith("<!DOCTYPE html>").And.EndWith("</html>\n").And.Contain("<tr class=\"result\">"));

        var bmp = DataSets.Bitmap.Octets.Span;
        Assert.That(Encoding.ASCII.GetString(bmp[..2]), Is.EqualTo("BM"));
        Assert.That(BitConverter.ToInt32(bmp[18..22]), Is.EqualTo(512));
        Assert.That(BitConverter.ToInt16(bmp[28..30]), Is.EqualTo(8));
        Assert.That(Encoding.ASCII.GetString(DataSets.Pdf.Octets.Span[..8]), Is.EqualTo("%PDF-1.5"));
        Assert.That(Encoding.ASCII.GetString(DataSets.Pdf.Octets.Span[^6..]), Is.EqualTo("%%EOF\n"));
    }

    [Test]
    public void Windows_are_circular_and_cut_text_in_code_points()
    {
        var html = DataSets.Html;
        int units = 100_000;
        int index = 2; // starts at 200 000, wraps after 63 620 code points
        var message = html.Message(units, index);

        string all = Encoding.UTF8.GetString(html.Octets.Span);
        var runes = all.EnumerateRunes().Select(r => r.ToString()).ToArray();
        string expected = string.Concat(runes.Skip(200_000)) + string.Concat(runes.Take(units - (runes.Length - 200_000)));
        Assert.That(Encoding.UTF8.GetString(message), Is.EqualTo(expected));
        Assert.That(Encoding.UTF8.GetString(message).EnumerateRunes().Count(), Is.EqualTo(units));
    }

    [Test]
    public void Binary_windows_count_octets()
    {
        var pdf = DataSets.Pdf;

        Assert.That(pdf.Message(1000, 1042), Is.EqualTo(pdf.Octets.Span[1_042_000..].ToArray().Concat(pdf.Octets.Span[..672].ToArray()).ToArray()));
    }

    [Test]
    public void The_catalogue_version_covers_the_declared_hashes_without_generating_anything()
    {
        // Generation is lazy: the catalogue, its version and 'list' never need the octets. Other tests in
        // the run may have generated them already, so this checks the canonical text, not the flag.
        foreach (var data in DataSets.All)
        {
            Assert.That(data.Describe(), Does.Contain(data.Sha256));
        }

        Assert.That(CaseCatalogue.Version, Has.Length.EqualTo(12));
        var fresh = new DataSet("probe", "probe", 4, false, 4, "00", () => throw new AssertionException("generated too early"));
        Assert.That(fresh.IsGenerated, Is.False);
        Assert.That(fresh.Describe(), Does.Contain("probe"));
    }

    [Test]
    public void A_changed_generator_is_caught_at_first_use()
    {
        var changed = new DataSet("changed", "changed", 3, false, 3, "0000", () => [1, 2, 3]);

        var error = Assert.Throws<InvalidOperationException>(() => _ = changed.Octets);

        Assert.That(error!.Message, Does.Contain("update the declaration"));
    }
}
