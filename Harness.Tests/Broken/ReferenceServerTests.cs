using Conformance.Harness.Running;
using Conformance.Reports.Model;
using NUnit.Framework;
using CaseCatalogue = Conformance.Cases.Catalogue.Catalogue;

namespace Conformance.Tests.Broken;

/// <summary>
/// The scripted server's default behaviour is a sound echo endpoint: the whole catalogue (every
/// category but 12-14, which need permessage-deflate) gives only OK verdicts against it (INFORMATIONAL
/// where the case says so). Without this, a FAILED verdict against a broken variant could come from
/// the server rather than from the one violation it was given.
/// </summary>
[Integration]
public sealed class ReferenceServerTests
{
    private static readonly int[] Categories = [1, 2, 3, 4, 5, 6, 7, 10, 11];
    private static readonly string[] Informational = ["7.1.6", "7.13.1", "7.13.2"];

    [Test]
    [CancelAfter(120_000)]
    public async Task Whole_catalogue_against_the_reference_server_gives_only_OK_verdicts()
    {
        await using var server = ScriptedServer.Start();

        // The event-list categories run side by side at half time. Category 9 is CPU-bound (hundreds
        // of MiB through one process on few cores) and would delay the others' timers, so it runs on
        // its own afterwards; its verdicts come from the echoes, not from the timers, so full-length
        // timers cost nothing on a sound server.
        var results = (await Task.WhenAll(Categories.Select(c => Runs.CasesAsync(server, [$"{c}.*"], new Timers { Scale = 0.5 }, parallel: 3))))
            .SelectMany(r => r.Values).ToList();
        results.AddRange((await Runs.CasesAsync(server, ["9.*"], new Timers(), parallel: 2)).Values);

        var notOk = results.Where(r => Informational.Contains(r.CaseId)
                ? r.Behavior != Behavior.Informational || r.CloseBehavior != CloseBehavior.Informational
                : r.Behavior != Behavior.Ok || r.CloseBehavior != CloseBehavior.Ok)
            .Select(Runs.Describe).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(results, Has.Count.EqualTo(CaseCatalogue.All.Count(c => c.Category is not (12 or 13 or 14 or 15) && c.AppliesTo(Conformance.Cases.Scripting.PeerRoles.Server))), "every server case of categories 1-7, 9-11 ran (category 15 is Handshake/BrokenHandshakeServerTests)");
            Assert.That(results, Has.Count.EqualTo(310), "301 Autobahn cases of 1-7, 9, 10 and the 9 masking cases of 11");
            Assert.That(notOk, Is.Empty, "every verdict is OK (INFORMATIONAL for 7.1.6, 7.13.x)");
            Assert.That(results.Where(r => Informational.Contains(r.CaseId)).Select(r => r.Closing.RemoteCloseCode),
                Is.EqualTo(new int?[] { 1000, 1002, 1002 }), "7.1.6 echoes 1000; 5000 and 65535 are refused with 1002");
            Assert.That(server.Errors, Is.Empty, "the scripted server itself threw");
        });
    }
}
