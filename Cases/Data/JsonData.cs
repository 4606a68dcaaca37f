using System.Text;

namespace Conformance.Cases.Data;

/// <summary>
/// A JSON document of 194 056 octets, all ASCII, of the kind of Autobahn's data1.json: the results
/// index of a conformance run (agent → case → verdicts, duration, close code, report file), written
/// with sorted keys and an indent of 3 as such an index is. Machine-written JSON repeats its keys
/// and structure on every record, so it compresses far better than prose (about 1 : 19).
/// </summary>
internal static class JsonData
{
    public const int Length = 194_056;

    private const string RemarkKey = "remark";
    private const int MinimumRemark = 16;

    public static byte[] Generate()
    {
        var random = new DataRandom(0x4A534F4E_00000002UL);
        var ids = ReportCorpus.Cases().Select(c => c.Id).Order(StringComparer.Ordinal).ToArray();
        var agents = ReportCorpus.Agents.Order(StringComparer.Ordinal).ToArray();
        var json = new StringBuilder(Length + 1024);
        json.Append('{');
        const string CloseAgent = "\n   }";
        string Remark(string text) => $",\n   \"{RemarkKey}\": \"{text}\"\n}}\n";

        int remarkOverhead = Remark("").Length;
        bool full = false;
        for (int a = 0; a < agents.Length && !full; a++)
        {
            string agentOpen = $"{(a == 0 ? "" : ",")}\n   \"{agents[a]}\": {{";
            json.Append(agentOpen);
            for (int i = 0; i < ids.Length; i++)
            {
                string entry = Entry(random, agents[a], ids[i], first: i == 0);
                if (json.Length + entry.Length + CloseAgent.Length + remarkOverhead + MinimumRemark > Length)
                {
                    full = true;
                    break;
                }

                json.Append(entry);
            }

            json.Append(CloseAgent);
        }

        int pad = Length - json.Length - remarkOverhead;
        json.Append(Remark(Utf8Builder.Filler(random, LoremText.Words, pad)));
        return Encoding.ASCII.GetBytes(json.ToString());
    }

    private static string Entry(DataRandom random, string agent, string id, bool first)
    {
        var outcome = ReportCorpus.Draw(random);
        string code = outcome.CloseCode is { } c ? ReportCorpus.Number(c) : "null";
        return $"{(first ? "" : ",")}\n      \"{id}\": {{\n" +
               $"         \"behavior\": \"{outcome.Behavior}\",\n" +
               $"         \"behaviorClose\": \"{outcome.BehaviorClose}\",\n" +
               $"         \"duration\": {ReportCorpus.Number(outcome.DurationMs)},\n" +
               $"         \"remoteCloseCode\": {code},\n" +
               $"         \"reportfile\": \"{ReportCorpus.ReportFile(agent, id, "json")}\"\n" +
               "      }";
    }
}
