using System.Globalization;
using System.Text;

namespace Conformance.Cases.Data;

/// <summary>
/// An HTML page of 263 647 octets and 263 620 code points, of the kind of Autobahn's data1.html: the
/// report page of conformance runs, a results table (category and subcategory rows, one row per case
/// with a verdict cell and a close-code cell per agent, links to the case pages). Mostly ASCII; a
/// few typographic characters in the footer (©, —, “ ”, …, é, ü, ß) make up the 27 octets by which
/// the UTF-8 is longer than the text.
/// </summary>
internal static class HtmlPage
{
    public const int Length = 263_647;
    public const int CodePoints = 263_620;

    private const int AgentsPerRun = 3;

    // Each appears once, in the footer, and adds (UTF-8 octets − 1) octets: 1 + 2 + 2 + 2 + 1 + 1 + 1 + 2 + 2 + 2 + 2 + 1 + 2 + 2 + 2 + 2 = 27.
    private static readonly string[] Typographic = ["©", "—", "“", "”", "é", "ü", "ß", "…", "–", "‘", "’", "ö", "€", "™", "→", "•"];

    private const string Head =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>WebSocket conformance report</title>\n<style>\n" +
        "body { font-family: Segoe UI, Tahoma, sans-serif; font-size: 13px; margin: 1em 2em; }\n" +
        "table { border-collapse: collapse; } td, th { border: 1px solid #fff; padding: 2px 6px; }\n" +
        ".v-ok { background: #0a0; } .v-nonstrict { background: #9f3; } .v-info { background: #ccc; }\n" +
        ".v-failed { background: #e00; } .v-unimpl { background: #99f; } .close { font-size: 11px; }\n" +
        "tr.category td { background: #333; color: #fff; font-weight: bold; } tr.subcategory td { background: #ddd; }\n" +
        "</style>\n</head>\n<body>\n<h1>WebSocket conformance report</h1>\n";

    private const string TableEnd = "</tbody>\n</table>\n";
    private const string End = "<!-- {0} -->\n</body>\n</html>\n";

    public static byte[] Generate()
    {
        var random = new DataRandom(0x48544D4C_00000005UL);
        string footer = Footer();
        int reserved = TableEnd.Length + Utf8Builder.OctetsOf(footer) + End.Length + 64;
        var page = new StringBuilder(Length + 8192);
        page.Append(Head);

        bool full = false;
        for (int run = 1; !full; run++)
        {
            var agents = Enumerable.Range(0, AgentsPerRun).Select(i => ReportCorpus.Agents[(run * AgentsPerRun + i) % ReportCorpus.Agents.Length]).ToArray();
            string intro = RunIntro(run, agents);
            if (page.Length + intro.Length + reserved > Length)
            {
                break;
            }

            page.Append(intro);
            foreach (var c in ReportCorpus.Cases())
            {
                string rows = Rows(random, c, agents);
                if (page.Length + rows.Length + reserved > Length)
                {
                    full = true;
                    break;
                }

                page.Append(rows);
            }

            page.Append(TableEnd);
        }

        page.Append(footer);
        int octets = Encoding.UTF8.GetByteCount(page.ToString());
        int pad = Length - octets - (End.Length - 3);
        page.Append(string.Format(CultureInfo.InvariantCulture, End, Utf8Builder.Filler(random, LoremText.Words, pad)));
        return Encoding.UTF8.GetBytes(page.ToString());
    }

    private static string RunIntro(int run, string[] agents)
    {
        var intro = new StringBuilder();
        intro.Append("<h2 id=\"run-").Append(run).Append("\">Run ").Append(run).Append("</h2>\n<table class=\"results\">\n<thead>\n<tr><th>Case</th>");
        foreach (string agent in agents)
        {
            intro.Append("<th class=\"agent\" colspan=\"2\">").Append(agent).Append("</th>");
        }

        return intro.Append("</tr>\n</thead>\n<tbody>\n").ToString();
    }

    private static string Rows(DataRandom random, ReportCorpus.CaseRef c, string[] agents)
    {
        var rows = new StringBuilder(1024);
        int columns = 1 + 2 * agents.Length;
        if (c.FirstOfCategory)
        {
            rows.Append("<tr class=\"category\"><td colspan=\"").Append(columns).Append("\">").Append(c.Category).Append(' ').Append(c.Title).Append("</td></tr>\n");
        }

        if (c.FirstOfSubcategory && c.Subcategory is { } sub)
        {
            rows.Append("<tr class=\"subcategory\"><td colspan=\"").Append(columns).Append("\">").Append(sub).Append("</td></tr>\n");
        }

        string anchor = c.Id.Replace('.', '_');
        rows.Append("<tr class=\"result\">\n   <td class=\"case\"><a href=\"#case_desc_").Append(anchor).Append("\">Case ").Append(c.Id).Append("</a></td>\n");
        foreach (string agent in agents)
        {
            var outcome = ReportCorpus.Draw(random);
            string style = Style(outcome.Behavior);
            rows.Append("   <td class=\"").Append(style).Append("\"><a href=\"").Append(ReportCorpus.ReportFile(agent, c.Id, "html")).Append("\">")
                .Append(outcome.Behavior == "OK" ? "Pass" : outcome.Behavior).Append("</a></td><td class=\"close ").Append(Style(outcome.BehaviorClose))
                .Append("\"><span class=\"close_code\">").Append(outcome.CloseCode is { } code ? ReportCorpus.Number(code) : "None")
                .Append("</span> ").Append(ReportCorpus.Number(outcome.DurationMs)).Append(" ms</td>\n");
        }

        return rows.Append("</tr>\n").ToString();
    }

    private static string Style(string verdict) => verdict switch
    {
        "OK" => "v-ok",
        "NON-STRICT" => "v-nonstrict",
        "INFORMATIONAL" => "v-info",
        "UNIMPLEMENTED" => "v-unimpl",
        _ => "v-failed",
    };

    private static string Footer()
    {
        const string Closing = "<footer>\n<p>Copyright {0} 2026 Example Project. Made in M{1}nchen {2} Stra{3}e 7 {4} caf{5} {6}open{7} {8} 1{9}5 {10}docs{11} {12}{13}5 {14} {15}</p>\n</footer>\n";
        return string.Format(CultureInfo.InvariantCulture, Closing,
            Typographic[0], Typographic[5], Typographic[1], Typographic[6], Typographic[7], Typographic[4], Typographic[2], Typographic[3],
            Typographic[8], Typographic[11], Typographic[9], Typographic[10], Typographic[12], Typographic[13], Typographic[14], Typographic[15]);
    }
}
