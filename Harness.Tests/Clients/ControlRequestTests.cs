using Conformance.Cases;
using Conformance.Cases.Scripting;
using Conformance.Harness.Cli;
using Conformance.Harness.Roles;
using Conformance.Harness.Running;
using Conformance.Harness.Wire;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Clients;

/// <summary>Autobahn's client-testing URLs (catalogue spec §4), the fuzzingserver spec (§3.3) and which cases apply to clients.</summary>
public sealed class ControlRequestTests
{
    private static readonly IReadOnlyList<Case> All = CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Client);

    private static ControlRequest? Parse(string target, out HttpError? error)
    {
        var request = ServerHandshake.Parse($"GET {target} HTTP/1.1\r\nHost: h\r\n\r\n", out error)!;
        return ControlRequest.Parse(request.Path, request.Query, All, out error);
    }

    [Test]
    public void Case_numbers_are_1_based_positions_in_the_selected_sorted_list()
    {
        var first = (ControlRequest.RunCase)Parse("/runCase?case=1&agent=A", out _)!;
        var pings = (ControlRequest.RunCase)Parse("/runCase?case=17&agent=A", out _)!;
        var misc = (ControlRequest.GetCaseInfo)Parse("/getCaseInfo?case=301", out _)!;

        Assert.That(first.Case.Id.Text, Is.EqualTo("1.1.1"));
        Assert.That(first.Agent, Is.EqualTo("A"));
        Assert.That(pings.Case.Id.Text, Is.EqualTo("2.1"));
        Assert.That(misc.Case.Id.Text, Is.EqualTo("10.1.1"), "the same numbering as Autobahn's default selection (spec §4)");
    }

    [Test]
    public void Casetuple_names_a_case_by_ID_and_case_wins_when_both_are_given()
    {
        var byId = (ControlRequest.RunCase)Parse("/runCase?casetuple=6.4.1&agent=A", out _)!;
        var both = (ControlRequest.GetCaseStatus)Parse("/getCaseStatus?casetuple=6.4.1&case=2&agent=A", out _)!;

        Assert.That(byId.Case.Id.Text, Is.EqualTo("6.4.1"));
        Assert.That(byId.Number, Is.EqualTo(All.ToList().FindIndex(c => c.Id.Text == "6.4.1") + 1));
        Assert.That(both.Case.Id.Text, Is.EqualTo("1.1.2"));
    }

    [Test]
    public void Every_endpoint_is_recognised()
    {
        Assert.That(Parse("/getCaseCount", out _), Is.TypeOf<ControlRequest.GetCaseCount>());
        Assert.That(Parse("/stopServer", out _), Is.TypeOf<ControlRequest.StopServer>());
        Assert.That(Parse("/updateReports?agent=A", out _), Is.EqualTo(new ControlRequest.UpdateReports("A", false)));
        Assert.That(Parse("/updateReports?agent=A&shutdownOnComplete=true", out _), Is.EqualTo(new ControlRequest.UpdateReports("A", true)));
        Assert.That(Parse("/updateReports?agent=A&shutdownOnComplete=yes", out _), Is.EqualTo(new ControlRequest.UpdateReports("A", true)));
    }

    [TestCase("/runCase?case=1", 400, "agent")]
    [TestCase("/runCase?agent=A", 400, "case")]
    [TestCase("/runCase?case=0&agent=A", 400, "from 1 to")]
    [TestCase("/runCase?case=999&agent=A", 400, "from 1 to")]
    [TestCase("/runCase?case=-1&agent=A", 400, "from 1 to")]
    [TestCase("/runCase?case=1.1.1&agent=A", 400, "from 1 to")]
    [TestCase("/runCase?case=1&case=2&agent=A", 400, "more than once")]
    [TestCase("/runCase?case=1&agent=A&agent=B", 400, "more than once")]
    [TestCase("/runCase?casetuple=11.2.1&agent=A", 400, "not one of")]
    [TestCase("/runCase?casetuple=99.1.1&agent=A", 400, "not one of")]
    [TestCase("/runCase?casetuple=15.1.1&agent=A", 400, "not one of")]
    [TestCase("/getCaseStatus?case=1", 400, "agent")]
    [TestCase("/getCaseInfo", 400, "case")]
    [TestCase("/updateReports", 400, "agent")]
    [TestCase("/", 404, "/getCaseCount")]
    [TestCase("/runcase?case=1&agent=A", 404, "no endpoint")]
    public void Invalid_requests_are_HTTP_errors(string target, int status, string fragment)
    {
        var request = Parse(target, out var error);

        Assert.That(request, Is.Null);
        Assert.That(error!.Status, Is.EqualTo(status));
        Assert.That(error.Message, Does.Contain(fragment));
    }

    [Test]
    public void Case_info_is_the_description_up_to_the_first_tag_with_whitespace_collapsed()
    {
        var @case = All[0] with { Description = "Send  a text\n message <b>bold</b> rest" };

        Assert.That(ControlEndpoints.Describe(@case), Is.EqualTo("Send a text message"));
        Assert.That(ControlEndpoints.JsonObject(("id", "1.1.1"), ("description", "a \"b\"")), Is.EqualTo("{\"id\": \"1.1.1\", \"description\": \"a \\\"b\\\"\"}"));
    }

    [Test]
    public void The_legal_masking_key_cases_apply_to_servers_only()
    {
        var clientCases = CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Client).Select(c => c.Id.Text).ToArray();
        var serverCases = CaseSelection.ForRole(CaseCatalogue.All, PeerRoles.Server).Select(c => c.Id.Text).ToArray();

        Assert.That(clientCases.Where(id => id.StartsWith("11.", StringComparison.Ordinal)), Is.EqualTo(new[] { "11.1.1", "11.1.2", "11.1.3", "11.1.4", "11.1.5", "11.1.6", "11.3.1", "11.3.2" }));
        int handshakeForClients = CaseCatalogue.All.Count(c => c.Category is 11 or 15 && !c.AppliesTo(PeerRoles.Server));
        int handshakeForServers = CaseCatalogue.All.Count(c => c.Category == 15 && !c.AppliesTo(PeerRoles.Client));
        int deflateForServers = CaseCatalogue.All.Count(c => c.Category == 14 && !c.AppliesTo(PeerRoles.Client));
        Assert.That(serverCases, Has.Length.EqualTo(CaseCatalogue.All.Count - handshakeForClients), "every case but the client's masking keys (11.3) and handshake cases (15.3, 15.4) applies to servers");
        Assert.That(clientCases, Has.Length.EqualTo(CaseCatalogue.All.Count - 3 - deflateForServers - handshakeForServers));
        Assert.That(CaseCatalogue.All.Where(c => !c.AppliesTo(PeerRoles.Client) && c.Category is not (14 or 15)).Select(c => c.Id.Text), Is.EqualTo(new[] { "11.2.1", "11.2.2", "11.2.3" }));
        Assert.That(CaseCatalogue.All.Where(c => !c.AppliesTo(PeerRoles.Client) && c.Category == 14).Select(c => c.Id.Subcategory).Distinct(), Is.EqualTo(new[] { "14.1", "14.6" }), "14.1 is about offers a server must decline, 14.6 about what it must repeat when it accepts");
    }

    [Test]
    public void Naming_a_server_only_case_when_testing_a_client_is_a_usage_error()
    {
        var e = Assert.Throws<UsageException>(() => RunPlan.Select(["11.2.1"], [], PeerRoles.Client));
        Assert.That(e!.Message, Does.Contain("'11.2.1'").And.Contain("does not apply when testing a client"));
        Assert.That(RunPlan.Select(["11.*"], [], PeerRoles.Client).Select(c => c.Id.Text), Has.None.StartWith("11.2"));
        Assert.Throws<UsageException>(() => RunPlan.Select(["11.2.*"], [], PeerRoles.Client), "an empty selection");
    }

    [Test]
    public void An_Autobahn_fuzzingserver_spec_is_read_as_it_is()
    {
        const string json = """
            {
               "url": "ws://127.0.0.1:9001",
               "options": {"failByDrop": false},
               "outdir": "./reports/clients",
               "webport": 8080,
               "cases": ["*"],
               "exclude-cases": ["9.*", "12.*", "13.*"],
               "exclude-agent-cases": {"Firefox*": ["7.1.6"]}
            }
            """;

        var spec = FuzzingServerSpec.Parse(json, out string? error);

        Assert.That(error, Is.Null);
        Assert.That(spec!.Url, Is.EqualTo(new Uri("ws://127.0.0.1:9001")));
        Assert.That(spec.OutDir, Is.EqualTo("./reports/clients"));
        Assert.That(spec.Cases, Is.EqualTo(new[] { "*" }));
        Assert.That(spec.ExcludeCases, Is.EqualTo(new[] { "9.*", "12.*", "13.*" }));
        Assert.That(spec.ExcludeAgentCases["Firefox*"], Is.EqualTo(new[] { "7.1.6" }));
    }

    [TestCase("{}", "url")]
    [TestCase("{\"url\": \"http://x:1\", \"cases\": []}", "ws://")]
    [TestCase("{\"url\": \"ws://127.0.0.1:9001/?a=b\", \"cases\": [\"*\"]}", "query")]
    [TestCase("{\"url\": \"ws://127.0.0.1:9001\"}", "cases")]
    [TestCase("{\"url\": \"ws://127.0.0.1:9001\", \"cases\": \"*\"}", "list of strings")]
    [TestCase("[1]", "object")]
    [TestCase("{", "JSON")]
    public void A_malformed_fuzzingserver_spec_is_an_error_in_words(string json, string fragment)
    {
        Assert.That(FuzzingServerSpec.Parse(json, out string? error), Is.Null);
        Assert.That(error, Does.Contain(fragment));
    }
}
