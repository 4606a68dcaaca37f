using System.Xml;
using System.Xml.Linq;

namespace Conformance.Tests.Reports;

/// <summary>
/// The report pages are written as well-formed XML (every element closed, attributes quoted, only XML's own
/// entities), so a strict XML parser checks that nothing from a target broke the document's structure.
/// </summary>
internal static class HtmlDocument
{
    public static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    /// <summary>Elements by local name, HTML's and inline SVG's (whose elements are in the SVG namespace) alike.</summary>
    public static IEnumerable<XElement> All(this XContainer node, string name) => node.Descendants().Where(e => e.Name.LocalName == name);

    public static string? Class(this XElement element) => element.Attribute("class")?.Value;
}
