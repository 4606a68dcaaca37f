using System.Globalization;
using System.Text;
using Conformance.Reports.Html;

namespace Conformance.Reports.Charts;

/// <summary>
/// A small inline-SVG writer: no script, no external reference, every text escaped. Text and axes use
/// <c>currentColor</c> so a picture follows the page's colours (dark mode, print); verdict colours are the report's.
/// </summary>
internal sealed class Svg
{
    private readonly StringBuilder _body = new();
    private readonly int _width;
    private readonly int _height;
    private readonly string _label;

    public Svg(int width, int height, string label)
    {
        _width = width;
        _height = height;
        _label = label;
    }

    public Svg Rect(double x, double y, double width, double height, string fill, string? title = null)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(0, width))}\" height=\"{N(Math.Max(0, height))}\" fill=\"{Attr(fill)}\"");
        return title is null ? Close() : Titled(title, "rect");
    }

    public Svg Circle(double x, double y, double r, string fill, string? title = null)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(r)}\" fill=\"{Attr(fill)}\" stroke=\"currentColor\" stroke-width=\"0.5\"");
        return title is null ? Close() : Titled(title, "circle");
    }

    public Svg Line(double x1, double y1, double x2, double y2, double opacity = 1)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"currentColor\" stroke-opacity=\"{N(opacity)}\" />");
        return this;
    }

    public Svg Polyline(IEnumerable<(double X, double Y)> points, string stroke)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{Attr(stroke)}\" stroke-width=\"1.5\" points=\"{string.Join(" ", points.Select(p => N(p.X) + "," + N(p.Y)))}\" />");
        return this;
    }

    /// <param name="anchor">start, middle or end.</param>
    /// <param name="fill">The text's colour: the page's (currentColor) unless it sits on a coloured shape.</param>
    public Svg Text(double x, double y, string text, string anchor = "start", double size = 11, string fill = "currentColor")
    {
        _body.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\" text-anchor=\"{anchor}\" fill=\"{Attr(fill)}\">{HtmlTextEncoder.Encode(text)}</text>");
        return this;
    }

    public Markup ToMarkup() => new(
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"{Attr(_label)}\" width=\"{_width}\" height=\"{_height}\" viewBox=\"0 0 {_width} {_height}\">" +
        $"<title>{HtmlTextEncoder.Encode(_label)}</title>{_body}</svg>");

    private Svg Close()
    {
        _body.Append(" />");
        return this;
    }

    private Svg Titled(string title, string element)
    {
        _body.Append("><title>").Append(HtmlTextEncoder.Encode(title)).Append("</title></").Append(element).Append('>');
        return this;
    }

    private static string Attr(string value) => HtmlTextEncoder.Encode(value);

    private static string N(double value) => double.IsFinite(value) ? Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture) : "0";
}
