using System.Globalization;
using System.Text;

namespace Conformance.Cases.Data;

/// <summary>
/// An HTML page of 263 647 octets and 263 620 code points (the sizes of Autobahn's data1.html):
/// head with styles, navigation, articles with headings, paragraphs, lists, links and data tables,
/// a footer. Mostly ASCII; a few typographic characters (©, —, “ ”, …, é, ü, ß) make up the 27
/// octets by which the UTF-8 is longer than the text.
/// </summary>
internal static class HtmlPage
{
    public const int Length = 263_647;
    public const int CodePoints = 263_620;

    // Each appears once, in the footer, and adds (UTF-8 octets − 1) octets: 1 + 2 + 2 + 2 + 1 + 1 + 1 + 2 + 2 + 2 + 2 + 1 + 2 + 2 + 2 + 2 = 27.
    private static readonly string[] Typographic = ["©", "—", "“", "”", "é", "ü", "ß", "…", "–", "‘", "’", "ö", "€", "™", "→", "•"];

    private static readonly string[] Sections = ["Overview", "Getting started", "Configuration", "Release notes", "Architecture", "Performance", "Security", "Deployment", "Monitoring", "Troubleshooting", "Reference", "Community"];
    private static readonly string[] LinkWords = ["documentation", "download", "changelog", "issues", "roadmap", "examples", "support", "pricing", "about", "contact", "blog", "status"];

    private static readonly string[] Common = ["the", "of", "and", "to", "a", "in", "is", "it", "you", "that", "for", "on", "with", "as", "are", "be", "this", "by", "or", "from", "can", "an", "not", "when", "each", "which", "your", "all", "use", "will", "data", "server", "client", "request", "message", "value", "default", "option", "file", "user"];
    private static readonly string[] Onsets = ["b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "pl", "cr", "sh", "th", "gr", "br", "ch", ""];
    private static readonly string[] Nuclei = ["a", "e", "i", "o", "u", "ea", "ou", "io", "ai", "e", "a", "o"];
    private static readonly string[] Codas = ["n", "r", "s", "t", "l", "m", "nd", "st", "ck", "ng", "th", "re", "ve", "ct"];

    public static byte[] Generate()
    {
        var random = new DataRandom(0x48544D4C_00000004UL);
        var vocabulary = new Vocabulary(random, Common, Onsets, Nuclei, Codas, 3000);
        var page = new StringBuilder(Length + 8192);
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Example Project Handbook</title>\n");
        page.Append("<style>\nbody { font-family: Georgia, serif; margin: 0 auto; max-width: 960px; color: #222; }\n")
            .Append("nav a { margin-right: 1em; } table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 6px; }\n")
            .Append(".note { background: #ffd; border-left: 4px solid #cc0; } pre { background: #f4f4f4; overflow: auto; }\n</style>\n</head>\n<body>\n");
        page.Append("<header>\n<h1>Example Project Handbook</h1>\n<nav>\n");
        foreach (string link in LinkWords)
        {
            page.Append("<a href=\"/").Append(link).Append(".html\">").Append(char.ToUpperInvariant(link[0])).Append(link[1..]).Append("</a>\n");
        }

        page.Append("</nav>\n</header>\n<main>\n");
        const string Closing = "</main>\n<footer>\n<p>Copyright {0} 2024 Example Project. Made in M{1}nchen {2} Stra{3}e 7 {4} caf{5} {6}open{7} {8} 1{9}5 {10}docs{11} {12}{13}5 {14} {15}</p>\n</footer>\n";
        string footer = string.Format(CultureInfo.InvariantCulture, Closing,
            Typographic[0], Typographic[5], Typographic[1], Typographic[6], Typographic[7], Typographic[4], Typographic[2], Typographic[3],
            Typographic[8], Typographic[11], Typographic[9], Typographic[10], Typographic[12], Typographic[13], Typographic[14], Typographic[15]);
        const string End = "<!-- {0} -->\n</body>\n</html>\n";
        int article = 1;
        while (true)
        {
            string next = Article(random, vocabulary, article);
            if (page.Length + next.Length + Utf8Builder.OctetsOf(footer) + End.Length + 64 > Length)
            {
                break;
            }

            page.Append(next);
            article++;
        }

        page.Append(footer);
        int octets = Encoding.UTF8.GetByteCount(page.ToString());
        int pad = Length - octets - (End.Length - 3);
        page.Append(string.Format(CultureInfo.InvariantCulture, End, Utf8Builder.Filler(random, JsonData.Words, pad)));
        return Encoding.UTF8.GetBytes(page.ToString());
    }

    private static string Article(DataRandom random, Vocabulary vocabulary, int number)
    {
        var a = new StringBuilder(4096);
        string title = random.Pick(Sections);
        a.Append("<article id=\"section-").Append(number).Append("\">\n<h2>").Append(number).Append(". ").Append(title).Append("</h2>\n");
        int paragraphs = random.Between(2, 5);
        for (int p = 0; p < paragraphs; p++)
        {
            a.Append("<p>").Append(Prose(random, vocabulary, random.Between(2, 6)));
            if (random.Chance(40))
            {
                string link = random.Pick(LinkWords);
                a.Append(" See the <a href=\"https://example.org/").Append(link).Append('/').Append(random.Between(1, 500)).Append("\">").Append(link).Append("</a> page.");
            }

            a.Append("</p>\n");
        }

        switch (random.Below(4))
        {
            case 0:
                a.Append("<ul>\n");
                for (int i = random.Between(3, 8); i > 0; i--)
                {
                    a.Append("<li>").Append(Prose(random, vocabulary, 1)).Append("</li>\n");
                }

                a.Append("</ul>\n");
                break;
            case 1:
                a.Append("<table>\n<tr><th>Name</th><th>Value</th><th>Default</th><th>Since</th></tr>\n");
                for (int i = random.Between(4, 12); i > 0; i--)
                {
                    a.Append("<tr><td><code>").Append(random.Pick(JsonData.Words)).Append('.').Append(random.Pick(JsonData.Words))
                        .Append("</code></td><td>").Append(random.Between(0, 65535)).Append("</td><td>").Append(random.Chance(50) ? "true" : "false")
                        .Append("</td><td>").Append(random.Between(1, 9)).Append('.').Append(random.Between(0, 20)).Append("</td></tr>\n");
                }

                a.Append("</table>\n");
                break;
            case 2:
                a.Append("<pre><code>");
                for (int i = random.Between(3, 10); i > 0; i--)
                {
                    a.Append("let ").Append(random.Pick(JsonData.Words)).Append(" = ").Append(random.Pick(JsonData.Words)).Append('(').Append(random.Between(0, 999)).Append(");\n");
                }

                a.Append("</code></pre>\n");
                break;
            default:
                a.Append("<div class=\"note\"><p><strong>Note:</strong> ").Append(Prose(random, vocabulary, random.Between(1, 3))).Append("</p></div>\n");
                break;
        }

        a.Append("</article>\n");
        return a.ToString();
    }

    private static string Prose(DataRandom random, Vocabulary vocabulary, int sentences)
    {
        var text = new StringBuilder();
        for (int s = 0; s < sentences; s++)
        {
            int words = random.Between(6, 18);
            for (int w = 0; w < words; w++)
            {
                string word = vocabulary.Next(random);
                text.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word).Append(w < words - 1 ? (random.Chance(7) ? ", " : " ") : ". ");
            }
        }

        return text.ToString().TrimEnd();
    }
}
