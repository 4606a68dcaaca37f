using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Cli;
using Conformance.Tests.Clients;
using Conformance.Tests.Integration;
using Conformance.Tests.Support;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Compression;

/// <summary>
/// Compression in the client-testing role: the tester is the server and answers the client's permessage-deflate
/// offer by each case's accept rule. The npm ws client (perMessageDeflate is on by default for ws clients) runs
/// category 14 (14.1 is for servers only) and a slice of 12/13 through test-client --exec.
/// </summary>
[TestFixture]
[NonParallelizable] // captures the process-wide console
[Integration]
public sealed class ClientRoleCompressionTests : RealClientRun
{
    private const string Agent = "ws-client-deflate";
    private static readonly int[] Sizes = [1, 5, 9, 11, 18];

    private static readonly string[] Selected = CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Client)
        .Where(c => c.Category == 14 || (c.Category is 12 or 13 && Sizes.Contains(c.Id.Parts[^1])))
        .Select(c => c.Id.Text).ToArray();

    [OneTimeSetUp]
    public async Task Run_the_ws_client()
    {
        string moduleDir = await NodeWs.EnsureInstalledAsync();
        string driver = Path.Combine(AppContext.BaseDirectory, "ws-client-driver.js");
        await RunAsync(folder =>
        [
            "test-client", "--port", "0", "--cases", string.Join(',', Selected), "--out", OutDir,
            "--exec", $"node {ClientRuns.Quote(driver)} {ClientRuns.Env("WSCONF_URL")} {Agent} {ClientRuns.Quote(moduleDir)}",
        ]);
    }

    [Test]
    public void The_ws_client_passes_every_compression_case_it_is_given()
    {
        Assert.That(Selected.Count(id => id.StartsWith("14.", StringComparison.Ordinal)), Is.EqualTo(22), "14.2-14.5: 14.1 is about offers, for servers only");
        Assert.That(Outcome.Exit, Is.EqualTo(ExitCodes.Passed), Outcome.ToString());

        var expected = new TargetExpectations
        {
            Target = "ws client (perMessageDeflate)",
            Source = "RFC 7692; 12/13 as ws's published client report",
            PublishedCategories = new HashSet<int>(),
            PublishedNotOk = new Dictionary<string, Verdicts>(),
            RfcOnlyCategories = new HashSet<int>(),
            Compression = _ => new ExpectedVerdicts(Verdicts.Ok, ExpectationSource.Rfc),
        };
        var differences = VerdictComparison.Differences(expected, Selected, Only(Agent));
        Assert.That(differences, Is.Empty, VerdictComparison.Message("ws client with deflate", differences));
    }

    [Test]
    public void The_tester_answers_each_parameter_set_of_13_as_the_server()
    {
        using var json = CaseFile(Agent, "13.5.1");
        string response = json.RootElement.GetProperty("httpResponse").GetString()!;

        Assert.That(json.RootElement.GetProperty("isServer").GetBoolean(), Is.True);
        Assert.That(response, Does.Contain("Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; client_max_window_bits=9\r\n"));
    }
}
