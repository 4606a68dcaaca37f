using Conformance.Reports.Html;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

public sealed class DisplayTextTests
{
    [Test]
    public void ControlCharactersBecomeVisible() =>
        Assert.That(DisplayText.Line("a\u0000b\tc\r\nd\u007f\u0085\u202ee", 100), Is.EqualTo("a\\x00b\\x09c\\x0d\\x0ad\\x7f\\u0085\\u202Ee"));

    [Test]
    public void LoneSurrogatesBecomeReplacementCharacters() =>
        Assert.That(DisplayText.Line("x\ud800y\udc00", 100), Is.EqualTo("x\uFFFDy\uFFFD"));

    [Test]
    public void AMegabyteIsCutWithANote()
    {
        string line = DisplayText.Line(new string('A', 1 << 20), 2000);

        Assert.That(line, Has.Length.LessThan(2100));
        Assert.That(line, Does.EndWith("… [cut: 1,048,576 characters, first 2,000 shown]"));
    }

    [Test]
    public void ABlockKeepsLineBreaksAndCutsEachLine()
    {
        string block = DisplayText.Block("HTTP/1.1 101\r\nX-Long: " + new string('x', 5000) + "\r\nX-Bel: \u0007\r\n\r\n", 100, 10);

        Assert.That(block.Split('\n'), Has.Length.EqualTo(3));
        Assert.That(block, Does.Contain("[cut: 5,008 characters, first 100 shown]").And.Contain("X-Bel: \\x07"));
    }

    [Test]
    public void ABlockWithTooManyLinesIsCut() =>
        Assert.That(DisplayText.Block(string.Join("\n", Enumerable.Range(0, 500)), 100, 10), Does.EndWith("… [cut: 500 lines, first 10 shown]"));
}
