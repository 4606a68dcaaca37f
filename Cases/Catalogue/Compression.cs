using Conformance.Cases.Data;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>
/// Categories 12 and 13 (permessage-deflate, RFC 7692), Autobahn's IDs and rules: 1000 compressed
/// messages from a sliding window over a data set, each sent after the echo of the previous one; every
/// echo must be the message sent (type, length, content). Category 12 varies the data set, category 13
/// the negotiated parameters (always the JSON document). Nothing is generated here: the data sets are
/// descriptions until a case runs.
/// </summary>
internal static class Compression
{
    private const int Count = 1000;
    private const string Rfc = "RFC 7692 §7.2";

    /// <summary>The size matrix every subcategory uses (spec §1.11): units per message, C(WAIT) seconds, auto-fragment size.</summary>
    private static readonly (int Units, int Wait, int Fragment)[] Matrix =
    [
        (16, 60, 0), (64, 60, 0), (256, 120, 0), (1024, 240, 0), (4096, 480, 0), (8192, 480, 0), (16384, 480, 0), (32768, 480, 0), (65536, 480, 0), (131072, 480, 0),
        (8192, 480, 256), (16384, 480, 256), (32768, 480, 256), (65536, 480, 256), (131072, 480, 256), (131072, 480, 1024), (131072, 480, 4096), (131072, 480, 32768),
    ];

    private const string Base = $"{PerMessageDeflate.Name}; {PerMessageDeflate.ClientNoContextTakeover}; {PerMessageDeflate.ClientMaxWindowBits}";
    private const string Offer1 = Base;
    private const string Offer2 = $"{Base}; {PerMessageDeflate.ServerNoContextTakeover}";
    private const string Offer5 = $"{Base}; {PerMessageDeflate.ServerNoContextTakeover}; {PerMessageDeflate.ServerMaxWindowBits}=9";

    /// <summary>13.1–13.7: the client's offers and the server's accept terms (Autobahn's lists; the same on both sides).</summary>
    private static readonly (string[] Offers, AcceptTerms[] Terms)[] ParameterSets =
    [
        ([Offer1], [new(false, 0)]),
        ([Offer2], [new(true, 0)]),
        ([$"{Base}; {PerMessageDeflate.ServerMaxWindowBits}=9"], [new(false, 9)]),
        ([$"{Base}; {PerMessageDeflate.ServerMaxWindowBits}=15"], [new(false, 15)]),
        ([Offer5], [new(true, 9)]),
        ([$"{Base}; {PerMessageDeflate.ServerNoContextTakeover}; {PerMessageDeflate.ServerMaxWindowBits}=15"], [new(true, 15)]),
        ([Offer5, Offer2, Offer1], [new(true, 9), new(true, 0), new(false, 0)]),
    ];

    public static IEnumerable<Case> BuildCategory12()
    {
        for (int j = 1; j <= DataSets.All.Count; j++)
        {
            var data = DataSets.All[j - 1];
            foreach (var @case in Subcategory($"12.{j}", data.Label, data, DeflateSetup.Default with { OmittedRepeat = OmittedRepeat.Play }))
            {
                yield return @case;
            }
        }
    }

    public static IEnumerable<Case> BuildCategory13()
    {
        for (int j = 1; j <= ParameterSets.Length; j++)
        {
            var (offers, terms) = ParameterSets[j - 1];
            string lists = "[" + string.Join(", ", terms.Select(t => t.ToString())) + "]";
            string title = $"{DataSets.Json.Label} - client offers (requestNoContextTakeover, requestMaxWindowBits): {lists} / server accept (requestNoContextTakeover, requestMaxWindowBits): {lists}";
            var setup = new DeflateSetup { Offers = offers, Accept = AcceptRule.Of(terms), OmittedRepeat = OmittedRepeat.Play };
            foreach (var @case in Subcategory($"13.{j}", title, DataSets.Json, setup))
            {
                yield return @case;
            }
        }
    }

    private static IEnumerable<Case> Subcategory(string prefix, string title, DataSet data, DeflateSetup setup)
    {
        for (int i = 1; i <= Matrix.Length; i++)
        {
            var (units, wait, fragment) = Matrix[i - 1];
            string kind = data.IsText ? "text" : "binary";
            string unit = data.IsText ? "code points" : "octets";
            string framing = fragment == 0
                ? "each compressed message goes in one frame"
                : $"each compressed payload is cut into frames of {fragment} octets (RSV1 on the first only)";
            string negotiation = $"The tester offers '{string.Join(", ", setup.Offers)}' when it is the client; when it is the server it {setup.Accept?.Describe() ?? "does not play this case"} (Autobahn's terms {setup.Accept}).";
            yield return new Case
            {
                Id = $"{prefix}.{i}",
                SubcategoryTitle = title,
                Description =
                    $"Send {Count} compressed {kind} messages of {units} {unit} each, taken one after the other from a sliding, circular window over the data set " +
                    $"'{data.Description}' ({data.Length} octets), each only after the echo of the previous one arrived; {framing}. {negotiation}",
                Expectation =
                    $"Each echo is the message just sent: {kind}, {units} {unit}, the same octets after decompression; all {Count} within {wait} s, then a clean close with normal code. " +
                    "If permessage-deflate is not agreed the tester closes at once and the case is UNIMPLEMENTED. A response the offers do not allow fails the case, except one that only leaves out " +
                    "server_no_context_takeover or server_max_window_bits the offer asked for: that is played as what it means (the server may keep its context and use a window of up to 15 bits), " +
                    "the verdict stays Autobahn's, the reason names the rule, and 14.6 judges the rule itself.",
                RfcSection = Rfc,
                Requirement = Requirement.Must,
                Script = [CloseAfter(wait), new SendDataSetRoundTrips(data, units, Count, fragment)],
                Behavior = new ExpectDataSetEchoes(data, units, Count),
                Close = ExpectedClose.TesterCloses,
                Deflate = setup,
            };
        }
    }
}
