using System.Globalization;

namespace Conformance.Cases.Data;

/// <summary>
/// The material of a machine-written conformance report: agents, case IDs, titles and outcomes.
/// Autobahn's data1.json and data1.html are exactly that (an index.json and an index.html of its own
/// runs), so 12.1 and 12.4 are generated as reports too: highly repetitive, as such documents are.
/// </summary>
internal static class ReportCorpus
{
    public static readonly string[] Agents = ["Relay/2.4.1", "Gull/0.9.12", "Tern/17.3.0", "Harbor/1.0.0-rc.2", "Petrel/5.1.4", "Skua/3.22.7", "Kittiwake/8.0.1", "Fulmar/0.4.0"];

    /// <summary>Category number, title and the number of cases of each subcategory (one entry: no subcategory level).</summary>
    public static readonly (int Number, string Title, int[] Subcategories)[] Categories =
    [
        (1, "Framing", [8, 8]),
        (2, "Pings/Pongs", [11]),
        (3, "Reserved Bits", [7]),
        (4, "Opcodes", [5, 5]),
        (5, "Fragmentation", [20]),
        (6, "UTF-8 Handling", [3, 4, 5, 4, 4, 4, 4, 4, 4, 4, 12, 7, 5, 10, 1, 3, 5, 5, 5, 6, 8, 4]),
        (7, "Close Handling", [6, 6, 6, 6, 13, 9, 13]),
        (9, "Limits/Performance", [6, 6, 9, 9, 6, 6, 6, 6]),
        (10, "Misc", [1]),
    ];

    public static readonly string[] SubcategoryTitles = ["Text Messages", "Binary Messages", "Valid UTF-8 with zero payload fragments", "Fragmented messages", "Close frame structure", "Payload length", "Limits", "Valid close codes", "Invalid close codes", "Chopped writes", "Round trips"];

    public sealed record CaseRef(string Id, int Category, string Title, string? Subcategory, bool FirstOfSubcategory, bool FirstOfCategory);

    public static IEnumerable<CaseRef> Cases()
    {
        foreach (var (number, title, subcategories) in Categories)
        {
            bool firstOfCategory = true;
            for (int s = 0; s < subcategories.Length; s++)
            {
                string? sub = subcategories.Length == 1 ? null : $"{number}.{s + 1} {SubcategoryTitles[(number + s) % SubcategoryTitles.Length]}";
                for (int c = 1; c <= subcategories[s]; c++)
                {
                    string id = subcategories.Length == 1 ? $"{number}.{c}" : $"{number}.{s + 1}.{c}";
                    yield return new CaseRef(id, number, title, sub, c == 1, firstOfCategory);
                    firstOfCategory = false;
                }
            }
        }
    }

    public static string Slug(string agent)
    {
        var slug = new System.Text.StringBuilder(agent.Length);
        foreach (char ch in agent.ToLowerInvariant())
        {
            slug.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '_');
        }

        return slug.ToString();
    }

    public static string ReportFile(string agent, string caseId, string extension) => $"{Slug(agent)}_case_{caseId.Replace('.', '_')}.{extension}";

    public sealed record Outcome(string Behavior, string BehaviorClose, int DurationMs, int? CloseCode);

    /// <summary>A plausible outcome: mostly passes, short durations with a long tail, the usual close codes.</summary>
    public static Outcome Draw(DataRandom random)
    {
        int b = random.Below(100);
        string behavior = b < 84 ? "OK" : b < 90 ? "NON-STRICT" : b < 95 ? "INFORMATIONAL" : b < 98 ? "FAILED" : "UNIMPLEMENTED";
        int c = random.Below(100);
        string behaviorClose = c < 93 ? "OK" : c < 96 ? "INFORMATIONAL" : c < 98 ? "WRONG CODE" : "FAILED";
        int d = random.Below(100);
        int duration = d < 70 ? random.Between(0, 4) : d < 90 ? random.Between(5, 250) : random.Between(251, 6000);
        int k = random.Below(100);
        int? code = k < 62 ? 1000 : k < 87 ? 1002 : k < 95 ? 1007 : k < 97 ? 1009 : null;
        return new Outcome(behavior, behaviorClose, duration, code);
    }

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
